#!/usr/bin/env python3
"""Build the sample catalog (assets/catalog/sample-catalog.json) from its hand-written parts.

Why parts: ~70 guides in one file are hard to review; one file per department keeps a diff
readable and lets each department's defaults (window, phones, hours) be written once.

Inputs (assets/catalog/src/):
  meta.json          everything but the items: format, version, region, categories, synonyms
  materials.json     common materials by short name; an item's material may be {"ref": NAME,
                     ...overrides}
  items-*.json       {"defaults": {...}, "items": [...]}: each item is deep-merged over the
                     defaults; "{code}" in a default string becomes the item's code. An item's
                     "forms" is a list of form ids; title/kind/file come from the layout file.
  form-samples/*.json  {"id", "from": BLANK_ID, "values": {...}}: a filled-in sample form is
                     generated from its blank layout (same layout, values filled in).
Outputs: the catalog JSON (sorted by item code, stable) and assets/forms/src/<sample id>.json.

Exit status 1, with every problem printed as `JSON path: message`, when anything is wrong.
Usage: build-sample-catalog.py [--src DIR] [--out FILE] [--forms-out DIR] [--check]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "assets" / "catalog" / "src"
OUT = REPO / "assets" / "catalog" / "sample-catalog.json"
FORMS_SRC = REPO / "assets" / "forms" / "src"
SCHEMA = REPO / "kiosk" / "catalog" / "schema" / "catalog-v1.schema.json"

SAMPLE_NOTE = "本表为填写示例，表中姓名、身份证号码、电话、地址等均为虚构，请按本人真实情况填写。"


class BuildError(Exception):
    """A problem in the sources, named by file and JSON path."""


def load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise BuildError(f"{path.name}:{e.lineno}:{e.colno}: {e.msg}") from e


def dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def merge(base: Any, over: Any) -> Any:
    """Deep merge for dicts; anything else in `over` replaces `base`."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base[k], v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


def fill_code(value: Any, code: str) -> Any:
    if isinstance(value, str):
        return value.replace("{code}", code)
    if isinstance(value, dict):
        return {k: fill_code(v, code) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_code(v, code) for v in value]
    return value


# ---- forms ---------------------------------------------------------------------------------


def sample_layout(spec: dict[str, Any], blank: dict[str, Any], where: str) -> dict[str, Any]:
    """The blank's layout with the sample's values filled in; unknown labels are errors so a
    sample never silently drifts from its blank."""
    values = dict(spec.get("values", {}))
    tables = list(spec.get("tables", []))
    out = copy.deepcopy(blank)
    out["id"], out["kind"] = spec["id"], "sample"
    out["title"] = spec.get("title", blank["title"] + "（示例）")
    used: set[str] = set()
    for page in out["pages"]:
        for block in page["blocks"]:
            _fill_block(block, values, tables, used)
    # The one difference from the blank besides values: say plainly that the people are made up.
    out["pages"][0]["blocks"].insert(1, {"type": "note", "text": SAMPLE_NOTE})
    unknown = sorted(set(values) - used)
    if unknown:
        raise BuildError(f"{where}: values for labels not in {blank['id']}: {unknown}")
    if tables:
        raise BuildError(f"{where}: {len(tables)} table value set(s) left over")
    return out


def _fill_block(block: dict[str, Any], values: dict[str, Any], tables: list[Any],
                used: set[str]) -> None:
    kind = block["type"]
    if kind == "fields":
        for row in block["rows"]:
            for cell in row:
                if cell["label"] in values:
                    cell["value"] = values[cell["label"]]
                    used.add(cell["label"])
    elif kind == "textarea" and block["label"] in values:
        block["value"] = values[block["label"]]
        used.add(block["label"])
    elif kind == "checkboxes" and block["label"] in values:
        block["checked"] = values[block["label"]]
        used.add(block["label"])
    elif kind == "table" and tables:
        block["values"] = tables.pop(0)


