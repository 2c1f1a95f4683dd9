"""The queue ticket slip: how long, where, a QR staff scan to reprint it (and, when the hall
serves the rating page to phones, a QR to rate the service) — and, printed last,
the number, big, so it can be read at arm's length by someone who forgot their glasses.

Why last: paper that runs out mid-slip must never leave a citizen holding a number the kiosk
then voids. The slip goes out in two parts (kiosk.receipts.service.print_ticket): the body,
a status check, then the number and the cut. If the body did not come out whole, the number
was never sent and the ticket can be voided; once the number was sent it may be on paper, so
the ticket is kept (the queue's "slip may exist — verify") and the citizen is told to keep
what came out. tests/unit/test_ticket_print_order.py cuts the slip at every byte offset."""

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


FOOTER = "请保管好本票，听到叫号后请到窗口办理。过号或号票丢失，请到服务台找工作人员。"
QR_CAPTION = "工作人员扫码核对号码"
RATE_CAPTION = "办完后，可用手机扫码评价本次服务"


def _rating(slip: TicketSlip) -> list[Block]:
    """The second channel of 好差评: the rating page on the citizen's phone, one rating per
    ticket (kiosk/calls/ratelink.py)."""
    if not slip.rate_url:
        return []
    return [Feed(1), QR(slip.rate_url, size=4), Text(RATE_CAPTION, align=Align.CENTER)]


def ticket_body(slip: TicketSlip, width_cols: int) -> ReceiptDocument:
    """Everything but the number: printed first. A slip cut short here carries no number, so
    the queue can void it without leaving a citizen holding a dead one."""
    blocks: list[Block] = [Text(slip.hall_name, align=Align.CENTER), Rule()]
    if slip.reprint:
        blocks.append(Text("（补打）", bold=True, align=Align.CENTER))
    blocks += [
        Text(slip.service_name, width=2 if text_width(slip.service_name) * 2 <= width_cols
             else 1, height=2, bold=True, align=Align.CENTER),
        Rule(),
        *_details(slip),
        Feed(1),
        QR(slip.ticket_id, size=4),
        Text(QR_CAPTION, align=Align.CENTER),
        *_rating(slip),
        Rule(),
        Text(FOOTER),
        Rule(),
    ]
    return ReceiptDocument(blocks)


def ticket_number(slip: TicketSlip, width_cols: int) -> ReceiptDocument:
    """The number, big, then the cut: printed last, only once the body came out whole."""
    blocks: list[Block] = [Text("您的排队号", align=Align.CENTER), _number(slip, width_cols)]
    if slip.priority:
        blocks.append(Text(slip.priority, bold=True, align=Align.CENTER))
    blocks.append(Cut())
    return ReceiptDocument(blocks)


def ticket_receipt(slip: TicketSlip, width_cols: int) -> ReceiptDocument:
    """The whole slip as one document (previews, tests): body, then the number."""
    return ReceiptDocument(ticket_body(slip, width_cols).blocks
                           + ticket_number(slip, width_cols).blocks)
