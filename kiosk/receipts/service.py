"""One call per kind of slip on the receipt printer (kiosk.bootstrap builds the printer).
Every call returns the job's JobOutcome; none raises for a printer fault."""

from __future__ import annotations

from datetime import datetime

from devices.outcome import JobOutcome
from devices.receipt_printer.printer import ReceiptPrinter
from kiosk.catalog.model import Item
from kiosk.config import Config
from kiosk.receipts.guide import guide_receipt
from kiosk.receipts.testpage import test_page
from kiosk.receipts.ticket import TicketSlip
from kiosk.receipts.ticket_layout import ticket_receipt


def print_guide(printer: ReceiptPrinter, item: Item, cfg: Config,
                now: datetime | None = None) -> JobOutcome:
    doc = guide_receipt(item, now or datetime.now(), cfg.hall.name, printer.profile.cols)
    return printer.print_document(doc)


def print_ticket(printer: ReceiptPrinter, slip: TicketSlip) -> JobOutcome:
    """Print a queue ticket. The queue marks the ticket issued only if the outcome is ok."""
    return printer.print_document(ticket_receipt(slip, printer.profile.cols))


def print_test_page(printer: ReceiptPrinter, cfg: Config,
                    now: datetime | None = None) -> JobOutcome:
    doc = test_page(cfg.receipt_printer.profile, printer.profile, cfg.hall.name,
                    now or datetime.now())
    return printer.print_document(doc)
