"""The fleet agent: the kiosk's side of fleet health. Always the kiosk that calls (no port is
open on a kiosk): every [fleet].interval_s a heartbeat, at once an urgent event, each signed,
kept in the outbox and sent to [fleet].url (the hall service, or the county) until
acknowledged. The reply may carry commands (a screenshot request), answered later.

Two daemon threads, neither the UI's: `fleet-watch` looks at the devices' last known state
every WATCH_S (in memory: Terminal.reports) and queues heartbeats and events; `fleet-send`
sends whatever waits, woken at once for urgent events, backing off while the link is down.
Tests drive the same steps by hand (`tick`, `send_once`) with their own clock.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from kiosk.config import Config
from kiosk.maintenance.status import DeviceReport
from kiosk.sync import heartbeat
from kiosk.sync.identity import Identity
from kiosk.sync.outbox import Outbox
from protocol.fleet import MESSAGES_PATH, URGENT_EVENTS, VERSION

log = logging.getLogger(__name__)

WATCH_S = 2.0
BATCH = 100
BACKOFF_S = (5, 15, 30, 60, 120, 300)
SCREENSHOT_WAIT_S = 600.0     # a screenshot waits this long for the kiosk to be free


@dataclass
class Sources:
    """What the agent reads; the UI (or a headless simulated kiosk) provides them."""

    reports: Callable[[], list[DeviceReport]]
    visit: Callable[[], str] = lambda: "idle"              # "idle" | "in_use"
    today: Callable[[], Mapping[str, int]] = dict
    screenshot: Callable[[], bytes | None] | None = None   # None while someone is there
    started_at: float = field(default_factory=time.time)


@dataclass
class SendResult:
    ok: bool
    sent: int = 0
    acked: int = 0
    commands: int = 0
    error: str = ""


class FleetAgent:
    def __init__(self, cfg: Config, identity: Identity, outbox: Outbox, sources: Sources, *,
                 clock: Callable[[], float] = time.time,
                 client: httpx.Client | None = None) -> None:
        self.cfg = cfg
        self.identity = identity
        self.outbox = outbox
        self.sources = sources
        self.clock = clock
        self.url = cfg.fleet.url.rstrip("/") + MESSAGES_PATH if cfg.fleet.url else ""
        self.interval = cfg.fleet.interval_s
        self._client = client
        self._trouble: dict[str, str] = {}
        self._next_beat = 0.0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._commands: dict[int, float] = {}    # screenshot command id → asked at
        self._done: set[int] = set()
        self.last_send: SendResult | None = None

    # ---- messages -----------------------------------------------------------------------------
    def message(self, kind: str, body: dict[str, Any], urgent: bool = False) -> dict[str, Any]:
        at = datetime.fromtimestamp(self.clock(), UTC).replace(microsecond=0).isoformat()
        epoch = self.outbox.epoch

        def make(seq: int) -> dict[str, Any]:
            return self.identity.sign({"v": VERSION, "kiosk": self.identity.kiosk,
                                       "epoch": epoch, "seq": seq, "kind": kind, "at": at,
                                       "urgent": urgent, "body": body})

        return self.outbox.add(make)

    def beat(self) -> dict[str, Any]:
        body = heartbeat.build(self.cfg, self.sources.reports(),
                               uptime_s=self.clock() - self.sources.started_at,
                               today=self.sources.today(), visit=self.sources.visit(),
                               interval_s=self.interval)
        return self.message("heartbeat", body)

    def tick(self) -> list[dict[str, Any]]:
        """One look at the devices: urgent events for what changed, a heartbeat when due.
        Returns the messages it queued."""
        out = []
        self._trouble, events = heartbeat.changes(self._trouble, self.sources.reports())
        for ev in events:
            urgent = ev["event"] in URGENT_EVENTS
            out.append(self.message("event", ev, urgent=urgent))
            (log.warning if urgent else log.info)("fleet event: %s %s", ev["event"],
                                                   ev["device"])
        if events:
            self._wake.set()
        if self.clock() >= self._next_beat:
            self._next_beat = self.clock() + self.interval
            out.append(self.beat())
            self._wake.set()
        out += self._screenshots()
        return out

    # ---- commands (screenshots) ---------------------------------------------------------------
    def take_commands(self, commands: list[dict[str, Any]]) -> None:
        for cmd in commands:
            cid = int(cmd.get("id", 0))
            if cmd.get("kind") == "screenshot" and cid not in self._done:
                self._commands.setdefault(cid, self.clock())

    def _screenshots(self) -> list[dict[str, Any]]:
        out = []
        for cid, asked in list(self._commands.items()):
            png = self._capture() if self.sources.visit() == "idle" else None
            if png is not None:
                out.append(self.message("screenshot", {
                    "command": cid, "png_base64": base64.b64encode(png).decode()}))
            elif self.clock() - asked > SCREENSHOT_WAIT_S:
                out.append(self.message("command_result", {
                    "command": cid, "outcome": "declined",
                    "words": "一直有群众在使用，未截屏"}))
            else:
                continue
            del self._commands[cid]
            self._done.add(cid)
        return out

    def _capture(self) -> bytes | None:
        if self.sources.screenshot is None:
            return None
        try:
            return self.sources.screenshot()
        except Exception as exc:  # a failed capture is reported as declined later, not fatal
            log.warning("screenshot failed: %s: %s", type(exc).__name__, exc)
            return None

    # ---- sending ------------------------------------------------------------------------------
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=20.0)
        return self._client

    def send_once(self) -> SendResult:
        """Send what waits (urgent first), one batch at a time, until the outbox is empty
        or the next hop fails."""
        if not self.url:
            return SendResult(False, error="[fleet].url is not set")
        total = SendResult(True)
        while True:
            batch = self.outbox.pending(BATCH)
            if not batch:
                break
            one = self._post(batch)
            total.sent += one.sent
            total.acked += one.acked
            total.commands += one.commands
            if not one.ok or one.acked == 0:
                total.ok, total.error = one.ok, one.error
                break
        self.last_send = total
        return total

    def _post(self, batch: list[dict[str, Any]]) -> SendResult:
        payload = self.identity.sign({"v": VERSION, "sender": "kiosk",
                                      "id": self.identity.kiosk, "messages": batch})
        try:
            r = self.client().post(self.url, json=payload)
        except httpx.HTTPError as exc:
            return SendResult(False, len(batch), error=f"{type(exc).__name__}: {exc}")
        if r.status_code != 200:
            return SendResult(False, len(batch), error=f"HTTP {r.status_code}: {r.text[:200]}")
        reply = r.json()
        acked = self.outbox.ack((str(a[0]), str(a[1]), int(a[2])) for a in reply.get("acked", []))
        commands = list(reply.get("commands", []))
        self.take_commands(commands)
        return SendResult(True, len(batch), acked, len(commands))

    # ---- threads ------------------------------------------------------------------------------
    def start(self) -> None:
        for name, target in (("fleet-watch", self._watch), ("fleet-send", self._send_loop)):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._threads:
            t.join(timeout=5)

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the agent must never take the kiosk down
                log.exception("fleet watch failed")
            self._stop.wait(WATCH_S)

    def _send_loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            self._wake.wait(timeout=BACKOFF_S[min(failures, len(BACKOFF_S) - 1)]
                            if failures else self.interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                result = self.send_once()
            except Exception:  # same: log, back off, try again
                log.exception("fleet send failed")
                result = SendResult(False, error="exception")
            if result.ok:
                failures = 0
            else:
                failures += 1
                if failures in (1, 10) or failures % 100 == 0:
                    log.warning("fleet: cannot deliver to %s (%s); %s kept in the outbox",
                                self.cfg.fleet.url, result.error, self.outbox.counts())
