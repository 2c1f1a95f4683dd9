"""The number is printed last (kiosk/receipts/ticket_layout.py): a slip cut short at any byte
before the number carries no number, so a voided ticket never leaves a citizen holding one.

Every byte offset of the real slip bytes (rendered for each printer profile of the demo's
kiosk.toml) is decoded by the project's own ESC/POS decoder (the virtual printer's), as a
printer whose paper ran out at that byte would have printed it."""

from __future__ import annotations

from datetime import datetime

import pytest

from devices.receipt_printer.escpos_render import render
from devices.sim.escpos_decode import Decoder
from kiosk.bootstrap import profile_spec
from kiosk.config import load_config
from kiosk.receipts.ticket import TicketSlip
from kiosk.receipts.ticket_layout import ticket_body, ticket_number, ticket_receipt
from tests.ui.helpers import REPO

SLIP = TicketSlip(hall_name="青禾县清河镇便民服务中心", number="C003", service_name="综合咨询",
                  people_ahead=2, wait_text="约 5–15 分钟",
                  issued_at=datetime(2026, 11, 23, 9, 5), ticket_id="t-0003",
                  where="一楼大厅中央", counters=("5号窗口",), priority="老年人优先",
                  holder_masked="李*例")
CFG = load_config(REPO / "kiosk.toml")


def printed_text(data: bytes, cols: int) -> str:
    """What a printer shows after receiving `data` and nothing more."""
    dec = Decoder(cols=cols)
    receipts = dec.feed(data)
    tail = dec.end_of_stream()
    lines = [line for r in receipts for line in r.text_lines()]
    if tail is not None:
        lines += tail.text_lines()
    return "\n".join(lines)


@pytest.mark.parametrize("profile", ["demo-80", "generic-58"])
def test_no_byte_offset_before_the_number_shows_any_of_it(profile: str) -> None:
    spec = profile_spec(CFG.printer_profiles[profile])
    cols = 48 if spec.paper_mm == 80 else 32
    body = render(ticket_body(SLIP, cols), spec)
    number = render(ticket_number(SLIP, cols), spec)
    data = body + number
    for k in range(len(body) + 1):          # paper ran out at byte k of the body
        text = printed_text(data[:k], cols)
        assert "C003" not in text and "您的排队号" not in text, f"byte {k} of {len(body)}"
    whole = printed_text(data, cols)
    assert "C003" in whole and "综合咨询" in whole
    # From the first byte of the number on, the kiosk may not void: the number was sent.
    first_seen = next(k for k in range(len(body), len(data) + 1)
                      if "C003" in printed_text(data[:k], cols))
    assert first_seen > len(body)


def test_the_one_document_is_body_then_number() -> None:
    cols = 48
    whole = ticket_receipt(SLIP, cols).plain_text(cols)
    body = ticket_body(SLIP, cols).plain_text(cols)
    assert whole[:len(body)] == body
    assert whole.index("C003") > max(i for i, line in enumerate(whole) if "取号时间" in line)


def test_the_qr_has_a_caption_and_the_footer_says_service_desk() -> None:
    text = "\n".join(ticket_receipt(SLIP, 48).plain_text(48))
    assert "工作人员扫码" in text
    assert "服务台" in text and "过号请到窗口" not in text
