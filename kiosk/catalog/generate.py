"""A synthetic, schema-valid catalog of any size, for scale tests and benchmarks.

Why synthetic: the real catalog a county publishes (10,847 village items in one case) is not
ours to ship, but search, import and list screens must be measured at that size and beyond.
Items are built from realistic parts (kiosk.catalog.vocab: offices × objects × actions ×
qualifiers) so names, materials and field lengths look like a county's 办事指南. The same
(n, seed) always gives the same document.

`write_document` streams to a file (one item per line) so 100,000 items never sit in memory
as one dict; `generate_document` builds the same document in memory.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kiosk.catalog import vocab
from kiosk.catalog.vocab import Domain

_REGION = "000000"   # fictional county code prefix (all-zero: no real county has it)
_COUNTY = "示例县"


class _World:
    """Places, bureaus and offices shared by every item of one generated catalog."""

    def __init__(self, rng: random.Random) -> None:
        self.towns = [(f"{_REGION}{i + 1:03d}000", f"{a}{rng.choice(vocab.TOWN_SUFFIX)}")
                      for i, a in enumerate(vocab.TOWN_PARTS)]
        self.villages: list[list[tuple[str, str]]] = []
        for t_code, _ in self.towns:
            names = rng.sample(vocab.VILLAGE_PARTS, 12)
            self.villages.append([(f"{t_code[:9]}{j + 1:03d}",
                                   f"{n}{rng.choice(vocab.VILLAGE_SUFFIX)}")
                                  for j, n in enumerate(names)])
        bureaus = sorted({d.bureau for d in vocab.DOMAINS})
        self.credit = {b: f"11{_REGION}MB{i + 1:07d}X" for i, b in enumerate(bureaus)}


def _synonyms() -> list[dict[str, Any]]:
    means: dict[str, list[str]] = {}
    for d in vocab.DOMAINS:
        for term, obj in d.aliases:
            if obj not in means.setdefault(term, []):
                means[term].append(obj)
    return [{"term": t, "means": m} for t, m in means.items()]


def _header(n: int, seed: int) -> dict[str, Any]:
    return {
        "format": "township-kiosk-catalog",
        "format_version": 1,
        "catalog_version": f"synthetic-{n}-{seed}",
        "published": "2026-11-01",
        "publisher": f"{_COUNTY}政务服务管理办公室（合成测试数据，虚构）",
        "region": {"code": f"{_REGION}000000", "name": _COUNTY},
        "categories": {
            "themes": ([{"name": t, "audience": "natural_person"} for t in vocab.NATURAL_THEMES]
                       + [{"name": t, "audience": "legal_person"} for t in vocab.LEGAL_THEMES]),
            "life_events": [{"name": e} for e in vocab.LIFE_EVENTS],
        },
        "synonyms": _synonyms(),
    }


def _limit(value: int, note: str = "") -> dict[str, Any]:
    d: dict[str, Any] = {"value": value, "unit": "working_days"}
    if note:
        d["note"] = note
    return d


def _limits(rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    legal = rng.choice((0, 0, 5, 10, 15, 20, 20, 30, 45, 60))
    promised = legal if legal <= 5 else rng.choice((legal, legal // 2, max(1, legal - 5)))
    note = "公示时间不计算在内" if legal >= 20 and rng.random() < 0.3 else ""
    return _limit(legal, note), _limit(promised)


def _steps(rng: random.Random, levels: dict[str, str], promised: int) -> list[dict[str, Any]]:
    pattern = rng.choice(vocab.STEP_PATTERNS)
    count = len(pattern)
    out = []
    for i, name in enumerate(pattern):
        level = levels["accept"] if i == 0 else (
            levels.get("approve", "township") if i == count - 1 else
            levels.get("review", "township"))
        step: dict[str, Any] = {"order": i + 1, "name": name,
                                "actor": vocab.STEP_ACTOR.get(level, "县级主管部门"),
                                "level": level}
        if promised and i > 0:
            step["time_limit"] = _limit(max(1, promised // (count - 1)))
        desc = vocab.STEP_DESCRIPTIONS.get(name, "")
        if desc:
            step["description"] = desc
        out.append(step)
    return out


def _material(rng: random.Random, name: str, optional_note: str = "") -> dict[str, Any]:
    kind = vocab.MATERIALS.get(name, vocab.MATERIALS["申请表"])
    m: dict[str, Any] = {"name": name, "form": kind.form, "original_copies": kind.original,
                         "copy_copies": kind.copies,
                         "required": "conditional" if optional_note else "required",
                         "source": kind.source}
    if kind.source_note:
        m["source_note"] = kind.source_note
    if kind.form != "electronic" and (kind.copies or name.endswith("表")):
        m["paper_spec"] = "A4"
    if optional_note:
        m["required_note"] = optional_note
    if kind.fill_note:
        m["fill_note"] = kind.fill_note
    if kind.copies and rng.random() < 0.3:
        m["acceptance_standard"] = "原件与复印件一致，信息清晰、完整、在有效期内"
    return m


def _materials(rng: random.Random, d: Domain, obj: str, code: str,
               with_form: bool) -> list[dict[str, Any]]:
    """3 to 12 materials: the item's own application form, identity papers, the office's
    specific papers, then the conditional ones (agent, guardian) — in the order guides use."""
    wanted = rng.randint(3, 12)
    form = _material(rng, f"{obj}申请表")
    if with_form:
        form["blank_form"] = f"{code}-B"
        form["sample_form"] = f"{code}-S"
    names: list[tuple[str, str]] = [(n, "") for n in vocab.COMMON_MATERIALS[:rng.randint(1, 3)]]
    names += [(n, "") for n in d.materials]
    names += list(vocab.OPTIONAL_MATERIALS)
    return [form] + [_material(rng, n, note) for n, note in names[:wanted - 1]]


def _forms(obj: str, code: str) -> list[dict[str, Any]]:
    return [{"id": f"{code}-B", "title": f"{obj}申请表", "kind": "blank", "file": f"{code}-B.pdf",
             "pages": 1},
            {"id": f"{code}-S", "title": f"{obj}申请表（填写样表）", "kind": "sample",
             "file": f"{code}-S.pdf", "pages": 1}]


def _levels(rng: random.Random, d: Domain) -> dict[str, str]:
    if d.department == "村委会":
        return {"accept": "village", "approve": "village"}
    accept = rng.choice(("village", "township", "township"))
    approve = rng.choice(("township", "county", "county"))
    return {"accept": accept, "review": "township", "approve": approve}


def _place(code: str, name: str) -> dict[str, str]:
    return {"code": code, "name": name}


def _channels(rng: random.Random, legal: int) -> dict[str, Any]:
    online = rng.random() < 0.5
    visits = 0 if online and rng.random() < 0.3 else rng.choice((1, 1, 1, 2))
    ch: dict[str, Any] = {"audience": ["natural_person"], "visits": visits,
                          "handling_type": 1 if legal == 0 else 2,
                          "handling_forms": [1, 2, 3] if online else [1],
                          "appointment": rng.random() < 0.4, "online": online,
                          "delivery": rng.random() < 0.2, "self_service": rng.random() < 0.3}
    scope = rng.choice(vocab.SCOPES)
    if scope:
        ch["scope"] = scope
    if online:
        ch["online_url"] = "https://zwfw.example.invalid/"
    if visits:
        ch["visit_reason"] = rng.choice(vocab.VISIT_REASONS)
    return ch


def _fees(rng: random.Random) -> dict[str, Any]:
    if rng.random() >= 0.05:
        return {"charged": False}
    name, standard, basis = rng.choice(vocab.FEE_ITEMS)
    return {"charged": True, "items": [{"name": name, "standard": standard, "basis": basis,
                                        "reducible": True,
                                        "reduction_basis": "低保对象、特困人员免收"}]}


def _legal_basis(rng: random.Random, d: Domain) -> str:
    laws = vocab.LAWS.get(d.bureau, vocab.LAWS["镇人民政府"])
    parts = [f"{law}{rng.choice(vocab.LAW_CLAUSES)}：{rng.choice(vocab.LAW_TEXTS)}"
             for law in laws[:rng.randint(1, len(laws))]]
    return "\n".join(parts)


def _name(rng: random.Random, d: Domain) -> tuple[str, str, int, int]:
    oi = rng.randrange(len(d.objects))
    ai = rng.randrange(len(d.actions))
    obj = d.objects[oi]
    name = f"{obj}{d.actions[ai]}{rng.choice(vocab.QUALIFIERS)}"
    return name, obj, oi, ai


def _findability(rng: random.Random, d: Domain, obj: str) -> dict[str, Any]:
    themes = list(d.themes[:rng.randint(1, len(d.themes))])
    aliases = [t for t, o in d.aliases if o == obj]
    return {"themes": themes, "life_events": list(d.life_events),
            "aliases": aliases, "keywords": rng.sample(d.keywords, min(len(d.keywords), 3)),
            "popularity": min(int(rng.paretovariate(1.3) * 10) - 10, 9999)}


def _item(rng: random.Random, world: _World, i: int) -> dict[str, Any]:
    di = rng.randrange(len(vocab.DOMAINS))
    d = vocab.DOMAINS[di]
    name, obj, oi, ai = _name(rng, d)
    code = f"{world.credit[d.bureau]}{d.item_type}{i:010d}"
    ti = rng.randrange(len(world.towns))
    town_code, town = world.towns[ti]
    village_code, village = rng.choice(world.villages[ti])
    legal, promised = _limits(rng)
    levels = _levels(rng, d)
    with_form = rng.random() < 0.6
    item: dict[str, Any] = {
        "code": code,
        "basic_code": f"{int(d.item_type):02d}{di:03d}{oi:03d}{ai:04d}",
        "name": name,
        "item_type": d.item_type,
        "exercise_level": 5 if levels["accept"] != "village" else 6,
        "power_source": rng.choice(vocab.POWER_SOURCES),
        "item_version": "1",
        "status": "active",
        "legal_basis": _legal_basis(rng, d),
        "implementer": {"name": f"{_COUNTY}{d.bureau}", "credit_code": world.credit[d.bureau],
                        "nature": 1, "handling_agency": f"{town}{d.department}"},
        "department": d.department,
        "legal_limit": legal,
        "promised_limit": promised,
        "conditions": rng.sample(vocab.CONDITIONS, rng.randint(1, 4)),
        "steps": _steps(rng, levels, promised["value"]),
        "result": {"name": f"{obj}{rng.choice(vocab.RESULT_SUFFIX)}"},
        "fees": _fees(rng),
        "channels": _channels(rng, legal["value"]),
        "location": (f"{village}便民服务站" if levels["accept"] == "village"
                     else f"{town}便民服务中心一楼{rng.randint(1, 12)}号窗口"),
        "hours": rng.choice(vocab.HOURS),
        "consult_phone": f"0000-555{rng.randint(0, 9999):04d}",
        "complaint_phone": "0000-12345",
        "township": _place(town_code, town),
        "village": _place(village_code, village),
        "levels": levels,
        "materials": _materials(rng, d, obj, code, with_form),
    }
    item["channels"]["audience"] = [d.audience]
    if with_form:
        item["forms"] = _forms(obj, code)
    if rng.random() < 0.35:
        item["faq"] = [{"question": q, "answer": a}
                       for q, a in rng.sample(vocab.FAQ, rng.randint(1, 3))]
    if rng.random() < 0.3:
        item["guide_url"] = f"https://zwfw.example.invalid/guide/{code}"
    item.update(_findability(rng, d, obj))
    return item


def iter_items(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """The items of the (n, seed) catalog, one at a time."""
    rng = random.Random(seed)
    world = _World(rng)
    for i in range(n):
        yield _item(rng, world, i + 1)


def generate_document(n: int, seed: int = 0) -> dict[str, Any]:
    """A schema-valid catalog document of `n` items; deterministic for a given seed."""
    if n < 0:
        raise ValueError(f"item count must be ≥ 0, got {n}")
    doc = _header(n, seed)
    doc["items"] = list(iter_items(n, seed))
    return doc


def write_document(out: IO[str], n: int, seed: int = 0) -> None:
    """Stream the (n, seed) catalog as JSON, one item per line (diffable, and a JSON error's
    line number then names the item)."""
    if n < 0:
        raise ValueError(f"item count must be ≥ 0, got {n}")
    head = json.dumps(_header(n, seed), ensure_ascii=False)
    out.write(head[:-1] + ', "items": [\n')
    for i, item in enumerate(iter_items(n, seed)):
        out.write(("" if i == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
    out.write("\n]}\n")


def write_file(path: Path, n: int, seed: int = 0) -> None:
    """Write to a temporary file and rename, so a half-written catalog never appears."""
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8") as f:
        write_document(f, n, seed)
    tmp.replace(path)