def build_samples(src: Path, forms_out: Path | None) -> dict[str, dict[str, Any]]:
    """Write every sample layout (unless forms_out is None); returns all layouts by id."""
    layouts = {p.stem: load(p) for p in sorted(FORMS_SRC.glob("*.json"))}
    for path in sorted((src / "form-samples").glob("*.json")):
        spec = load(path)
        where = f"form-samples/{path.name}"
        if spec["from"] not in layouts:
            raise BuildError(f"{where}: from: no blank layout {spec['from']}")
        layout = sample_layout(spec, layouts[spec["from"]], where)
        layouts[spec["id"]] = layout
        if forms_out is None:
            continue
        forms_out.mkdir(parents=True, exist_ok=True)
        (forms_out / f"{spec['id']}.json").write_text(dumps(layout), encoding="utf-8")
    return layouts


def form_entry(form_id: str, layouts: dict[str, dict[str, Any]], where: str) -> dict[str, Any]:
    layout = layouts.get(form_id)
    if layout is None:
        raise BuildError(f"{where}: no layout assets/forms/src/{form_id}.json")
    return {"id": form_id, "title": layout["title"], "kind": layout["kind"],
            "file": f"{form_id}.pdf", "pages": len(layout["pages"])}


# ---- items ---------------------------------------------------------------------------------


def expand_item(raw: dict[str, Any], defaults: dict[str, Any], library: dict[str, Any],
                layouts: dict[str, dict[str, Any]], where: str) -> dict[str, Any]:
    code = raw.get("code", "?")
    item: dict[str, Any] = fill_code(merge(defaults, raw), code)
    materials = []
    for i, m in enumerate(item.get("materials", [])):
        if "ref" in m:
            ref = m.pop("ref")
            if ref not in library:
                raise BuildError(f"{where}.materials[{i}].ref: unknown material {ref!r}")
            m = merge(library[ref], m)
        materials.append(m)
    item["materials"] = materials
    item["forms"] = [form_entry(f, layouts, f"{where}.forms") for f in item.get("forms", [])]
    if not item["forms"]:
        del item["forms"]
    return item


def build(src: Path, forms_out: Path | None) -> dict[str, Any]:
    layouts = build_samples(src, forms_out)
    doc: dict[str, Any] = load(src / "meta.json")
    library = load(src / "materials.json")
    items = []
    for path in sorted(src.glob("items-*.json")):
        part = load(path)
        for i, raw in enumerate(part["items"]):
            where = f"{path.name}:items[{i}]({raw.get('code', '?')})"
            items.append(expand_item(raw, part.get("defaults", {}), library, layouts, where))
    doc["items"] = sorted(items, key=lambda it: str(it.get("code", "")))
    doc["synonyms"] = sorted(doc.get("synonyms", []), key=lambda s: s["term"])
    return doc


# ---- checks --------------------------------------------------------------------------------


def schema_problems(doc: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(load(SCHEMA))
    out = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.path))):
        out.append(f"{err.json_path}: {err.message}")
    return out


def consistency_problems(doc: dict[str, Any]) -> list[str]:
    """What the schema cannot say: unique codes, categories and form ids that exist."""
    themes = {t["name"] for t in doc["categories"]["themes"]}
    events = {e["name"] for e in doc["categories"]["life_events"]}
    seen: set[str] = set()
    out = []
    for i, item in enumerate(doc["items"]):
        at = f"$.items[{i}]"
        if item["code"] in seen:
            out.append(f"{at}.code: duplicate code {item['code']}")
        seen.add(item["code"])
        out += [f"{at}.themes: unknown theme {t}" for t in item.get("themes", ())
                if t not in themes]
        out += [f"{at}.life_events: unknown life event {e}"
                for e in item.get("life_events", ()) if e not in events]
        form_ids = {f["id"] for f in item.get("forms", ())}
        for j, m in enumerate(item["materials"]):
            for key in ("blank_form", "sample_form"):
                if m.get(key) and m[key] not in form_ids:
                    out.append(f"{at}.materials[{j}].{key}: {m[key]} is not in this item's forms")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--src", type=Path, default=SRC, help="folder of the part files")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--forms-out", type=Path, default=FORMS_SRC)
    ap.add_argument("--check", action="store_true", help="validate only, write nothing")
    args = ap.parse_args(argv)
    try:
        doc = build(args.src, None if args.check else args.forms_out)
    except (BuildError, KeyError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    problems = schema_problems(doc) + consistency_problems(doc)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s); {args.out} not written", file=sys.stderr)
        return 1
    if not args.check:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(dumps(doc), encoding="utf-8")
    print(f"{len(doc['items'])} items, {len(doc.get('synonyms', []))} synonyms -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
