"""One call per kind of slip on the receipt printer (kiosk.bootstrap builds the printer).
Every call returns the job's JobOutcome; none raises for a printer fault."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from devices.outcome import JobOutcome
from devices.receipt_printer.printer import ReceiptPrinter
from kiosk.catalog.bundles import Bundle
from kiosk.catalog.model import Item
from kiosk.config import Config
from kiosk.receipts.bundle import bundle_receipt
from kiosk.receipts.guide import guide_receipt
from kiosk.receipts.testpage import test_page
from kiosk.receipts.ticket import TicketSlip
from kiosk.receipts.ticket_layout import ticket_body, ticket_number


def print_guide(printer: ReceiptPrinter, item: Item, cfg: Config,
                now: datetime | None = None, large: bool = False) -> JobOutcome:
    """`large`: elder mode's large print (double height)."""
    doc = guide_receipt(item, now or datetime.now(), cfg.hall.name, printer.profile.cols,
                        large=large)
    return printer.print_document(doc)


def print_bundle(printer: ReceiptPrinter, bundle: Bundle, items: list[Item], cfg: Config,
                 now: datetime | None = None, large: bool = False) -> JobOutcome:
    """A 一件事 bundle's combined checklist on one slip."""
    doc = bundle_receipt(bundle, items, now or datetime.now(), cfg.hall.name,
                         printer.profile.cols, large=large)
    return printer.print_document(doc)


@dataclass(frozen=True)
class TicketOutcome(JobOutcome):
    """A ticket print's outcome, and whether the number may be on paper: False only when the
    number's bytes were certainly never sent (the body failed, or the printer refused the
    number before a byte of it went out)."""

    number_sent: bool = False


def print_ticket(printer: ReceiptPrinter, slip: TicketSlip) -> TicketOutcome:
    """Print a queue ticket, number last, as one job in two parts (kiosk/receipts/
    ticket_layout.py says why). The queue marks the ticket issued only if the outcome is ok,
    and voids it only if `number_sent` is False."""
    cols = printer.profile.cols
    outcome, begun = printer.print_parts([ticket_body(slip, cols), ticket_number(slip, cols)])
    return TicketOutcome(outcome.ok, outcome.detail, outcome.message,
                         outcome.bytes_sent, outcome.job_id, number_sent=begun >= 2)


def print_test_page(printer: ReceiptPrinter, cfg: Config,
                    now: datetime | None = None) -> JobOutcome:
    doc = test_page(cfg.receipt_printer.profile, printer.profile, cfg.hall.name,
                    now or datetime.now())
    return printer.print_document(doc)
