"""The guide, ticket and test page layouts: what they say, that they fit 58 and 80 mm paper
(the virtual printer's decoder counts any line the printer would have to wrap itself), and the
byte budgets of text mode."""

from __future__ import annotations

import dataclasses
import itertools
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from devices.receipt_printer.document import QR, ReceiptDocument, Text
from devices.receipt_printer.escpos_render import ProfileSpec, render
from devices.sim.escpos_decode import Decoder
from kiosk import plain
from kiosk.bootstrap import profile_spec
from kiosk.catalog.model import Item, item_from_dict
from kiosk.config import parse_config
from kiosk.receipts.guide import guide_receipt
from kiosk.receipts.testpage import test_page as make_test_page
from kiosk.receipts.ticket import TicketSlip
from kiosk.receipts.ticket_layout import ticket_receipt

NOW = datetime(2026, 11, 23, 9, 41)
PROFILES = [ProfileSpec(paper_mm=58), ProfileSpec(paper_mm=80)]


def items(repo: Path) -> list[Item]:
    doc: dict[str, Any] = json.loads((repo / "tests/data/mini-catalog.json").read_text("utf-8"))
    return [item_from_dict(d) for d in doc["items"]]


def slip(**kw: Any) -> TicketSlip:
    base = dict(hall_name="示例县青山镇便民服务中心", number="A007", service_name="社保医保",
                people_ahead=3, wait_text="约 10–15 分钟", issued_at=NOW,
                ticket_id="T20261123-A007", where="一楼东侧等候区", counters=("3号窗口",))
    return TicketSlip(**{**base, **kw})


def decoded(doc: ReceiptDocument, profile: ProfileSpec) -> tuple[list[str], Decoder]:
    dec = Decoder(cols=profile.cols)
    (receipt,) = dec.feed(render(doc, profile))
    return receipt.text_lines(), dec


@pytest.mark.parametrize("profile", PROFILES, ids=["58mm", "80mm"])
def test_guide_lists_every_material_with_counts_and_fits(repo: Path,
                                                         profile: ProfileSpec) -> None:
    for item in items(repo):
        doc = guide_receipt(item, NOW, "青山镇便民服务中心", profile.cols)
        lines, dec = decoded(doc, profile)
        text = "".join(line.strip() for line in lines)
        assert dec.auto_wraps == 0, item.code
        for m in item.materials:
            assert m.name in text and plain.material_counts(m) in text, (item.code, m.name)
        assert lines.count("") < len(lines)
        assert "打印时间：2026-11-23 09:41" in text
        assert plain.limit(item.legal_limit) in text and plain.visits(item) in text
        for c in item.conditions:                      # who may apply: 申请条件
            assert c.replace(" ", "") in text, (item.code, c)
        for q in item.faq:                             # 常见问题, e.g. "子女可以代办…"
            assert q.question.replace(" ", "") in text and q.answer.replace(" ", "") in text
        assert not any(isinstance(b, QR) for b in doc.blocks) or item.guide_url


def test_guide_has_qr_only_with_an_online_guide(repo: Path) -> None:
    item = items(repo)[0]
    with_url = dataclasses.replace(item, guide_url="https://example.gov.cn/g/T-0001")
    qrs = [b for b in guide_receipt(with_url, NOW, "厅", 48).blocks if isinstance(b, QR)]
    assert [q.data for q in qrs] == ["https://example.gov.cn/g/T-0001"]
    plain = dataclasses.replace(item, guide_url="")
    assert not any(isinstance(b, QR) for b in guide_receipt(plain, NOW, "厅", 48).blocks)


@pytest.mark.parametrize("profile", PROFILES, ids=["58mm", "80mm"])
def test_ticket_says_number_wait_and_holder(profile: ProfileSpec) -> None:
    doc = ticket_receipt(slip(priority="老年人优先", holder_masked="王*明"), profile.cols)
    lines, dec = decoded(doc, profile)
    assert dec.auto_wraps == 0
    receipt = Decoder(cols=profile.cols).feed(render(doc, profile))[0]
    big = [e for e in receipt.elements if getattr(e, "text", "") == "A007"]
    assert big and big[0].height == 3    # type: ignore[union-attr]
    joined = "\n".join(lines)
    for expected in ("前面还有 3 人等候", "约 10-15 分钟", "老年人优先", "取号人：王*明",
                     "[QR T20261123-A007]", "社保医保"):
        assert expected in joined
    assert "补打" not in joined


