"""The queue's vocabulary: ticket states, tickets, the allocation request a store answers.

These types cross the store boundary, so they are plain frozen values with no behaviour that
needs a database: a hall server can send them as JSON (`Ticket.to_dict`) and rebuild them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any


class TicketState(enum.StrEnum):
    """issuing → printed → called → done, or void from issuing/printed/called.

    `issuing` exists so that a number counts only once its slip came out of the printer: a
    ticket whose print failed (or whose process died) never reaches `printed`.
    """

    ISSUING = "issuing"
    PRINTED = "printed"
    CALLED = "called"
    DONE = "done"
    VOID = "void"


WAITING_STATES = (TicketState.ISSUING, TicketState.PRINTED)
"""States of a ticket whose holder still waits in the hall (issuing: its slip is printing)."""


class Priority(enum.StrEnum):
    NONE = ""
    AGE = "age"             # from the ID card's birth date: no need to verify
    DECLARED = "declared"   # the citizen pressed 残疾人/军人/孕妇: staff verify at the counter


class Refusal(enum.StrEnum):
    """Why a store refused to allocate: the service turns each into a plain Chinese message."""

    CLOSED = "closed"
    DAILY_LIMIT = "daily_limit"
    NUMBERS_EXHAUSTED = "numbers_exhausted"   # 999 numbers used (voids count) for this prefix
    PERSON_WAITING = "person_waiting"
    PERSON_DAILY_LIMIT = "person_daily_limit"
    NEEDS_CARD = "needs_card"                 # decided by the service: no card was read


MAX_SEQ = 999   # numbers are prefix + 3 digits


def queue_day(now: datetime, reset_hour: int) -> date:
    """The day a ticket belongs to: numbering restarts at `reset_hour`, not at midnight, so a
    hall that stays open past midnight (or a clock read at 00:30) keeps its queue."""
    return (now - timedelta(hours=reset_hour)).date()


def format_number(number_prefix: str, seq: int) -> str:
    if not 1 <= seq <= MAX_SEQ:
        raise ValueError(f"ticket sequence must be 1..{MAX_SEQ}, got {seq}")
    return f"{number_prefix}{seq:03d}"


@dataclass(frozen=True)
class AllocationRequest:
    """Everything a store needs to check limits and hand out the next number atomically.

    The service decides the policy (which prefix, whether hours say open, the limits, the
    minutes per ticket); the store applies it inside one transaction, so two kiosks cannot both
    get the last ticket of the day or the same number.
    """

    day: date
    service_prefix: str          # "A": whose limits and queue this ticket joins
    number_prefix: str           # "A", or "YA" for a priority ticket in prefix mode
    issued_at: datetime
    open_by_hours: bool          # the store's open/close override for the day wins over it
    daily_limit: int
    minutes_per_ticket: float    # handling minutes / open counters, for the recorded estimate
    priority: Priority = Priority.NONE
    declared: str = ""           # 残疾人 / 军人 / 孕妇 for Priority.DECLARED
    person_hash: str | None = None   # only for services that require the ID card
    person_daily_limit: int = 1
    owner: str = ""              # who is printing it: lets recover() tell a crash from a peer


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    day: date
    number: str
    service_prefix: str
    seq: int
    state: TicketState
    issued_at: datetime
    people_ahead: int
    est_wait_min: float          # minutes, at issue time; shown as a range, never as is
    priority: Priority = Priority.NONE
    declared: str = ""
    printed_at: datetime | None = None
    called_at: datetime | None = None
    done_at: datetime | None = None
    voided_at: datetime | None = None
    void_reason: str = ""
    counter: str = ""

    @property
    def waiting(self) -> bool:
        return self.state in WAITING_STATES

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; holds no personal data (the person hash never leaves the store)."""
        out: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            if isinstance(value, datetime | date):
                out[key] = value.isoformat()
            elif isinstance(value, enum.Enum):
                out[key] = value.value
            else:
                out[key] = value
        return out


@dataclass(frozen=True)
class ServiceDay:
    """One service's counts for one queue day, as the overview needs them."""

    waiting: int = 0
    waiting_priority: int = 0
    issued: int = 0              # not void: what the daily limit counts
