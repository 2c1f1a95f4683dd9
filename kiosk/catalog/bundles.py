"""一件事 bundles: several items a life event needs, in the order they must be done, with one
combined, de-duplicated checklist (身后一件事: 户口注销 first, because the 殡葬补贴 and the
pension need its 户口注销证明).

Catalog format (docs/catalog-format.md, "bundles"):

    "bundles": [{
      "id": "shenhou", "name": "身后一件事", "life_event": "身后事",
      "summary": "家人去世后要办的事，按顺序一次问清",
      "steps": [
        {"item": "QH-QT-04", "note": "先注销户口", "gives": ["户口注销证明"]},
        {"item": "QH-MZ-08", "after": ["QH-QT-04"]}, ...],
      "same_material": [{"name": "经办人（家属）的居民身份证",
                         "names": ["经办家属居民身份证", "申报人居民身份证"]}]
    }]

- `steps` are in the order to do them; `after` names earlier steps a step depends on (checked:
  they must come before it).
- `gives`: documents a step hands the citizen; a later step's material whose name contains one
  of them is not in the bring list — it is marked "第N步办好后取得".
- `same_material`: materials that are one thing under different names (the same family
  member's ID card): listed once, under `name`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Problem = tuple[tuple[str | int, ...], str]


@dataclass(frozen=True)
class BundleStep:
    item: str
    note: str = ""
    after: tuple[str, ...] = ()
    gives: tuple[str, ...] = ()


@dataclass(frozen=True)
class SameMaterial:
    name: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Bundle:
    id: str
    name: str
    steps: tuple[BundleStep, ...]
    summary: str = ""
    life_event: str = ""
    same_material: tuple[SameMaterial, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.item for s in self.steps)


def bundle_from_dict(d: dict[str, Any]) -> Bundle:
    """Build a Bundle from one schema-valid `bundles[]` entry."""
    return Bundle(
        id=d["id"], name=d["name"], summary=d.get("summary", ""),
        life_event=d.get("life_event", ""),
        steps=tuple(BundleStep(item=s["item"], note=s.get("note", ""),
                               after=tuple(s.get("after", ())), gives=tuple(s.get("gives", ())))
                    for s in d["steps"]),
        same_material=tuple(SameMaterial(name=m["name"], names=tuple(m["names"]))
                            for m in d.get("same_material", ())))


# ---- the combined checklist -------------------------------------------------------------------

class Material(Protocol):
    """What the checklist reads of kiosk.catalog.model.Material (model imports this module)."""

    @property
    def name(self) -> str: ...
    @property
    def original_copies(self) -> int: ...
    @property
    def copy_copies(self) -> int: ...
    @property
    def required(self) -> str: ...


class Item(Protocol):
    @property
    def materials(self) -> Sequence[Material]: ...


@dataclass(frozen=True)
class ChecklistEntry:
    """One line of the combined checklist."""

    name: str
    originals: int                  # the most any step asks to see
    copies: int                     # every step keeps its own copies: the sum
    steps: tuple[int, ...]          # 1-based steps that use it
    conditional: bool               # 视情况提供 in every step that asks for it
    given_by: int = 0               # >0: not brought, obtained at that step

    @property
    def detail(self) -> str:
        used = "、".join(str(n) for n in self.steps)
        if self.given_by:
            return f"第{self.given_by}步办好后取得，第{used}步要用"
        parts = [f"原件{self.originals}份"] if self.originals else []
        if self.copies:
            parts.append(f"复印件{self.copies}份")
        counts = "，".join(parts) or "现场核验"
        return f"{counts}（第{used}步要用）"


def _canonical(bundle: Bundle, name: str) -> str:
    for same in bundle.same_material:
        if name in same.names:
            return same.name
    return name


def _given_by(bundle: Bundle, upto: int, name: str) -> int:
    for n, step in enumerate(bundle.steps[:upto], 1):
        if any(g in name for g in step.gives):
            return n
    return 0


def combined_checklist(bundle: Bundle, items: Sequence[Item]) -> list[ChecklistEntry]:
    """One list for the whole bundle, in the order the steps first need each material;
    `items` are the bundle's items in step order."""
    order: list[str] = []
    acc: dict[str, dict[str, Any]] = {}
    for n, item in enumerate(items, 1):
        for m in item.materials:
            _add(acc, order, bundle, n, m)
    return [ChecklistEntry(name=k, originals=acc[k]["orig"], copies=acc[k]["copies"],
                           steps=tuple(acc[k]["steps"]), conditional=acc[k]["cond"],
                           given_by=acc[k]["given"])
            for k in order]


def _add(acc: dict[str, dict[str, Any]], order: list[str], bundle: Bundle, n: int,
         m: Material) -> None:
    key = _canonical(bundle, m.name)
    given = _given_by(bundle, n - 1, m.name)
    if key not in acc:
        order.append(key)
        acc[key] = {"orig": 0, "copies": 0, "steps": [], "cond": True, "given": given}
    entry = acc[key]
    entry["orig"] = max(entry["orig"], m.original_copies)
    entry["copies"] += m.copy_copies
    if n not in entry["steps"]:
        entry["steps"].append(n)
    entry["cond"] = entry["cond"] and m.required == "conditional"
    if not given:
        entry["given"] = 0          # some step needs it brought, not obtained


# ---- validation (the rules a schema cannot express) --------------------------------------------

def bundle_problems(doc: dict[str, Any]) -> list[Problem]:
    """Bundles whose steps name unknown or repeated items, depend on later steps, or name a
    life event or a material that does not exist."""
    bundles = doc.get("bundles")
    if not isinstance(bundles, list):
        return []
    items = {it.get("code"): it for it in doc.get("items", []) if isinstance(it, dict)}
    events = {e.get("name") for e in doc.get("categories", {}).get("life_events", [])
              if isinstance(e, dict)} if isinstance(doc.get("categories"), dict) else set()
    out: list[Problem] = []
    ids: set[str] = set()
    for b, bundle in enumerate(bundles):
        if not isinstance(bundle, dict):
            continue
        if bundle.get("id") in ids:
            out.append((("bundles", b, "id"), f"{bundle.get('id')!r} is used by another bundle"))
        ids.add(bundle.get("id", ""))
        event = bundle.get("life_event")
        if event and event not in events:
            out.append((("bundles", b, "life_event"),
                        f"{event!r} is not in categories.life_events"))
        out += _step_problems(b, bundle, items)
    return out


def _step_problems(b: int, bundle: dict[str, Any], items: dict[Any, Any]) -> list[Problem]:
    out: list[Problem] = []
    seen: list[str] = []
    names: set[str] = set()
    for s, step in enumerate(bundle.get("steps", [])):
        if not isinstance(step, dict):
            continue
        code = step.get("item")
        where = ("bundles", b, "steps", s)
        if code not in items:
            out.append(((*where, "item"), f"no item {code!r} in this catalog"))
        elif code in seen:
            out.append(((*where, "item"), f"{code!r} is already step {seen.index(code) + 1}"))
        else:
            names |= {str(m.get("name")) for m in items[code].get("materials", [])
                      if isinstance(m, dict)}
        for a, dep in enumerate(step.get("after", [])):
            if dep not in seen:
                out.append(((*where, "after", a), f"{dep!r} must be an earlier step of "
                                                  f"this bundle"))
        seen.append(str(code))
    for g, same in enumerate(bundle.get("same_material", [])):
        for n, name in enumerate(same.get("names", []) if isinstance(same, dict) else []):
            if name not in names:
                out.append((("bundles", b, "same_material", g, "names", n),
                            f"no material {name!r} in this bundle's items"))
    return out
