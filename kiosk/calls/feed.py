"""The display's link to the hall service: a snapshot, then the event stream (Server-Sent
Events) resumed with `Last-Event-ID`, on one thread, reconnecting by itself.

- Every event goes to `sink.event` once and in order (the board ignores ids it has seen, so an
  overlap after a reconnect changes nothing).
- Silence longer than `stale_after_s` (the service sends a keep-alive every ~2 s) counts as a
  lost link, as does any connection error: `sink.lost()` at once, then retries after 0.1, 0.2,
  0.5 and then every 1 s, so a display is back within about a second of the service.
- A `resync` event (the service no longer has the events after our cursor) re-reads the
  snapshot.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from kiosk.calls.events import EventFormatError, HallEvent, parse_event

log = logging.getLogger(__name__)
RETRY_S = (0.1, 0.2, 0.5, 1.0)


class FeedSink(Protocol):
    def snapshot(self, snap: dict[str, Any]) -> None: ...

    def event(self, ev: HallEvent) -> None: ...

    def alive(self, server_now: str | None = None) -> None: ...

    def lost(self) -> None: ...

    def counts(self, services: list[dict[str, Any]]) -> None: ...

    counts_due: bool

    @property
    def last_event_id(self) -> int: ...


@dataclass(frozen=True)
class FeedPaths:
    snapshot: str = "/api/state"
    stream: str = "/api/events"
    services: str = "/api/services"


@dataclass
class SseMessage:
    event: str = "message"
    data: str = ""
    id: str | None = None


def sse_messages(lines: Iterator[str]) -> Iterator[SseMessage | None]:
    """Parse an SSE stream; yields None for a comment line (a keep-alive)."""
    msg = SseMessage()
    data: list[str] = []
    for line in lines:
        if line == "":
            if data or msg.id is not None:
                msg.data = "\n".join(data)
                yield msg
            msg, data = SseMessage(), []
            continue
        if line.startswith(":"):
            yield None
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data.append(value)
        elif name == "event":
            msg.event = value
        elif name == "id":
            msg.id = value


class HallFeed:
    def __init__(self, base_url: str, sink: FeedSink, *, paths: FeedPaths | None = None,
                 stale_after_s: float = 6.0, token: str = "",
                 client: Callable[[], httpx.Client] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.sink = sink
        self.paths = paths or FeedPaths()
        self.stale_after_s = stale_after_s
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client_factory = client or self._default_client
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._counter: threading.Thread | None = None
        self._response: httpx.Response | None = None
        self.connects = 0
        self.snapshots = 0
        self.errors = 0

    def _default_client(self) -> httpx.Client:
        timeout = httpx.Timeout(5.0, read=self.stale_after_s)
        return httpx.Client(base_url=self.base_url, timeout=timeout, headers=self.headers)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="hall-feed", daemon=True)
        self._thread.start()
        self._counter = threading.Thread(target=self._counts, name="hall-counts", daemon=True)
        self._counter.start()

    def _counts(self, every_s: float = 0.25) -> None:
        """After events that changed a queue without carrying its count, re-read the counts
        (at most four times a second, however many tickets were issued meanwhile)."""
        with self._client_factory() as client:
            while not self._stop.wait(every_s):
                if not self.sink.counts_due:
                    continue
                self.sink.counts_due = False
                try:
                    r = client.get(self.paths.services)
                    r.raise_for_status()
                    services = r.json().get("services")
                except (httpx.HTTPError, OSError, ValueError, AttributeError):
                    self.sink.counts_due = True       # again when the link is back
                    continue
                if isinstance(services, list):
                    self.sink.counts(services)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        response = self._response
        if response is not None:
            response.close()
        for thread in (self._thread, self._counter):
            if thread is not None:
                thread.join(timeout)

    def drop(self) -> None:
        """Cut the current connection (tests: a forced reconnect)."""
        response = self._response
        if response is not None:
            response.close()

    def run(self) -> None:
        attempt = 0
        need_snapshot = True
        with self._client_factory() as client:
            while not self._stop.is_set():
                connects = self.connects
                try:
                    if need_snapshot:
                        self._snapshot(client)
                        need_snapshot = False
                    need_snapshot = self._stream(client)
                    if need_snapshot:
                        continue      # resync: read the snapshot again at once
                except (httpx.HTTPError, OSError, ValueError) as exc:
                    if self._stop.is_set():
                        break
                    self.errors += 1
                    # The first failure of an outage is news; the retries after it are not
                    # (a service down for an hour must not write ten lines a second).
                    (log.info if attempt == 0 else log.debug)("hall link: %s",
                                                              type(exc).__name__)
                if self.connects > connects:
                    attempt = 0       # it was following: the backoff starts again
                self.sink.lost()
                self._stop.wait(RETRY_S[min(attempt, len(RETRY_S) - 1)])
                attempt += 1

    def _snapshot(self, client: httpx.Client) -> None:
        r = client.get(self.paths.snapshot)
        r.raise_for_status()
        snap = r.json()
        if not isinstance(snap, dict):
            raise ValueError("the hall snapshot is not a JSON object")
        self.sink.snapshot(snap)
        self.snapshots += 1

    def _stream(self, client: httpx.Client) -> bool:
        """Follow the stream until it ends; True if the snapshot must be read again."""
        headers = {"Last-Event-ID": str(self.sink.last_event_id), "Accept": "text/event-stream"}
        with client.stream("GET", self.paths.stream, headers=headers) as response:
            response.raise_for_status()
            self._response = response
            self.connects += 1
            log.info("hall events: following %s after event %s", self.base_url,
                     headers["Last-Event-ID"])
            self.sink.alive(response.headers.get("x-server-time"))
            try:
                for msg in sse_messages(response.iter_lines()):
                    if self._stop.is_set():
                        return False
                    if self._handle(msg):
                        return True
            finally:
                self._response = None
        return False

    def _handle(self, msg: SseMessage | None) -> bool:
        if msg is None or msg.event in ("ping", "hello"):
            now = _server_now(msg.data) if msg is not None else None
            self.sink.alive(now)
            return False
        if msg.event == "resync":
            return True
        try:
            raw = json.loads(msg.data)
            if not isinstance(raw, dict):
                raise EventFormatError("an event that is not a JSON object")
            if "id" not in raw and msg.id is not None:
                raw["id"] = msg.id
            if "type" not in raw and msg.event != "message":
                raw["type"] = msg.event
            ev = parse_event(raw)
        except (json.JSONDecodeError, EventFormatError) as exc:
            log.warning("hall event skipped: %s", exc)
            return False
        self.sink.event(ev)
        return False


def _server_now(data: str) -> str | None:
    if not data:
        return None
    try:
        value = json.loads(data)
    except json.JSONDecodeError:
        return None
    return str(value.get("now")) if isinstance(value, dict) and value.get("now") else None


def wait_for(cond: Callable[[], bool], timeout: float, step: float = 0.005) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()
