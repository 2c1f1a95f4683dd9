"""The queue's values: tickets, issue requests, what the hall says about a service, events.

They cross the store boundary (and the HTTP API), so they are plain frozen values: `to_dict()`
is JSON-ready and `from_dict()` rebuilds them on the other side. None of them holds personal
data: the person hash never leaves the store, and no name, ID number or birth date is here.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from protocol.queue import (
    CALLABLE,
    OPEN_AT_WINDOW,
    EventType,
    Priority,
    Refusal,
    TicketState,
    WindowState,
)

__all__ = ["CALLABLE", "MAX_SEQ", "NORMAL_LANE", "OPEN_AT_WINDOW", "Event", "EventType",
           "IssueRequest", "Priority", "Refusal", "ServiceView", "Ticket", "TicketState",
           "WindowState", "WindowView", "format_number", "queue_day"]

MAX_SEQ = 999   # numbers are prefix + 3 digits
NORMAL_LANE = 9
"""The lane of a ticket with no priority; priority classes have lanes 1..8 (lower first)."""

T = TypeVar("T")


def queue_day(now: datetime, reset_hour: int) -> date:
    """The day a ticket belongs to: numbering restarts at `reset_hour`, not at midnight, so a
    hall that stays open past midnight (or a clock read at 00:30) keeps its queue."""
    return (now - timedelta(hours=reset_hour)).date()


def format_number(number_prefix: str, seq: int) -> str:
    if not 1 <= seq <= MAX_SEQ:
        raise ValueError(f"ticket sequence must be 1..{MAX_SEQ}, got {seq}")
    return f"{number_prefix}{seq:03d}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def to_dict(obj: Any) -> dict[str, Any]:
    return {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a value sent as JSON; unknown keys (a newer hall) are ignored."""
    hints = {f.name: f.type for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for name, tp in hints.items():
        if name not in data:
            continue
        kwargs[name] = _typed(str(tp), data[name])
    return cls(**kwargs)


_ENUMS: dict[str, type[enum.Enum]] = {"TicketState": TicketState, "Priority": Priority,
                                      "WindowState": WindowState, "EventType": EventType}


def _typed(tp: str, value: Any) -> Any:
    if value is None:
        return None
    base = tp.split(" |")[0].strip()
    if base in _ENUMS:
        return _ENUMS[base](value)
    if base == "datetime":
        return datetime.fromisoformat(value)
    if base == "date":
        return date.fromisoformat(value)
    if base.startswith("tuple"):
        return tuple(value)
    return value


@dataclass(frozen=True)
class IssueRequest:
    """What a kiosk sends to take a number: the hall decides everything else (hours, limits,
    priority class, prefix). `age` is whole years from the card, used only to apply the
    hall's age rule and never stored; `person_hash` only for services that need the card."""

    service: str                       # the service's letter
    request_id: str                    # the same on every retry: a retry never issues twice
    person_hash: str | None = None
    age: int | None = None
    declared: str = ""                 # a self-declared priority class, e.g. 残疾人
    owner: str = ""                    # host/pid/start of the printing process (recovery)
    kiosk: str = ""                    # the enrolled kiosk's name (set by the hall service)


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
    declared: str = ""           # the priority class's name (残疾人, 老年人 …) when priority
    lane: int = NORMAL_LANE
    pos: float = 0.0             # place in its lane (arrival, moved by 过号 and 转移)
    printed_at: datetime | None = None
    called_at: datetime | None = None
    serving_at: datetime | None = None
    done_at: datetime | None = None
    voided_at: datetime | None = None
    void_reason: str = ""
    verify_reason: str = ""      # why the slip may or may not exist (state verify)
    window: int | None = None    # the window that called it (or it was transferred to)
    staff: str = ""              # the staff number at that window
    calls: int = 0
    no_shows: int = 0
    transfers: int = 0
    case_no: str = ""            # 办件编号 entered at 完成
    kiosk: str = ""

    @property
    def waiting(self) -> bool:
        """Still to be called (issuing counts: its slip is printing)."""
        return self.state is TicketState.ISSUING or self.state in CALLABLE

    @property
    def open_at_window(self) -> bool:
        return self.state in OPEN_AT_WINDOW

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ticket:
        return from_dict(cls, data)


@dataclass(frozen=True)
class ServiceView:
    """One service as the hall sees it now: what a kiosk's button needs."""

    prefix: str
    name: str
    is_open: bool
    hours: tuple[str, ...]
    waiting: int
    waiting_priority: int
    issued: int                  # not void: what the daily limit counts
    daily_limit: int
    per_person_daily_limit: int
    requires_id: bool
    where: str
    windows: tuple[str, ...]     # names of the windows that serve it ("1号窗口")
    override: bool | None        # staff's open/close for today; None: by the hours
    open_windows: int            # windows serving it with staff at them now (not paused)
    minutes_per_ticket: float    # handling minutes / open windows: the wait estimate's rate
    estimate_basis: str          # "observed" / "typical" handling, "configured" windows when
                                 # none is open yet
    number_prefixes: tuple[str, ...] = ()   # ("A",) or ("A", "YA") in priority prefix mode

    @property
    def available(self) -> bool:
        return self.is_open and self.issued < self.daily_limit

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServiceView:
        return from_dict(cls, data)


@dataclass(frozen=True)
class WindowView:
    number: int
    name: str
    services: tuple[str, ...]    # in the order the window serves them
    state: WindowState
    paused_reason: str = ""
    staff: str = ""
    ticket: Ticket | None = None  # its open ticket

    def to_dict(self) -> dict[str, Any]:
        out = to_dict(self)
        out["ticket"] = self.ticket.to_dict() if self.ticket else None
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WindowView:
        ticket = data.get("ticket")
        view = from_dict(cls, {k: v for k, v in data.items() if k != "ticket"})
        return dataclasses.replace(view, ticket=Ticket.from_dict(ticket) if ticket else None)


@dataclass(frozen=True)
class Event:
    """One row of the event log. `id` is gap-free and in commit order (docs/hall.md)."""

    id: int
    at: datetime
    day: date
    type: EventType
    ticket_id: str = ""
    number: str = ""
    service: str = ""
    window: int | None = None
    staff: str = ""
    kiosk: str = ""
    request_id: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = to_dict(self)
        out["data"] = dict(self.data)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        return from_dict(cls, data)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
