"""The one place where the queue gets its printer function (TicketSlip → JobOutcome).

QueueService takes any such callable (tests pass their own); the CLI and the kiosk take the
configured receipt printer from here, so the choice of printer is made once. A print never
raises: an absent or faulty printer is a failed JobOutcome, and the queue voids the ticket.
"""

from __future__ import annotations

from collections.abc import Callable

from devices.outcome import JobOutcome
from devices.receipt_printer.printer import ReceiptPrinter
from kiosk.config import Config
from kiosk.receipts.service import open_receipt_printer, print_ticket
from kiosk.receipts.ticket import TicketSlip

NOT_OPEN_MESSAGE = "打印机暂时无法使用。"


class TicketPrinter:
    """Callable printer function over the configured receipt printer; open()/close()."""

    def __init__(self, cfg: Config, url: str | None = None) -> None:
        self.cfg = cfg
        self.url = url
        self._printer: ReceiptPrinter | None = None

    def open(self) -> None:
        """Connect (an absent printer is OFFLINE, not an error: its prints fail plainly)."""
        if self._printer is None:
            self._printer = open_receipt_printer(self.cfg, self.url)

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


def slip_printer(printer: ReceiptPrinter) -> Callable[[TicketSlip], JobOutcome]:
    """The printer function over a receipt printer someone else owns (the kiosk app keeps one
    open for guides and tickets alike)."""
    return lambda slip: print_ticket(printer, slip)
