"""Small catalogs for the search tests: the mini test catalog (tests/data), and one built
here with polyphones and a ranking ladder. Real Catalog objects, no mocks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.catalog.catalog import Catalog
from kiosk.search import SearchIndex

MINI = Path(__file__).resolve().parent.parent / "data" / "mini-catalog.json"


def mini_document() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(MINI.read_text(encoding="utf-8"))
    return doc


def mini_index() -> tuple[Catalog, SearchIndex]:
    catalog = Catalog.from_document(mini_document())
    return catalog, SearchIndex.build(catalog)


def item(code: str, name: str, popularity: int = 10, **extra: Any) -> dict[str, Any]:
    materials = extra.pop("materials", ["居民身份证"])
    steps = extra.pop("steps", ["受理"])
    return {"code": code, "name": name, "popularity": popularity, "department": "民政办",
            "materials": [{"name": m} for m in materials],
            "steps": [{"order": i + 1, "name": s} for i, s in enumerate(steps)], **extra}


def document(items: list[dict[str, Any]],
             synonyms: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"format": "township-kiosk-catalog", "format_version": 1,
            "catalog_version": "search-test", "published": "2026-11-01",
            "publisher": "测试（虚构）", "region": {"name": "测试镇"},
            "categories": {"themes": [{"name": "社会救助", "audience": "natural_person"}],
                           "life_events": [{"name": "养老"}]},
            "synonyms": synonyms or [], "items": items}


POLYPHONES = [
    item("P-1", "银行卡信息变更", 5),
    item("P-2", "长期护理保险待遇申请", 5),
    item("P-3", "重度残疾人护理补贴", 5),
    item("P-4", "乐龄活动中心登记", 5),
    item("P-5", "传染病防治证明", 5),
    item("P-6", "村长联系方式查询", 5),
]

# One query, 残疾, found in every way, with popularity running against the ranking so the
# band, not popularity, must decide.
LADDER = [
    item("L-exact", "残疾", 1),
    item("L-prefix", "残疾人证申领", 2),
    item("L-sub", "困难残疾人生活补贴", 3),
    item("L-sub-popular", "重度残疾人护理补贴", 4),
    item("L-alias", "护理补贴发放", 5, aliases=["残疾补贴"]),
    item("L-keyword", "公交优惠卡办理", 6, keywords=["残疾"]),
    item("L-material", "低保边缘家庭认定", 7, materials=["残疾人证", "户口簿"]),
    item("L-step", "无障碍改造申请", 8, steps=["残疾等级核实"]),
    item("L-tie-long", "困难残疾人家庭生活补贴", 3),
]


def custom_index(items: list[dict[str, Any]],
                 synonyms: list[dict[str, Any]] | None = None) -> SearchIndex:
    return SearchIndex.build(Catalog.from_document(document(items, synonyms)))
