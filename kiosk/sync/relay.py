"""The hall's relay of fleet messages: kiosks send to the hall service (on the hall LAN, always
reachable), the hall keeps what they send and forwards it to the county when a link exists.

The hall service mounts `accept` at protocol.fleet.MESSAGES_PATH; it answers at once from its
own store: every message it has kept is acknowledged (the kiosk may forget it — the hall is
now responsible), with the commands the county last gave for that kiosk. `forward_once`
(a thread, `start()`) sends what waits to the county in batches signed with the hall's own
key; the county checks each message's kiosk signature itself, so the hall can neither alter
nor invent one. Same outbox as a kiosk's (kiosk.sync.outbox): nothing is lost while the
county is unreachable for a week, and a message forwarded twice is stored once.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import httpx

from kiosk.sync.identity import Identity
from kiosk.sync.outbox import Outbox
from protocol.fleet import KINDS, MESSAGES_PATH, VERSION

log = logging.getLogger(__name__)
MAX_MESSAGES = 500
BATCH = 200
RETRY_S = (5, 15, 30, 60, 120, 300)


class Relay:
    def __init__(self, outbox: Outbox, hall: Identity, county_url: str,
                 client: httpx.Client | None = None) -> None:
        self.outbox = outbox
        self.hall = hall
        self.url = county_url.rstrip("/") + MESSAGES_PATH
        self._client = client
        self._commands: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error = ""

    # ---- from the kiosks ----------------------------------------------------------------------
    def accept(self, batch: Any) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON reply) for one kiosk's batch."""
        if not isinstance(batch, dict) or not isinstance(batch.get("messages"), list):
            return 400, {"error": "expected {sender, id, messages: [...]}"}
        sender = str(batch.get("id", ""))
        messages = batch["messages"]
        if len(messages) > MAX_MESSAGES:
            return 413, {"error": f"at most {MAX_MESSAGES} messages in one batch"}
        acked = []
        for env in messages:
            if not _looks_like(env, sender):
                continue
            self.outbox.put(env)
            acked.append([env["kiosk"], env["epoch"], env["seq"]])
        if acked:
            self._wake.set()          # forward now: an urgent event must not wait
        with self._lock:
            commands = list(self._commands.get(sender, []))
        return 200, {"acked": acked, "commands": commands, "relayed_by": self.hall.kiosk}

    # ---- to the county ------------------------------------------------------------------------
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=30.0)
        return self._client

    def forward_once(self) -> tuple[bool, int]:
        """Send what waits, batch by batch; (reached the county, messages acknowledged)."""
        total = 0
        while True:
            pending = self.outbox.pending(BATCH)
            if not pending:
                return True, total
            ok, acked = self._post(pending)
            total += acked
            if not ok or not acked:
                return ok, total

    def _post(self, pending: list[dict[str, Any]]) -> tuple[bool, int]:
        batch = self.hall.sign({"v": VERSION, "sender": "hall", "id": self.hall.kiosk,
                                "messages": pending})
        try:
            r = self.client().post(self.url, json=batch)
        except httpx.HTTPError as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            return False, 0
        if r.status_code != 200:
            self.last_error = f"HTTP {r.status_code}: {r.text[:200]}"
            return False, 0
        reply = r.json()
        n = self.outbox.ack((str(a[0]), str(a[1]), int(a[2])) for a in reply.get("acked", []))
        self._keep_commands({str(m["kiosk"]) for m in pending}, reply.get("commands", []))
        self.last_error = ""
        return True, n

    def _keep_commands(self, kiosks: set[str], commands: list[dict[str, Any]]) -> None:
        with self._lock:
            for k in kiosks:
                self._commands[k] = [c for c in commands if c.get("kiosk") == k]

    # ---- thread -------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="fleet-relay", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            self._wake.wait(RETRY_S[min(failures, len(RETRY_S) - 1)] if failures else 60.0)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                ok, _ = self.forward_once()
            except Exception:  # never let the relay thread die
                log.exception("fleet relay failed")
                ok = False
            failures = 0 if ok else failures + 1
            if failures in (1, 10) or (failures and failures % 100 == 0):
                log.warning("fleet relay: county unreachable (%s); %s kept",
                            self.last_error, self.outbox.counts())


def _looks_like(env: Any, sender: str) -> bool:
    """Enough shape to key and keep it; the county checks the rest (signature, fields)."""
    return (isinstance(env, dict) and env.get("kiosk") == sender and env.get("kind") in KINDS
            and isinstance(env.get("seq"), int) and isinstance(env.get("epoch"), str)
            and isinstance(env.get("sig"), str))
