"""What a queue ticket slip says. The queue fills it in; the receipt layouts turn it into a
printable document. Personal data arrives here already masked (王*明): a slip is printed, so
it must never carry a citizen's name or ID number in clear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TicketSlip:
    hall_name: str
    number: str                 # "A007" (or "YA007" with a priority prefix)
    service_name: str           # "社保医保"
    people_ahead: int
    wait_text: str              # "约 10–15 分钟": a range, never false precision
    issued_at: datetime
    ticket_id: str              # opaque id for the QR code (staff scan it to call/reprint)
    where: str = ""             # "一楼东侧等候区"
    counters: tuple[str, ...] = ()
    priority: str = ""          # "" or a plain label, e.g. "老年人优先", "优先（待工作人员核验）"
    holder_masked: str = ""     # "王*明" where a card was read, else ""
    reprint: bool = False       # staff reprints are marked as such
    rate_url: str = ""           # 好差评 on a phone (kiosk/calls/ratelink.py); "": no QR
