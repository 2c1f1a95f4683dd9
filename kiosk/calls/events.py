"""The hall service's events as the displays read them (docs/hall.md has the stream itself).

Only what a display needs is kept; unknown types and extra fields are ignored, so the service
can add events without breaking a display. Nothing here is personal data: a ticket is its
number, its service and its priority mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class TicketRef:
    id: str
    number: str
    service: str = ""          # prefix
    service_name: str = ""
    priority: str = ""
    declared: str = ""
    calls: int = 0
    case_no: str = ""


@dataclass(frozen=True)
class WindowRef:
    id: str
    number: int
    name: str


@dataclass(frozen=True)
class HallEvent:
    id: int
    type: str
    at: datetime | None
    ticket: TicketRef | None = None
    window: WindowRef | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def is_call(self) -> bool:
        return self.type in CALL_TYPES

    @property
    def recall(self) -> bool:
        return self.type == "ticket.recalled" or bool(self.data.get("recall"))


CALL_TYPES = {"ticket.called", "ticket.recalled"}


class EventFormatError(ValueError):
    pass


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_event(raw: dict[str, Any]) -> HallEvent:
    """One event object from the stream; EventFormatError names what is wrong.

    Both shapes are read: nested (`ticket` = {id, number, …}, `window` = {number, name}) and
    flat as the event log stores it (`ticket_id`, `number`, `service`, `window` = 3, `data` =
    {…}); `data`'s fields (recall, reason, waiting, …) are merged into `HallEvent.data`."""
    try:
        event_id = int(raw["id"])
        kind = str(raw["type"])
    except (KeyError, TypeError, ValueError) as exc:
        raise EventFormatError(f"event without a usable id/type: {str(raw)[:120]}") from exc
    inner = raw.get("data")
    data = {**raw, **inner} if isinstance(inner, dict) else dict(raw)
    ticket = ticket_of(raw.get("ticket"))
    if ticket is None and raw.get("number"):
        ticket = ticket_of({**data, "ticket_id": raw.get("ticket_id", ""),
                            "number": raw["number"]})
    window = window_of(raw.get("window"))
    if window is None:
        number = raw.get("window") if "window" in raw else raw.get("window_no")
        name = data.get("window_name")
        window = window_of({"number": number, "name": name}) if number is not None else None
    return HallEvent(event_id, kind, parse_time(raw.get("at")), ticket, window, data)


def ticket_of(raw: Any) -> TicketRef | None:
    if not isinstance(raw, dict) or not raw.get("number"):
        return None
    return TicketRef(str(raw.get("ticket_id") or raw.get("id") or ""), str(raw["number"]),
                     str(raw.get("service") or raw.get("service_prefix") or ""),
                     str(raw.get("service_name", "")), str(raw.get("priority") or ""),
                     str(raw.get("declared") or ""), int(raw.get("calls") or 0),
                     str(raw.get("case_no") or ""))


def window_of(raw: Any) -> WindowRef | None:
    if not isinstance(raw, dict):
        return None
    try:
        number = int(raw["number"])
    except (KeyError, TypeError, ValueError):
        return None
    return WindowRef(str(raw.get("id", number)), number, str(raw.get("name") or f"{number}号窗口"))
