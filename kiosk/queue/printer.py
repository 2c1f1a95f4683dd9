"""The queue's printer function (TicketSlip → JobOutcome) for commands that have no running
Terminal: QueueService takes any such callable (tests pass their own); kiosk.bootstrap builds
this one over the configured receipt printer. A print never raises: an absent or faulty
printer is a failed JobOutcome, and the queue settles the ticket by it.
"""

from __future__ import annotations

from collections.abc import Callable

from devices.outcome import JobOutcome
from devices.receipt_printer.printer import ReceiptPrinter
from kiosk.receipts.service import print_ticket
from kiosk.receipts.ticket import TicketSlip

NOT_OPEN_MESSAGE = "打印机暂时无法使用。"


class TicketPrinter:
    """Callable printer function; open() connects through `open_printer` (from bootstrap)."""

    def __init__(self, open_printer: Callable[[], ReceiptPrinter]) -> None:
        self._open_printer = open_printer
        self._printer: ReceiptPrinter | None = None

    def open(self) -> None:
        """Connect (an absent printer is OFFLINE, not an error: its prints fail plainly)."""
        if self._printer is None:
            self._printer = self._open_printer()

    def close(self) -> None:
        if self._printer is not None:
            self._printer.close()
            self._printer = None

    def __call__(self, slip: TicketSlip) -> JobOutcome:
        if self._printer is None:
            return JobOutcome(ok=False, detail="ticket printer not open",
                              message=NOT_OPEN_MESSAGE)
        return print_ticket(self._printer, slip)

    def __enter__(self) -> TicketPrinter:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
