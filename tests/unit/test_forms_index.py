"""Which items have forms (kiosk/forms/index.py) and the visit's end wiping flows' state
(kiosk/session.py): a copy job kept in `extra` is shredded when the visit ends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.catalog.catalog import Catalog
from kiosk.forms.index import cached_index, forms_index, kind_label
from kiosk.session import Session

MINI = Path(__file__).resolve().parent.parent / "data/mini-catalog.json"


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(MINI.read_text(encoding="utf-8"))
    return doc


def test_items_with_forms_most_asked_first_and_counted() -> None:
    doc = _doc()
    items = {i["code"]: i for i in doc["items"]}
    items["T-0002"]["forms"] = [
        {"id": "A", "title": "申请表", "kind": "blank", "file": "a.pdf"},
        {"id": "B", "title": "申请表（示例）", "kind": "sample", "file": "b.pdf"},
        {"id": "C", "title": "附表", "kind": "blank", "file": "c.pdf"}]
    catalog = Catalog.from_document(doc)
    assert catalog.summary("T-0002").forms == ("blank", "sample", "blank")
    assert catalog.summary("T-0003").forms == ()
    assert cached_index(catalog) is None
    entries = forms_index(catalog)
    assert [e.summary.code for e in entries] == ["T-0002", "T-0001"]  # popularity 95, 90
    assert entries[0].counts_text == "空白表格 2 份，示例样表 1 份"
    assert entries[1].counts_text == "空白表格 1 份"
    assert [kind_label(f) for f in entries[0].forms] == ["空白表格", "示例样表", "空白表格"]
    assert kind_label(catalog.get("T-0002").forms[1]) == "示例样表"
    assert cached_index(catalog) is entries and forms_index(catalog) is entries


def test_equally_asked_for_items_are_in_name_order() -> None:
    from kiosk.catalog.generate import generate_document

    catalog = Catalog.from_document(generate_document(400, seed=5))
    with_forms = [s for s in catalog if s.forms]
    pops = [s.popularity for s in with_forms]
    assert len(set(pops)) < len(pops)        # ties exist, so the name order is exercised
    assert [e.summary for e in forms_index(catalog)] == sorted(
        with_forms, key=lambda s: (-s.popularity, s.name))


def test_index_is_built_without_decoding_any_item() -> None:
    """A catalog whose every item read fails (a store that went away) still lists its forms:
    the list comes from the summaries alone."""
    first = Catalog.from_document(_doc())
    reads: list[str] = []

    def fails(code: str) -> dict[str, Any]:
        from kiosk.errors import CatalogError

        reads.append(code)
        raise CatalogError(f"item {code}: store unreadable")

    second = Catalog(first.meta, list(first.summaries()), fails)
    entries = forms_index(second)
    assert reads == []
    assert [(e.summary.code, e.counts_text) for e in entries] == [("T-0001", "空白表格 1 份")]


def test_index_belongs_to_one_catalog() -> None:
    first = Catalog.from_document(_doc())
    forms_index(first)
    doc = _doc()
    for item in doc["items"]:
        item.pop("forms", None)     # the next catalog version has no forms at all
    second = Catalog.from_document(doc)
    assert [e.summary.code for e in forms_index(first)] == ["T-0001"]
    assert cached_index(second) is None   # a new catalog (version) is indexed afresh
    assert forms_index(second) == ()


class Scans:
    """Stands in for a copy flow: what Session.end must call."""

    def __init__(self) -> None:
        self.wiped = 0

    def wipe(self) -> None:
        self.wiped += 1


def test_end_of_visit_wipes_what_flows_keep() -> None:
    session = Session(60, 30)
    scans = Scans()
    session.extra["copy"] = scans
    session.extra["note"] = "no wipe method: just dropped"
    assert not session.is_blank()
    session.end()
    assert scans.wiped == 1 and session.extra == {} and session.is_blank()
