"""What came of an operation, named the same way whatever did it: `ok`, the plain Chinese
`message` for the person at the kiosk, and the engineer-facing `detail`.

    JobOutcome (here)                 a print job, any printer
    kiosk.queue.service.IssueResult   taking a queue ticket
    kiosk.maintenance.ActionResult    a maintenance action (its message is for hall staff)

Callers act on `ok`: the queue counts a ticket only when it is true, and shows `message`
otherwise. `detail` goes to logs, the CLI's JSON and the technician; it names the port, the
byte or the state, and never holds personal data. (An exception's own plain words are its
`citizen_message`; kiosk.errors.citizen_message_of reads them.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Outcome(Protocol):
    """The parts every result type shares."""

    @property
    def ok(self) -> bool: ...

    @property
    def message(self) -> str: ...

    @property
    def detail(self) -> str: ...


@dataclass(frozen=True)
class JobOutcome:
    ok: bool
    detail: str = ""            # engineer-facing, e.g. "REC_EMPTY", "COVER_OPEN",
                                # "OFFLINE: connection refused (tcp://127.0.0.1:9100)"
    message: str = ""           # plain Chinese, e.g. devices.messages.RECEIPT_PAPER_OUT
    bytes_sent: int = 0
    job_id: str = ""            # e.g. the CUPS job id, or the receipt's sequence number
