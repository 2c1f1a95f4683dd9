"""Cutting a county's catalog into one bundle per township, and the bundle's files.

A kiosk knows its township ([hall].region_code) and fetches only that township's bundle:
    <CODE>/index.json          the catalog's header (version, publisher, categories, synonyms)
                               with the township as its region, and the order of its items
    <CODE>/items/<item>.json   one file per item — a one-item change moves one small file
    <CODE>/forms/<file>        one file per form the bundle's items name

Which items go where: an item whose `township.code` names a township goes into that
township's bundle; an item with no township code is county-wide and goes into every bundle.
Codes are 12-digit 行政区划代码; shorter ones are padded with zeros on the right (a 9-digit
township code 130981100 is 130981100000). When no item names a township, the publisher says
which townships the catalog is for (`--region`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

BUNDLE_FORMAT = "township-kiosk-bundle"
BUNDLE_FORMAT_VERSION = 1


class BundleError(Exception):
    """The catalog cannot be cut as asked (names the region or the item)."""


def region_code(code: str) -> str:
    return code.ljust(12, "0") if code.isdigit() and len(code) <= 12 else code


def role_name(code: str) -> str:
    return f"bundle-{code}"


def index_path(code: str) -> str:
    return f"{code}/index.json"


def item_path(code: str, item_code: str) -> str:
    return f"{code}/items/{item_code}.json"


def form_path(code: str, file: str) -> str:
    return f"{code}/forms/{file}"


def item_bytes(item: dict[str, Any]) -> bytes:
    """One item as a file: sorted keys, no spaces — the same item always gives the same
    bytes, so an unchanged item keeps its hash from one publication to the next."""
    return json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass
class Bundle:
    code: str                                   # 12-digit township code
    name: str
    items: list[dict[str, Any]] = field(default_factory=list)

    def forms(self) -> list[str]:
        seen: dict[str, None] = {}
        for item in self.items:
            for form in item.get("forms", []):
                seen.setdefault(form["file"])
        return list(seen)

    def index(self, header: dict[str, Any]) -> dict[str, Any]:
        catalog = {**header, "region": {"code": self.code, "name": self.name}}
        return {"format": BUNDLE_FORMAT, "format_version": BUNDLE_FORMAT_VERSION,
                "region": {"code": self.code, "name": self.name},
                "catalog": catalog,
                "items": [item["code"] for item in self.items],
                "forms": self.forms()}


def header_of(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "items"}


def cut(doc: dict[str, Any], regions: Sequence[str] = ()) -> dict[str, Bundle]:
    """Bundles by township code, in code order. `regions` (12-digit codes) limits them to
    those townships, or — when no item names a township — says which townships to cut."""
    wanted = [region_code(r) for r in regions]
    bad = [r for r in wanted if not (r.isdigit() and len(r) == 12)]
    if bad:
        raise BundleError(f"--region {bad[0]}: expected a 12-digit region code")
    towns: dict[str, Bundle] = {}
    county_wide: list[dict[str, Any]] = []
    for item in doc["items"]:
        town = item.get("township") or {}
        code = region_code(town.get("code", ""))
        if not code:
            county_wide.append(item)
            continue
        towns.setdefault(code, Bundle(code, town.get("name", ""))).items.append(item)
    if not towns and not wanted:
        raise BundleError("no item names its township (items[].township.code): say which "
                          "township(s) the catalog is for with --region CODE")
    names = {c: b.name for c, b in towns.items()}
    region_name = (doc.get("region") or {}).get("name", "")
    for code in wanted:
        if code not in towns and not county_wide:
            raise BundleError(f"--region {code}: no item of the catalog is for this township")
    codes = sorted(wanted or towns)
    out: dict[str, Bundle] = {}
    for code in codes:
        own = towns[code].items if code in towns else []
        out[code] = Bundle(code, names.get(code) or region_name,
                           _in_document_order(doc, own, county_wide))
    return out


def _in_document_order(doc: dict[str, Any], own: list[dict[str, Any]],
                       shared: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not shared:
        return own
    if not own:
        return list(shared)
    keep = {id(i) for i in own} | {id(i) for i in shared}
    return [i for i in doc["items"] if id(i) in keep]
