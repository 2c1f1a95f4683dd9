"""Between the feed and the screens: apply news to the board under one lock, and decide which
calls are spoken.

A call is spoken once (the announcer keys it by event id) and only while it is news: calls in a
snapshot, and calls replayed after a reconnect that are older than `speak_max_age_s`, update
the screen silently. So a display that was cut off for a minute catches up without reading out
a minute of old calls, and one cut off for a second still says the call it missed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from kiosk.calls.board import Board, CallView
from kiosk.calls.events import HallEvent
from kiosk.speech.phrases import Call


class Announce(Protocol):
    def offer(self, key: str, call: Call) -> bool: ...

    def mark_seen(self, key: str) -> None: ...


class Follower:
    def __init__(self, board: Board, announce: Announce | None = None, *,
                 speak_max_age_s: float = 30.0,
                 wall_clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
                 on_change: Callable[[], None] = lambda: None,
                 on_call: Callable[[CallView, bool], None] = lambda call, spoken: None) -> None:
        self.board = board
        self.announce = announce
        self.speak_max_age = timedelta(seconds=speak_max_age_s)
        self.wall_clock = wall_clock
        self.on_change = on_change
        self.on_call = on_call
        self.lock = threading.Lock()
        self._skew = timedelta(0)       # service clock minus ours, from its keep-alives
        self.spoken_keys = 0
        self.quiet_keys = 0

    # ---- FeedSink --------------------------------------------------------------------------
    def snapshot(self, snap: dict[str, Any]) -> None:
        with self.lock:
            self._server_now(snap.get("now"))
            self.board.load_snapshot(snap, self.wall_clock())
            if self.announce is not None:
                for call in self.board.calls:
                    self.announce.mark_seen(str(call.event_id))
        self.on_change()

    def event(self, ev: HallEvent) -> None:
        with self.lock:
            call = self.board.apply(ev, self.wall_clock())
            spoken = False
            if call is not None and self.announce is not None:
                key = str(ev.id)
                if self._fresh(ev):
                    spoken = self.announce.offer(key, Call(call.number, call.window,
                                                           call.recall))
                    self.spoken_keys += spoken
                else:
                    self.announce.mark_seen(key)
                    self.quiet_keys += 1
        self.on_change()
        if call is not None:
            self.on_call(call, spoken)

    def alive(self, server_now: str | None = None) -> None:
        with self.lock:
            self._server_now(server_now)
            was_live = self.board.live
            self.board.touch(self.wall_clock())
        if not was_live:
            self.on_change()

    def lost(self) -> None:
        with self.lock:
            was = self.board.live or self.board.stale_since is None
            self.board.link_lost(self.wall_clock())
        if was:
            self.on_change()

    @property
    def last_event_id(self) -> int:
        with self.lock:
            return self.board.last_event_id

    # ---- rules -----------------------------------------------------------------------------
    def _fresh(self, ev: HallEvent) -> bool:
        if ev.at is None:
            return True
        at = ev.at if ev.at.tzinfo else ev.at.astimezone()
        service_now = self.wall_clock() + self._skew
        return service_now - at <= self.speak_max_age

    def _server_now(self, value: Any) -> None:
        if isinstance(value, str):
            try:
                then = datetime.fromisoformat(value)
            except ValueError:
                return
            then = then if then.tzinfo else then.astimezone()
            self._skew = then - self.wall_clock()
