"""The hall store contract: the one interface behind which a hall's tickets, windows and
events live, whoever holds them — a SQLite file (kiosk.queue.sqlite_store, the embedded shape),
PostgreSQL (hall.pg_store), or the hall service over HTTP (kiosk.queue.remote_store, what a
kiosk with `[queue].server` uses). tests/contract runs one suite against all of them.

`QueueStore` is what a kiosk needs (issue and settle its tickets, read the hall);
`HallStore` adds the windows and the event log. Every command takes a client `request_id`: a
retry with the same id returns the first result and acts once. Times come from the store's own
clock (the hall's), never from the caller.

Errors, all `kiosk.errors.QueueError`s with a plain Chinese citizen_message:
    QueueStoreError     the store cannot be used now (file, database or service unreachable)
    AllocationRefused   a rule refused the number (`reason`); nothing was written
    StoreConflict       the ticket or window is not in a state for this (`code`, `info`)
    TicketNotFound      no such ticket, service or window
    BadRequest          the request cannot be understood (an unknown priority class …)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from kiosk.errors import QueueError
from kiosk.queue import messages
from kiosk.queue.model import Event, IssueRequest, Refusal, ServiceView, Ticket, WindowView

STORE_CITIZEN_MESSAGE = messages.STORE_UNAVAILABLE


class QueueStoreError(QueueError):
    """The store cannot do what was asked: names the file/server and what went wrong."""

    def __init__(self, message: str, citizen_message: str = STORE_CITIZEN_MESSAGE) -> None:
        super().__init__(message, citizen_message)


class AllocationRefused(QueueError):
    """A rule (closed, daily limit, per-person) refused a number; nothing was written."""

    def __init__(self, reason: Refusal, message: str) -> None:
        super().__init__(message, "")
        self.reason = reason


class StoreConflict(QueueError):
    """`code`: one of protocol.queue.ErrorCode (window_busy, nobody_waiting, too_soon …)."""

    def __init__(self, code: str, message: str, info: dict[str, Any] | None = None) -> None:
        super().__init__(message, messages.NOT_NOW)
        self.code = code
        self.info = dict(info or {})


class TicketNotFound(QueueError):
    def __init__(self, message: str) -> None:
        super().__init__(message, messages.NUMBER_NOT_FOUND)


class BadRequest(QueueError):
    def __init__(self, message: str) -> None:
        super().__init__(message, messages.GENERIC)


class QueueStore(Protocol):
    """A hall's queue as a kiosk uses it."""

    def open(self, *, readonly: bool = False) -> None:
        """Connect / create. Nothing happens before this (no I/O in constructors).
        `readonly` (reports, checks): never write, and refuse a store that is not there."""

    def close(self) -> None:
        """Release connections; safe to call twice."""

    def day(self) -> date:
        """Today's queue day by the hall's clock and reset hour."""
        ...

    def services(self) -> list[ServiceView]:
        """Every service of the hall as it is now, in hall.toml's order."""
        ...

    def declared_classes(self) -> list[str]:
        """The priority classes a citizen may declare at the kiosk (the hall's rule table)."""
        ...

    def issue(self, req: IssueRequest) -> Ticket:
        """Atomically apply the hall's rules and create the next ticket in state `issuing`.
        Numbers per (day, number prefix) start at 1, increase by one and are never reused."""
        ...

    def printed(self, ticket_id: str, request_id: str = "") -> Ticket:
        """issuing (or verify) → waiting: the slip came out."""
        ...

    def verify(self, ticket_id: str, reason: str, request_id: str = "") -> Ticket:
        """issuing → verify: the print failed after data was sent; the slip may exist, so
        the ticket stays servable and staff check it at the window."""
        ...

    def void(self, ticket_id: str, reason: str, request_id: str = "", staff: str = "") -> Ticket:
        """Any state but done → void (idempotent). The number stays used."""
        ...

    def recover(self, owner: str, kiosk: str = "") -> list[Ticket]:
        """Settle as `verify` the tickets a stopped process left `issuing` (see sql.tickets)."""
        ...

    def holding(self, service: str, person_hash: str) -> Ticket | None:
        """This person's ticket of the service today that is not done or void, with the
        people ahead of it now."""
        ...

    def queue(self, service: str) -> list[Ticket]:
        """The service's tickets still to be called, in the hall's order of service; each
        one's `people_ahead` is its place now."""
        ...

    def get(self, ticket_id: str) -> Ticket | None: ...

    def issued_by(self, request_id: str) -> Ticket | None:
        """The ticket an issue request with this id made, as it is now — or None if no issue
        with that id was ever committed. Acts on nothing: a kiosk whose issue got no reply
        asks this when the hall is back (not the issue again, which would take a number)."""
        ...

    def find(self, number: str, day: date | None = None) -> Ticket | None: ...

    def tickets(self, day: date | None = None) -> list[Ticket]:
        """Every ticket of the queue day (default today), in order of arrival."""
        ...

    def set_service_open(self, service: str, is_open: bool | None, request_id: str = "",
                         staff: str = "") -> None:
        """Staff's override for today: True open, False closed, None back to the hours."""
        ...

    def reset(self, reason: str = "reset", request_id: str = "",
              staff: str = "") -> list[Ticket]:
        """Void every ticket of today still in the queue (numbering goes on)."""
        ...


class HallStore(QueueStore, Protocol):
    """The whole hall: the kiosks' side, the windows' side and the event log."""

    def login_window(self, number: int, staff: str, request_id: str = "") -> WindowView: ...

    def logout_window(self, number: int, staff: str, request_id: str = "") -> WindowView: ...

    def pause(self, number: int, staff: str, reason: str, request_id: str = "") -> WindowView: ...

    def resume(self, number: int, staff: str, request_id: str = "") -> WindowView: ...

    def call_next(self, number: int, staff: str, request_id: str = "",
                  close_open: str = "") -> Ticket:
        """呼叫下一位, atomically; `close_open` 'done'/'no_show' settles a held ticket first."""
        ...

    def recall(self, number: int, staff: str, request_id: str = "") -> Ticket: ...

    def start(self, number: int, staff: str, request_id: str = "") -> Ticket: ...

    def no_show(self, number: int, staff: str, request_id: str = "") -> Ticket: ...

    def finish(self, number: int, staff: str, case_no: str = "",
               request_id: str = "") -> Ticket: ...

    def transfer(self, number: int, staff: str, service: str = "", to_window: int | None = None,
                 request_id: str = "") -> Ticket: ...

    def window(self, number: int) -> WindowView: ...

    def windows(self) -> list[WindowView]: ...

    def events_after(self, last_id: int, limit: int = 500) -> list[Event]:
        """Events with id > last_id, in order (ids are gap-free, in commit order)."""
        ...

    def last_event_id(self) -> int: ...


Listener = Callable[[int], None]
