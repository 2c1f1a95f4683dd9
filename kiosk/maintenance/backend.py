"""What maintenance mode can do, as one interface the staff screens call (from a worker
thread: every method may block on a device or the disk). Results are plain Chinese for hall
staff; nothing here raises for an expected failure (printer out of paper, no card)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.maintenance.status import StatusReport
from kiosk.maintenance.usb import CatalogCandidate


@dataclass(frozen=True)
class ActionResult:
    """What came of a staff action (the parts named as devices.outcome names them)."""

    ok: bool
    message: str               # plain Chinese for hall staff
    detail: str = ""           # for the log and the technician
    confirm: str = ""          # not done yet: ask staff this (yes → the same action, confirmed)


@dataclass(frozen=True)
class ServiceToggle:
    prefix: str
    name: str
    open_now: bool            # what citizens see at this moment
    override: bool | None     # staff's choice for today: True open, False closed, None by hours
    hours: str


class MaintenanceBackend(Protocol):
    def status(self) -> StatusReport: ...

    def print_receipt_test(self) -> ActionResult: ...

    def print_a4_test(self) -> ActionResult: ...

    def test_read_card(self, timeout_s: float) -> ActionResult: ...

    def reprint_ticket(self, number: str) -> ActionResult: ...

    def void_ticket(self, number: str) -> ActionResult: ...

    def reset_queue(self) -> ActionResult: ...

    def usb_catalogs(self) -> list[CatalogCandidate]: ...

    def import_catalog(self, path: Path, allow_empty: bool = False) -> ActionResult: ...

    def services(self) -> list[ServiceToggle]: ...

    def number_prefixes(self) -> list[str]:
        """Ticket number prefixes of the hall (A, B, YA …) as last seen; no I/O."""
        ...

    def set_service_open(self, prefix: str, open_: bool | None) -> ActionResult: ...
