"""The in-memory read model over a small, schema-valid test catalog (tests/data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog.catalog import Catalog
from kiosk.errors import ItemNotFound

MINI = Path(__file__).parent.parent / "data" / "mini-catalog.json"


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(MINI.read_text(encoding="utf-8"))
    return doc


def test_summaries_and_lazy_items() -> None:
    loads: list[str] = []
    doc = _doc()
    raw: dict[str, dict[str, Any]] = {d["code"]: d for d in doc["items"]}

    def load(code: str) -> dict[str, Any]:
        loads.append(code)
        return raw[code]

    cat = Catalog.from_document(doc)
    lazy = Catalog(cat.meta, cat.summaries(), load)
    assert len(lazy) == 4 and "T-0002" in lazy and "nope" not in lazy
    assert loads == []                       # nothing decoded until asked
    item = lazy.get("T-0002")
    assert item.name == "80周岁以上老年人高龄津贴申领"
    assert lazy.get("T-0002") is item and loads == ["T-0002"]   # cached
    assert lazy.summary("T-0004").materials[0] == "农村宅基地和建房（规划许可）申请表"
    assert [s for s in lazy.summary("T-0001").steps] == ["受理", "审核", "审批"]


def test_unknown_code_raises_item_not_found() -> None:
    cat = Catalog.from_document(_doc())
    with pytest.raises(ItemNotFound) as e:
        cat.get("X-9")
    assert e.value.code == "X-9"
    with pytest.raises(ItemNotFound):
        cat.summary("X-9")


def test_categories_keep_published_order_and_count() -> None:
    cat = Catalog.from_document(_doc())
    assert [(c.name, c.count) for c in cat.categories("theme")] == [
        ("社会救助", 1), ("养老服务", 2), ("农业农村", 1)]
    assert [c.name for c in cat.categories("life_event")] == ["养老", "困难救助", "建房"]
    assert [(c.name, c.count) for c in cat.categories("department")] == [
        ("民政办", 2), ("社保所", 1), ("自然资源所", 1)]
    assert [s.code for s in cat.in_category("life_event", "养老")] == ["T-0002", "T-0003"]
    assert [s.code for s in cat.popular(2)] == ["T-0002", "T-0001"]


def test_empty_categories_are_left_out() -> None:
    doc = _doc()
    doc["categories"]["life_events"].append({"name": "身后事"})
    assert "身后事" not in [c.name for c in Catalog.from_document(doc).categories("life_event")]
