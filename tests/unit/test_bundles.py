"""一件事 bundles (kiosk/catalog/bundles.py): the catalog format, its validation, the combined
checklist and its slip, on the sample catalog."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from devices.receipt_printer.escpos_render import render
from devices.sim.escpos_decode import Decoder
from kiosk.bootstrap import profile_spec
from kiosk.catalog.bundles import combined_checklist
from kiosk.catalog.catalog import Catalog
from kiosk.catalog.store import CatalogStore
from kiosk.catalog.validate import validate_document
from kiosk.config import parse_config
from kiosk.lookup import catalog_from_file
from kiosk.receipts.bundle import bundle_receipt
from tests.ui.helpers import REPO

SAMPLE = REPO / "assets" / "catalog" / "sample-catalog.json"
NOW = datetime(2026, 11, 23, 10, 0)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return catalog_from_file(SAMPLE)


def test_sample_catalog_has_the_bundles_and_the_items_they_need(cat: Catalog) -> None:
    names = {b.name: b for b in cat.meta.bundles}
    assert {"身后一件事", "出生一件事"} <= set(names)
    assert cat.get("QH-YB-09").name == "城乡居民基本医疗保险参保注销"
    assert names["身后一件事"].codes[0] == "QH-QT-04"      # 户口注销 comes first
    for b in cat.meta.bundles:
        assert all(code in cat for code in b.codes)


def test_widows_checklist_is_ordered_and_deduplicated(cat: Catalog) -> None:
    b = next(b for b in cat.meta.bundles if b.id == "shenhou")
    items = [cat.get(c) for c in b.codes]
    entries = combined_checklist(b, items)
    names = [e.name for e in entries]
    assert len(names) == len(set(names))
    # three items each ask for the family member's ID card under their own name: one line
    ids = [e for e in entries if "居民身份证" in e.name and "逝者" not in e.name]
    assert len(ids) == 1 and ids[0].steps == (1, 2, 3, 4)
    assert ids[0].copies == sum(m.copy_copies for it in items for m in it.materials
                                if m.name in ("申报人居民身份证", "经办家属居民身份证",
                                              "继承人或申请人居民身份证"))
    # the subsidy and the pension need the 注销证明 that step 1 gives: not to bring
    proof = next(e for e in entries if e.name == "户口注销证明")
    assert proof.given_by == 1 and "第1步办好后取得" in proof.detail
    # in the order the steps first need them
    first_step = [e.steps[0] for e in entries]
    assert first_step == sorted(first_step)


def test_bundle_slip_lists_every_material_once_and_fits(cat: Catalog) -> None:
    cfg = parse_config({})
    for b in cat.meta.bundles:
        items = [cat.get(c) for c in b.codes]
        for large in (False, True):
            for profile in ("demo-80", "generic-58"):
                spec = profile_spec(cfg.printer_profiles[profile])
                doc = bundle_receipt(b, items, NOW, "厅", spec.cols, large)
                dec = Decoder(cols=spec.cols)
                (receipt,) = dec.feed(render(doc, spec))
                assert dec.auto_wraps == 0
                text = "".join(line.strip() for line in receipt.text_lines())
                for it in items:
                    assert it.name in text
                for e in combined_checklist(b, items):
                    assert text.count(e.name) >= 1
        one = "\n".join(bundle_receipt(b, items, NOW, "厅", 48).plain_text(48))
        boxes = [line for line in one.split("\n") if line.startswith("□ ")]
        assert len(boxes) == len({line for line in boxes})


def test_bundles_survive_the_store(tmp_path: Path, cat: Catalog) -> None:
    with CatalogStore(tmp_path / "catalog.sqlite") as store:
        store.import_file(SAMPLE)
        stored = store.current()
    assert stored is not None
    assert stored.meta.bundles == cat.meta.bundles


def _with(doc: dict[str, Any], **change: Any) -> dict[str, Any]:
    d = copy.deepcopy(doc)
    d["bundles"][0].update(change)
    return d


def test_validation_names_the_bundle_step_and_problem(doc: dict[str, Any]) -> None:
    assert validate_document(doc) == []
    steps = copy.deepcopy(doc["bundles"][0]["steps"])
    bad = _with(doc, steps=[{"item": "QH-XX-99"}, *steps[1:]])
    assert any(p.startswith("bundles[0].steps[0].item") and "QH-XX-99" in p
               for p in validate_document(bad))
    backwards = _with(doc, steps=[steps[1], steps[0], *steps[2:]])
    assert any("bundles[0].steps[0].after[0]" in p and "earlier step" in p
               for p in validate_document(backwards))
    twice = _with(doc, steps=[steps[0], steps[0]])
    assert any("already step 1" in p for p in validate_document(twice))
    event = _with(doc, life_event="不存在")
    assert any("bundles[0].life_event" in p for p in validate_document(event))
    unknown = _with(doc, colour="red")
    assert any(p.startswith("bundles[0]") for p in validate_document(unknown))
    same = _with(doc, same_material=[{"name": "x", "names": ["没有这个材料"]}])
    assert any("没有这个材料" in p for p in validate_document(same))
