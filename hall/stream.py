"""The event stream: every event of the log pushed to subscribers, in order, once — also to one
that reconnects (SSE with `Last-Event-ID`, or `?after=N`).

One reader thread follows the log: it wakes when this process commits (the store's listener)
and every `poll_s` otherwise (the embedded kiosk writes the same SQLite file from its own
process), keeps the newest events in memory, and wakes the waiting subscribers. A subscriber
that is further behind than memory reads the log itself. Since event ids are gap-free and in
commit order (kiosk/queue/sql/events.py), "everything after N" is exactly what was missed.

Wire format (text/event-stream):
    id: 42
    event: ticket.called
    data: {"id": 42, "type": "ticket.called", "at": …, "ticket": {…}, "window": {…}, …}

and every `KEEPALIVE_S` a `ping` event without an id, carrying the server's `now` and the
last event id, so a display can say "叫号信息暂时无法更新" within seconds of a silent loss.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool

from kiosk.queue.model import Event
from kiosk.queue.sql.engine import SqlHallStore
from kiosk.queue.store import QueueStoreError

log = logging.getLogger("hall.stream")

KEEPALIVE_S = 2.0
KEPT = 20_000
BATCH = 500


def wire(event: Event) -> dict[str, Any]:
    """The event as subscribers get it: the row, with its data's keys on top."""
    out = {k: v for k, v in event.to_dict().items() if k != "data"}
    out.update(event.data)
    return out


def sse(event: Event) -> str:
    body = json.dumps(wire(event), ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {event.type.value}\ndata: {body}\n\n"


class EventHub:
    def __init__(self, store: SqlHallStore, poll_s: float = 0.25,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.store = store
        self.poll_s = poll_s
        self.clock = clock
        self.last = 0
        self.healthy = True
        self.problem = ""
        self._kept: deque[Event] = deque(maxlen=KEPT)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    # -- the reader thread ---------------------------------------------------------------------

    def start(self) -> None:
        self.store.add_listener(self._committed)
        self._thread = threading.Thread(target=self._run, name="hall-events", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop following, and end every subscriber's stream (so a shutdown need not wait)."""
        self.store.remove_listener(self._committed)
        self._stop.set()
        self._wake.set()
        with self._lock:
            waiters = list(self._waiters)
        for loop, ev in waiters:
            loop.call_soon_threadsafe(ev.set)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _committed(self, last_id: int) -> None:
        self._wake.set()

    def _run(self) -> None:
        try:
            self.last = self.store.last_event_id()
        except QueueStoreError as exc:
            self._trouble(exc)
        while not self._stop.is_set():
            self._wake.wait(self.poll_s)
            self._wake.clear()
            try:
                self._follow()
            except QueueStoreError as exc:
                self._trouble(exc)
            except Exception:   # keep following: a display must not go silent for a bug
                log.exception("event reader failed")

    def _trouble(self, exc: Exception) -> None:
        if self.healthy:
            log.error("event log unreadable: %s", exc)
        self.healthy, self.problem = False, str(exc)

    def _follow(self) -> None:
        while True:
            batch = self.store.events_after(self.last, BATCH)
            if not self.healthy:
                log.info("event log readable again")
            self.healthy, self.problem = True, ""
            if not batch:
                return
            with self._lock:
                self._kept.extend(batch)
                self.last = batch[-1].id
                waiters = list(self._waiters)
            for loop, ev in waiters:
                loop.call_soon_threadsafe(ev.set)
            if len(batch) < BATCH:
                return

    # -- subscribers ---------------------------------------------------------------------------

    def _from_memory(self, after: int) -> list[Event] | None:
        """Events after `after` from memory; None when memory does not reach back that far."""
        with self._lock:
            if not self._kept or after >= self.last:
                return [] if after >= self.last else None
            first = self._kept[0].id
            if after < first - 1:
                return None
            return [e for e in self._kept if e.id > after][:BATCH]

    async def next_batch(self, after: int, timeout: float) -> list[Event]:
        """Events after `after`, waiting up to `timeout` for some."""
        found = self._from_memory(after)
        if found is None:
            return await run_in_threadpool(self.store.events_after, after, BATCH)
        if found:
            return found
        loop = asyncio.get_running_loop()
        ev = asyncio.Event()
        entry = (loop, ev)
        with self._lock:
            self._waiters.add(entry)
        try:
            if self._from_memory(after) == []:
                try:
                    await asyncio.wait_for(ev.wait(), timeout)
                except TimeoutError:
                    return []
        finally:
            with self._lock:
                self._waiters.discard(entry)
        return self._from_memory(after) or []

    async def stream(self, after: int) -> AsyncIterator[str]:
        """SSE text for one subscriber, from the event after `after`, forever."""
        yield f"retry: 1000\n: hall events after {after}\n\n"
        while not self._stop.is_set():
            batch = await self.next_batch(after, KEEPALIVE_S)
            for event in batch:
                yield sse(event)
                after = event.id
            if not batch:
                ping = {"now": self.clock().astimezone().isoformat(timespec="seconds"),
                        "last_event_id": self.last, "healthy": self.healthy}
                yield f"event: ping\ndata: {json.dumps(ping)}\n\n"
