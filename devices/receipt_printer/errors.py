"""Receipt printer errors (see devices/errors.py for the tree). The driver turns them into a
JobOutcome instead of raising them at its callers; they travel inside the driver only."""

from __future__ import annotations

from devices import messages
from devices.errors import PrinterError


class PrinterOffline(PrinterError):
    """No connection, or the connection broke (cable pulled, power cycled, network gone)."""

    citizen_message = messages.RECEIPT_OFFLINE


class PaperOut(PrinterError):
    citizen_message = messages.RECEIPT_PAPER_OUT


class CoverOpen(PrinterError):
    citizen_message = messages.RECEIPT_COVER_OPEN
