"""The one place where the queue finds its printer function (TicketSlip → JobOutcome).

QueueService takes any such callable; the CLI and the kiosk get the configured receipt printer
from here. The receipt printer's core module is looked up at call time, so the queue does not
depend on how (or whether) the printer driver is built: without it every print fails plainly,
and the ticket is voided, never left counting.
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType
from typing import Any

from devices.outcome import JobOutcome
from kiosk.config import Config
from kiosk.receipts.ticket import TicketSlip

log = logging.getLogger(__name__)

RECEIPTS_MODULE = "kiosk.receipts.service"
NO_PRINTER_MESSAGE = "打印机暂时无法使用。"


class TicketPrinter:
    """Callable printer function over the configured receipt printer; open()/close()."""

    def __init__(self, cfg: Config, url: str | None = None) -> None:
        self.cfg = cfg
        self.url = url
        self._receipts: ModuleType | None = None
        self._printer: Any = None
        self._missing = ""

    def open(self) -> None:
        try:
            self._receipts = importlib.import_module(RECEIPTS_MODULE)
        except ImportError as exc:
            self._missing = f"{RECEIPTS_MODULE} is not available ({exc})"
            log.error("no receipt printing: %s", self._missing)
            return
        self._printer = self._receipts.open_receipt_printer(self.cfg, self.url)

    def close(self) -> None:
        if self._printer is not None:
            self._printer.close()
            self._printer = None

    def __call__(self, slip: TicketSlip) -> JobOutcome:
        if self._receipts is None or self._printer is None:
            return JobOutcome(ok=False, cause=self._missing or "ticket printer not open",
                              citizen_message=NO_PRINTER_MESSAGE)
        outcome: JobOutcome = self._receipts.print_ticket(self._printer, slip)
        return outcome

    def __enter__(self) -> TicketPrinter:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
