"""The queue store: the one interface behind which tickets live.

The embedded default is `kiosk.queue.sqlite_store.SqliteQueueStore` (one hall, one or a few
kiosks on one machine). A hall server shared by several kiosks and the counters can stand
behind the same Protocol later: every method is one request/response with plain values, and
every rule that must hold across kiosks (next number, limits, the open/close override) is
decided *inside* `allocate`, never by the caller reading then writing. docs/queue-store.md
has the semantics in full.

Errors: a refusal (limit, closed) is `AllocationRefused` carrying a `Refusal`; anything else
that goes wrong in the store (file unreadable, locked too long, unknown ticket) is
`QueueStoreError`. Both are `kiosk.errors.QueueError`s with a plain Chinese citizen_message.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from kiosk.errors import QueueError
from kiosk.queue import messages
from kiosk.queue.model import AllocationRequest, Refusal, ServiceDay, Ticket

STORE_CITIZEN_MESSAGE = messages.STORE_UNAVAILABLE


class QueueStoreError(QueueError):
    """The store cannot do what was asked: names the file/ticket and what went wrong."""

    def __init__(self, message: str, citizen_message: str = STORE_CITIZEN_MESSAGE) -> None:
        super().__init__(message, citizen_message)


class AllocationRefused(QueueError):
    """A rule (closed, daily limit, per-person) refused a number; nothing was written."""

    def __init__(self, reason: Refusal, message: str) -> None:
        super().__init__(message, "")
        self.reason = reason


class QueueStore(Protocol):
    """Tickets for one hall. Times are the caller's clock (the kiosk's local time)."""

    def open(self, *, readonly: bool = False) -> None:
        """Connect / create. Nothing happens before this (no I/O in constructors).
        `readonly` (reports, checks): never write, and refuse a store that is not there."""

    def close(self) -> None:
        """Release the connection; safe to call twice."""

    def allocate(self, req: AllocationRequest) -> Ticket:
        """Atomically check the rules and create the next ticket in state `issuing`.

        Numbers for (req.day, req.number_prefix) start at 1, increase by one per allocation and
        are never handed out twice, even for tickets later voided. Raises AllocationRefused.
        """
        ...

    def mark_printed(self, ticket_id: str, at: datetime) -> Ticket:
        """issuing → printed. QueueStoreError if the ticket is not (any longer) issuing."""
        ...

    def void(self, ticket_id: str, reason: str, at: datetime) -> Ticket:
        """Any state but done → void (idempotent for void). The number stays used."""
        ...

    def call(self, ticket_id: str, counter: str, at: datetime) -> Ticket:
        """printed → called at a counter (the counters' side; here for completeness)."""
        ...

    def finish(self, ticket_id: str, at: datetime) -> Ticket:
        """called → done; called_at..done_at is the observed handling time."""
        ...

    def recover(self, at: datetime) -> list[Ticket]:
        """Void (reason 'interrupted') every ticket left in `issuing` by a process that no
        longer runs, so that a crash between allocation and print leaves no ghost number.
        Returns the tickets it voided. Tickets a live peer is printing right now are kept."""
        ...

    def get(self, ticket_id: str) -> Ticket | None: ...

    def find(self, day: date, number: str) -> Ticket | None: ...

    def tickets(self, day: date) -> list[Ticket]:
        """Every ticket of the queue day, in allocation order."""
        ...

    def summary(self, day: date) -> dict[str, ServiceDay]:
        """Counts per service prefix (services with no ticket are absent)."""
        ...

    def handling_minutes(self, day: date, service_prefix: str, last: int) -> list[float]:
        """Observed minutes at a counter of the `last` tickets done, newest first."""
        ...

    def set_service_open(self, day: date, service_prefix: str, is_open: bool | None) -> None:
        """Staff override for the day: True open, False closed, None back to the hours."""
        ...

    def service_overrides(self, day: date) -> dict[str, bool]: ...

    def void_waiting(self, day: date, reason: str, at: datetime) -> list[Ticket]:
        """Void every ticket of the day still waiting (end of day, or a staff reset)."""
        ...
