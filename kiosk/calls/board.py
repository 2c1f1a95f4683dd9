"""The hall as a display shows it: windows, the newest calls, people waiting per service, and
whether the link to the hall service is up. Fed by a snapshot, then by events in order.

A board that lost its link keeps everything it knew and says since when it could not update
(`stale_since`); it never turns into "0 人等候". A board that has never heard from the service
has `known = False` and shows no counts at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.calls.events import HallEvent, TicketRef, parse_time, ticket_of, window_of

RECENT = 12
WINDOW_STATES = ("closed", "open", "paused", "serving")


@dataclass
class WindowView:
    number: int
    name: str
    state: str = "closed"
    reason: str = ""                      # why it is paused
    current: TicketRef | None = None      # called or being served here
    services: tuple[str, ...] = ()
    staff: str = ""


@dataclass(frozen=True)
class CallView:
    event_id: int
    number: str
    window: int
    window_name: str
    at: datetime | None
    recall: bool = False
    service_name: str = ""


@dataclass(frozen=True)
class Finished:
    """A ticket a window has just finished (完成): what the evaluator asks to rate."""

    event_id: int
    ticket: TicketRef
    window: int
    staff: str
    at: datetime | None


@dataclass
class ServiceView:
    prefix: str
    name: str
    waiting: int = 0
    open: bool = True


@dataclass
class Board:
    hall_name: str = ""
    windows: dict[int, WindowView] = field(default_factory=dict)
    services: dict[str, ServiceView] = field(default_factory=dict)
    calls: list[CallView] = field(default_factory=list)     # newest first
    serving: set[str] = field(default_factory=set)          # ticket ids at 开始办理
    finished: dict[int, Finished] = field(default_factory=dict)  # per window, newest
    last_event_id: int = 0
    known: bool = False            # a snapshot arrived at least once
    live: bool = False             # the link is up now
    last_update: datetime | None = None   # wall clock of the last news from the service
    stale_since: datetime | None = None   # set while the link is down
    version: int = 0               # bumped on every change: screens redraw when it moves

    # ---- feeding ------------------------------------------------------------------------
    def load_snapshot(self, snap: dict[str, Any], now: datetime) -> None:
        """The whole hall at once (start, or after a gap the stream cannot fill)."""
        self.hall_name = str(snap.get("hall") or self.hall_name)
        self.windows = {}
        self.serving = set()
        for raw in snap.get("windows") or []:
            view = _window_view(raw)
            if view is not None:
                self.windows[view.number] = view
                held = raw.get("current") or raw.get("ticket") or {}
                if view.current is not None and held.get("state") == "serving":
                    self.serving.add(view.current.id)
        self.services = {}
        for raw in snap.get("services") or []:
            prefix = str(raw.get("prefix", ""))
            if prefix:
                self.services[prefix] = ServiceView(
                    prefix, str(raw.get("name", prefix)), int(raw.get("waiting") or 0),
                    bool(raw.get("open", raw.get("is_open", True))))
        calls = [c for c in (_call_view(r) for r in snap.get("recent_calls") or [])
                 if c is not None]
        calls.sort(key=lambda c: c.event_id, reverse=True)        # newest first, in any case
        self.calls = [c for i, c in enumerate(calls)
                      if all(c.number != d.number for d in calls[:i])][:RECENT]
        self.last_event_id = int(snap.get("last_event_id") or 0)
        self.known = True
        self.touch(now)

    def apply(self, ev: HallEvent, now: datetime) -> CallView | None:
        """One event, in order; returns the call if it is one. Events at or before
        `last_event_id` were seen already and change nothing."""
        if ev.id <= self.last_event_id:
            return None
        self.last_event_id = ev.id
        self.touch(now)
        self._waiting_from(ev)
        handler = _HANDLERS.get(ev.type)
        return handler(self, ev) if handler is not None else None

    def touch(self, now: datetime) -> None:
        """News from the service (an event, a keep-alive): the link is up."""
        self.last_update = now
        if not self.live or self.stale_since is not None:
            self.live = True
            self.stale_since = None
        self.version += 1

    def link_lost(self, now: datetime) -> None:
        if self.live or self.stale_since is None:
            self.live = False
            self.stale_since = self.last_update or now
            self.version += 1

    # ---- reading --------------------------------------------------------------------------
    @property
    def stale_text(self) -> str:
        """"叫号信息暂时无法更新（14:05）" while the link is down, else ""."""
        if self.live or self.stale_since is None:
            return ""
        return f"叫号信息暂时无法更新（{self.stale_since:%H:%M}）"

    def newest_per_window(self, n: int) -> list[CallView]:
        """The newest call of each window, newest first: what the big panel shows."""
        out: list[CallView] = []
        seen: set[int] = set()
        for call in self.calls:
            if call.window not in seen:
                seen.add(call.window)
                out.append(call)
            if len(out) == n:
                break
        return out

    def total_waiting(self) -> int | None:
        return sum(s.waiting for s in self.services.values()) if self.known else None

    # ---- event handlers ---------------------------------------------------------------------
    def _waiting_from(self, ev: HallEvent) -> None:
        counts = ev.data.get("waiting")
        if isinstance(counts, dict):
            for prefix, n in counts.items():
                if prefix in self.services and isinstance(n, int):
                    self.services[prefix].waiting = max(0, n)

    def _called(self, ev: HallEvent) -> CallView | None:
        if ev.ticket is None or ev.window is None:
            return None
        view = self._window(ev)
        view.current = ev.ticket
        if view.state in ("closed", "open"):
            view.state = "serving"
        call = CallView(ev.id, ev.ticket.number, ev.window.number, ev.window.name, ev.at,
                        ev.recall, ev.ticket.service_name)
        self.calls = [call, *[c for c in self.calls if c.number != call.number]][:RECENT]
        return call

    def _released(self, ev: HallEvent) -> None:
        """done, no-show, transferred, void: the ticket leaves the window that held it."""
        if ev.ticket is None:
            return
        self.serving.discard(ev.ticket.id)
        held = [v for v in self.windows.values()
                if v.current is not None and v.current.id == ev.ticket.id]
        for view in held:
            view.current = None
            if view.state == "serving":
                view.state = "open"
        where = ev.window.number if ev.window is not None else (
            held[0].number if held else None)
        if ev.type == "ticket.done" and where is not None:
            staff = str(ev.data.get("staff") or (held[0].staff if held else ""))
            self.finished[where] = Finished(ev.id, ev.ticket, where, staff, ev.at)

    def _serving(self, ev: HallEvent) -> None:
        if ev.window is not None and ev.ticket is not None:
            view = self._window(ev)
            view.current = ev.ticket
            view.state = "serving" if view.state != "paused" else view.state
            self.serving.add(ev.ticket.id)

    def _window_state(self, ev: HallEvent, state: str) -> None:
        if ev.window is None:
            return
        view = self._window(ev)
        view.state = "serving" if state == "open" and view.current is not None else state
        view.reason = str(ev.data.get("reason") or "") if state == "paused" else ""
        if "staff" in ev.data:
            view.staff = str(ev.data.get("staff") or "")

    def _window(self, ev: HallEvent) -> WindowView:
        assert ev.window is not None
        view = self.windows.get(ev.window.number)
        if view is None:
            view = WindowView(ev.window.number, ev.window.name, "open")
            self.windows[view.number] = view
        return view


def _window_view(raw: dict[str, Any]) -> WindowView | None:
    ref = window_of(raw)
    if ref is None:
        return None
    state = str(raw.get("state") or "closed")
    return WindowView(ref.number, ref.name, state if state in WINDOW_STATES else "closed",
                      str(raw.get("reason") or raw.get("paused_reason") or ""),
                      ticket_of(raw.get("current") or raw.get("ticket")),
                      tuple(str(s) for s in raw.get("services") or ()),
                      str(raw.get("staff") or ""))


def _call_view(raw: dict[str, Any]) -> CallView | None:
    """A recent call: {event_id, number, window, …} or a flat event row (id, type, …)."""
    try:
        window = raw["window"]
        number = int(window["number"] if isinstance(window, dict) else window)
        return CallView(int(raw.get("event_id") or raw["id"]), str(raw["number"]), number,
                        str(raw.get("window_name") or f"{number}号窗口"),
                        parse_time(raw.get("at")),
                        bool(raw.get("recall")) or raw.get("type") == "ticket.recalled",
                        str(raw.get("service_name") or ""))
    except (KeyError, TypeError, ValueError):
        return None


Handler = Callable[[Board, HallEvent], CallView | None]


def _quiet(fn: Callable[[Board, HallEvent], None]) -> Handler:
    def run(board: Board, ev: HallEvent) -> CallView | None:
        fn(board, ev)
        return None

    return run


def _state(state: str) -> Handler:
    return _quiet(lambda b, e: b._window_state(e, state))


_HANDLERS: dict[str, Handler] = {
    "ticket.called": Board._called,
    "ticket.recalled": Board._called,
    "ticket.serving": _quiet(Board._serving),
    "ticket.done": _quiet(Board._released),
    "ticket.no_show": _quiet(Board._released),
    "ticket.transferred": _quiet(Board._released),
    "ticket.void": _quiet(Board._released),
    "window.opened": _state("open"),
    "window.resumed": _state("open"),
    "window.paused": _state("paused"),
    "window.closed": _state("closed"),
}
