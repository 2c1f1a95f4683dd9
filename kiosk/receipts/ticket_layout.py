"""The queue ticket slip: the number, big, so it can be read at arm's length by someone who
forgot their glasses; then how long, where, and a QR staff scan to call or reprint it."""

from __future__ import annotations

from devices.receipt_printer.document import (
    QR,
    Align,
    Block,
    Cut,
    Feed,
    ReceiptDocument,
    Rule,
    Text,
)
from devices.receipt_printer.wrap import text_width
from kiosk.receipts.ticket import TicketSlip


def _number(slip: TicketSlip, width_cols: int) -> Text:
    size = 3 if len(slip.number) * 3 <= width_cols else 2
    return Text(slip.number, width=size, height=size, bold=True, align=Align.CENTER)


def _ascii_dash(text: str) -> str:
    """'10–15': the printer's en dash is a full-width glyph that reads '10 – 15'; a hyphen
    keeps the range together."""
    return text.replace("–", "-").replace("～", "-")


def _details(slip: TicketSlip) -> list[Block]:
    ahead = "前面没有人等候，请留意叫号" if slip.people_ahead == 0 else \
        f"前面还有 {slip.people_ahead} 人等候"
    blocks: list[Block] = [Text(ahead, bold=True), Text(f"预计等候：{_ascii_dash(slip.wait_text)}")]
    if slip.where:
        blocks.append(Text(f"等候地点：{slip.where}", indent=10))
    if slip.counters:
        blocks.append(Text(f"办理窗口：{'、'.join(slip.counters)}", indent=10))
    blocks.append(Text(f"取号时间：{slip.issued_at:%Y-%m-%d %H:%M}"))
    if slip.holder_masked:
        blocks.append(Text(f"取号人：{slip.holder_masked}"))
    return blocks


def ticket_receipt(slip: TicketSlip, width_cols: int) -> ReceiptDocument:
    blocks: list[Block] = [Text(slip.hall_name, align=Align.CENTER), Rule()]
    if slip.reprint:
        blocks.append(Text("（补打）", bold=True, align=Align.CENTER))
    blocks += [Text("您的排队号", align=Align.CENTER), _number(slip, width_cols)]
    if slip.priority:
        blocks.append(Text(slip.priority, bold=True, align=Align.CENTER))
    blocks += [
        Text(slip.service_name, width=2 if text_width(slip.service_name) * 2 <= width_cols
             else 1, height=2, bold=True, align=Align.CENTER),
        Rule(),
        *_details(slip),
        Feed(1),
        QR(slip.ticket_id, size=4),
        Rule(),
        Text("请保管好本票，听到叫号后请到窗口办理。过号请到服务台咨询。"),
        Cut(),
    ]
    return ReceiptDocument(blocks)