def test_ticket_reprint_and_nobody_ahead() -> None:
    joined = "\n".join(ticket_receipt(slip(reprint=True, people_ahead=0), 48).plain_text(48))
    assert "补打" in joined and "前面没有人等候" in joined


def test_test_page_names_the_profile_and_fits() -> None:
    for profile in PROFILES:
        doc = make_test_page("generic-58", profile, "厅", NOW)
        lines, dec = decoded(doc, profile)
        assert dec.auto_wraps == 0
        assert "配置：generic-58" in lines
        assert "1234567890" in "".join(lines)


def test_text_mode_byte_budgets(repo: Path) -> None:
    """Issue 4 targets: a ticket ≤ 2 KB, a long guide ≤ 8 KB in text mode."""
    longest = max(items(repo), key=lambda i: len(i.materials) + len(i.steps))
    # A long guide: 20 materials, 9 steps, an online guide QR.
    long_guide = dataclasses.replace(longest, materials=longest.materials * 5,
                                     steps=longest.steps * 3,
                                     guide_url="https://example.gov.cn/guide/T-0004")
    for profile in PROFILES:
        assert len(render(ticket_receipt(slip(), profile.cols), profile)) <= 2048
        doc = guide_receipt(long_guide, NOW, "青山镇便民服务中心", profile.cols)
        assert len(render(doc, profile)) <= 8192
        lines, dec = decoded(doc, profile)
        assert dec.auto_wraps == 0 and sum(line.startswith("□ ") for line in lines) == 20


def test_profile_from_config() -> None:
    cfg = parse_config({})
    spec = profile_spec(cfg.printer_profiles["raster-80"])
    assert (spec.paper_mm, spec.text_mode, spec.qr) == (80, "raster", "image")
    assert profile_spec(cfg.printer_profiles["generic-58"]).cols == 32


def test_sample_guides_carry_conditions_and_questions_on_paper(repo: Path) -> None:
    """The sample catalog's guides (not only the test catalog) print 申请条件 and 常见问题."""
    from kiosk.lookup import catalog_from_file

    cat = catalog_from_file(repo / "assets" / "catalog" / "sample-catalog.json")
    item = cat.get("QH-MZ-08")
    text = "".join(guide_receipt(item, NOW, "厅", 48).plain_text(48))
    assert "申请条件" in text and "常见问题" in text
    assert all(q.question in text for q in item.faq) and item.faq


def test_large_print_doubles_every_line_and_keeps_the_boxes(repo: Path) -> None:
    item = items(repo)[0]
    doc = guide_receipt(item, NOW, "厅", 48, large=True)
    texts = [b for b in doc.blocks if isinstance(b, Text)]
    assert texts and all(b.height >= 2 for b in texts)
    assert sum(b.text.startswith("□ ") for b in texts) == len(item.materials)
    lines, dec = decoded(doc, PROFILES[1])
    assert dec.auto_wraps == 0
    normal, _ = decoded(guide_receipt(item, NOW, "厅", 48), PROFILES[1])
    assert len(lines) >= len(normal)


@pytest.mark.parametrize("profile", PROFILES, ids=["58mm", "80mm"])
def test_guide_never_breaks_a_time_range(repo: Path, profile: ProfileSpec) -> None:
    from kiosk.lookup import catalog_from_file

    cat = catalog_from_file(repo / "assets" / "catalog" / "sample-catalog.json")
    for s in cat.summaries():
        item = cat.get(s.code)
        for large in (False, True):
            lines = guide_receipt(item, NOW, "厅", profile.cols, large).plain_text(profile.cols)
            for a, b in itertools.pairwise(lines):
                broken = a.rstrip().endswith(("—", "–", "～", "至")) and b.lstrip()[:1].isdigit()
                assert not broken, (item.code, a, b)
