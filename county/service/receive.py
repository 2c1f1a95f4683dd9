"""Receiving a batch of fleet messages, from a kiosk or from a hall that relays them.

For each batch: the sender's signature (its own enrolled key); for each message: the kiosk's
signature, that a relaying hall is that kiosk's hall, and protocol.fleet's closed field lists.
Then, in one transaction, store it once (a repeat is acknowledged and ignored), bring the
kiosk's state up to date and open or resolve alerts. The reply acknowledges every message the
sender may forget (stored, or refused for good) and carries the commands waiting for the
kiosks of the batch.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg

from county.service.db import Database
from kiosk.sync.identity import verify
from protocol.fleet import KINDS, URGENT_EVENTS, device_trouble, unexpected_fields

log = logging.getLogger(__name__)


class Refused(Exception):
    """The whole batch is refused (HTTP 4xx): an unknown sender or a bad signature."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Outcome:
    acked: list[list[Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    stored: int = 0
    new_alerts: int = 0
    seconds: float = 0.0

    def reply(self) -> dict[str, Any]:
        return {"acked": self.acked, "rejected": self.rejected, "commands": self.commands}


class Receiver:
    """Keeps the public keys in memory (reloaded when a key is unknown: a new enrolment)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._kiosks: dict[str, tuple[str, str]] = {}    # id → (public key, hall id)
        self._halls: dict[str, str] = {}                 # id → public key

    def _load_keys(self) -> None:
        self._kiosks = {r["id"]: (r["public_key"], r["hall_id"]) for r in self.db.rows(
            "SELECT id, public_key, hall_id FROM kiosks WHERE public_key IS NOT NULL")}
        self._halls = {r["id"]: r["public_key"] for r in self.db.rows(
            "SELECT id, public_key FROM halls WHERE public_key IS NOT NULL")}

    def kiosk_key(self, kiosk: str) -> tuple[str, str] | None:
        if kiosk not in self._kiosks:
            self._load_keys()
        return self._kiosks.get(kiosk)

    def hall_key(self, hall: str) -> str | None:
        if hall not in self._halls:
            self._load_keys()
        return self._halls.get(hall)

    def forget_keys(self) -> None:
        self._kiosks, self._halls = {}, {}

    # ---- a batch ------------------------------------------------------------------------------
    def receive(self, batch: dict[str, Any]) -> Outcome:
        start = time.perf_counter()
        sender, sender_id = str(batch.get("sender", "")), str(batch.get("id", ""))
        self._check_sender(batch, sender, sender_id)
        out = Outcome()
        kiosks: set[str] = set()
        messages = batch.get("messages")
        if not isinstance(messages, list):
            raise Refused(400, "messages: expected a list")
        for env in messages:
            problem = self._problem(env, sender, sender_id)
            key: list[Any] | None = [env.get("kiosk"), env.get("epoch"), env.get("seq")] \
                if isinstance(env, dict) else None
            if problem or key is None:
                log.warning("fleet message refused from %s %s: %s", sender, sender_id, problem)
                out.rejected.append({"message": key, "why": problem})
                if key is not None:
                    out.acked.append(key)     # refused for good: the sender may drop it
                continue
            out.new_alerts += self._store(env, via=f"{sender}:{sender_id}", out=out)
            out.acked.append(key)
            kiosks.add(str(env["kiosk"]))
        if sender == "kiosk":
            kiosks.add(sender_id)
        out.commands = self._commands(kiosks)
        out.seconds = time.perf_counter() - start
        return out

    def _check_sender(self, batch: dict[str, Any], sender: str, sender_id: str) -> None:
        if sender == "kiosk":
            found = self.kiosk_key(sender_id)
            key = found[0] if found else None
        elif sender == "hall":
            key = self.hall_key(sender_id)
        else:
            raise Refused(400, f"sender: expected kiosk or hall, got {sender!r}")
        if key is None:
            raise Refused(403, f"{sender} {sender_id!r} is not enrolled with this county")
        if not verify(key, batch):
            raise Refused(403, f"{sender} {sender_id}: the batch's signature does not verify")

    def _problem(self, env: Any, sender: str, sender_id: str) -> str:
        if not isinstance(env, dict) or not isinstance(env.get("body"), dict):
            return "not a message envelope"
        kiosk = str(env.get("kiosk", ""))
        found = self.kiosk_key(kiosk)
        if found is None:
            return f"kiosk {kiosk!r} is not enrolled"
        if sender == "kiosk" and kiosk != sender_id:
            return f"kiosk {sender_id} sent a message of kiosk {kiosk}"
        if sender == "hall" and found[1] != sender_id:
            return f"kiosk {kiosk} is not in hall {sender_id}"
        if env.get("kind") not in KINDS:
            return f"unknown kind {env.get('kind')!r}"
        if not verify(found[0], env):
            return "the signature does not verify"
        extra = unexpected_fields(str(env["kind"]), env["body"])
        if extra:
            return "fields not allowed in a fleet message: " + ", ".join(extra[:5])
        try:
            datetime.fromisoformat(str(env.get("at")))
            int(env["seq"])
        except (ValueError, KeyError, TypeError):
            return "bad at/seq"
        return ""

    # ---- storing ------------------------------------------------------------------------------
    def _store(self, env: dict[str, Any], via: str, out: Outcome) -> int:
        body = env["body"]
        stored_body = body if env["kind"] != "screenshot" else \
            {"command": body.get("command")}
        with self.db.tx() as conn:
            cur = conn.execute(
                "INSERT INTO messages (kiosk_id, epoch, seq, kind, urgent, at, via, body) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (env["kiosk"], env["epoch"], int(env["seq"]), env["kind"],
                 bool(env.get("urgent")), env["at"], via,
                 json.dumps(stored_body, ensure_ascii=False)))
            if cur.rowcount != 1:
                return 0          # seen before: acknowledged again, applied once
            out.stored += 1
            return _APPLY[str(env["kind"])](conn, env)

    def _commands(self, kiosks: set[str]) -> list[dict[str, Any]]:
        if not kiosks:
            return []
        rows = self.db.rows("SELECT id, kiosk_id, kind FROM commands WHERE done_at IS NULL "
                            "AND kiosk_id = ANY(%s) ORDER BY id", (sorted(kiosks),))
        return [{"id": r["id"], "kiosk": r["kiosk_id"], "kind": r["kind"]} for r in rows]


Conn = psycopg.Connection[Any]


def _heartbeat(conn: Conn, env: dict[str, Any]) -> int:
    body = env["body"]
    cur = conn.execute(
        "INSERT INTO kiosk_state AS s (kiosk_id, last_seen, last_at, interval_s, heartbeat) "
        "VALUES (%s, now(), %s, %s, %s) ON CONFLICT (kiosk_id) DO UPDATE SET "
        "last_seen = now(), last_at = excluded.last_at, interval_s = excluded.interval_s, "
        "heartbeat = excluded.heartbeat WHERE s.last_at <= excluded.last_at",
        (env["kiosk"], env["at"], int(body.get("interval_s", 60)),
         json.dumps(body, ensure_ascii=False)))
    if cur.rowcount != 1:
        # an old heartbeat delivered late (store-and-forward): history only, but the kiosk
        # has been heard from
        conn.execute("UPDATE kiosk_state SET last_seen = now() WHERE kiosk_id = %s",
                     (env["kiosk"],))
        return 0
    opened = 0
    for device in body.get("devices", []):
        trouble = device_trouble(device)
        if trouble:
            opened += _open(conn, env["kiosk"], device.get("device", ""), trouble,
                            device.get("last_error") or device.get("words", ""), env["at"])
        else:
            _resolve(conn, env["kiosk"], device.get("device", ""), env["at"])
    return opened


def _event(conn: Conn, env: dict[str, Any]) -> int:
    body = env["body"]
    conn.execute("UPDATE kiosk_state SET last_seen = now() WHERE kiosk_id = %s",
                 (env["kiosk"],))
    if body.get("event") in URGENT_EVENTS:
        return _open(conn, env["kiosk"], str(body.get("device", "")), str(body["event"]),
                     str(body.get("words", "")), env["at"])
    if body.get("event") == "recovered":
        _resolve(conn, env["kiosk"], str(body.get("device", "")), env["at"])
    return 0


def _open(conn: Conn, kiosk: str, device: str, kind: str, words: str, at: str) -> int:
    cur = conn.execute(
        "INSERT INTO alerts (kiosk_id, device, kind, words, opened_at) "
        "SELECT %s, %s, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE kiosk_id = %s "
        "AND device = %s AND resolved_at IS NULL) ON CONFLICT DO NOTHING",
        (kiosk, device, kind, words or URGENT_EVENTS.get(kind, kind), at, kiosk, device))
    return cur.rowcount


def _resolve(conn: Conn, kiosk: str, device: str, at: str) -> None:
    conn.execute("UPDATE alerts SET resolved_at = greatest(%s::timestamptz, opened_at) "
                 "WHERE kiosk_id = %s AND device = %s AND resolved_at IS NULL AND opened_at <= %s",
                 (at, kiosk, device, at))


def _screenshot(conn: Conn, env: dict[str, Any]) -> int:
    body = env["body"]
    cid = int(body.get("command", 0))
    try:
        png = base64.b64decode(str(body.get("png_base64", "")), validate=True)
    except ValueError:
        png = b""
    if not png.startswith(b"\x89PNG"):
        _done(conn, env["kiosk"], cid, "failed", "截屏数据无法识别")
        return 0
    conn.execute("INSERT INTO screenshots (command_id, kiosk_id, taken_at, png) "
                 "SELECT id, kiosk_id, %s, %s FROM commands WHERE id = %s AND kiosk_id = %s "
                 "ON CONFLICT DO NOTHING", (env["at"], png, cid, env["kiosk"]))
    _done(conn, env["kiosk"], cid, "done", "已截屏")
    return 0


def _result(conn: Conn, env: dict[str, Any]) -> int:
    body = env["body"]
    _done(conn, env["kiosk"], int(body.get("command", 0)), str(body.get("outcome", "")),
          str(body.get("words", "")))
    return 0


def _done(conn: Conn, kiosk: str, cid: int, outcome: str, words: str) -> None:
    conn.execute("UPDATE commands SET done_at = now(), outcome = %s, words = %s "
                 "WHERE id = %s AND kiosk_id = %s AND done_at IS NULL",
                 (outcome, words, cid, kiosk))


_APPLY = {"heartbeat": _heartbeat, "event": _event, "screenshot": _screenshot,
          "command_result": _result}
