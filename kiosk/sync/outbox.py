"""Store and forward: messages wait here until the next hop (the hall service, or the county)
has acknowledged them. The kiosk's outbox and the hall's relay are the same class.

    messages(seq, epoch, kind, urgent, created, envelope)   in a SQLite file, WAL, FULL sync

Rules (docs/county.md, "What travels"):
- Urgent events are never dropped; everything leaves oldest first (an urgent event wakes the
  sender at once, so it does not wait for the next heartbeat).
- Heartbeats are thinned while the link is down: the newest is always kept, and of older
  unsent ones one per hour, for at most HEARTBEAT_HOURS hours. A week offline loses no event
  and keeps a record of the kiosk's state hour by hour.
- `ack(keys)` deletes exactly the messages the next hop confirmed ((epoch, seq) pairs): a
  message is deleted only after it is safe elsewhere. Sending twice is harmless (the receiver
  keeps one copy per (kiosk, epoch, seq)).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kiosk.db import Migration, SqliteFile

HEARTBEAT_HOURS = 24 * 14
MAX_EVENTS = 200_000      # a safety bound on disk use (years of faults), never reached in use


class OutboxError(Exception):
    pass


def _first(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        "CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, sender TEXT NOT NULL, "
        "epoch TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, "
        "urgent INTEGER NOT NULL, created REAL NOT NULL, envelope TEXT NOT NULL, "
        "UNIQUE (sender, epoch, seq))")
    conn.execute("CREATE INDEX messages_by_kind ON messages (kind, urgent, created)")
    conn.execute("INSERT INTO meta VALUES ('epoch', ?)", (secrets.token_hex(8),))


MIGRATIONS = (Migration(1, "first layout", _first),)

Envelope = dict[str, Any]


class Outbox:
    """Messages waiting for the next hop. Thread-safe (one connection under SqliteFile's
    lock). `sender` is the kiosk id (a hall relay keeps many senders in one outbox)."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.db = SqliteFile(path, what="outbox", migrations=MIGRATIONS, error=OutboxError,
                             synchronous="FULL", unchanged="the message was not stored")
        self.clock = clock
        self._epoch = ""

    def open(self) -> Outbox:
        self.db.open()
        return self

    def close(self) -> None:
        self.db.close()

    @property
    def epoch(self) -> str:
        if not self._epoch:
            self._epoch = str(self.db.query("SELECT value FROM meta WHERE key = 'epoch'")[0][0])
        return self._epoch

    def add(self, make: Callable[[int], Envelope]) -> Envelope:
        """A new message of this kiosk: `make(seq)` builds and signs the envelope with the
        next sequence number; numbering and keeping are one transaction."""
        with self.db.write("keep a message") as c:
            row = c.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
            seq = int(row[0]) + 1 if row else 1
            c.execute("INSERT OR REPLACE INTO meta VALUES ('seq', ?)", (str(seq),))
            envelope = make(seq)
            self._insert(c, envelope)
        return envelope

    def put(self, envelope: Envelope) -> bool:
        """Keep one signed envelope relayed from elsewhere; False if it was already here."""
        with self.db.write("keep a message") as c:
            return self._insert(c, envelope)

    def _insert(self, c: sqlite3.Connection, envelope: Envelope) -> bool:
        """Keep it (once); thin the sender's old heartbeats, bound the events."""
        created = self.clock()
        cur = c.execute(
            "INSERT OR IGNORE INTO messages (sender, epoch, seq, kind, urgent, created, "
            "envelope) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (str(envelope["kiosk"]), str(envelope["epoch"]), int(envelope["seq"]),
             str(envelope["kind"]), int(bool(envelope.get("urgent"))), created,
             json.dumps(envelope, ensure_ascii=False)))
        if envelope["kind"] == "heartbeat":
            self._thin(c, str(envelope["kiosk"]), created)
        else:
            self._bound(c)
        return cur.rowcount == 1

    @staticmethod
    def _thin(c: sqlite3.Connection, sender: str, now: float) -> None:
        """Of this sender's unsent heartbeats older than an hour, keep the newest of each
        hour; none older than HEARTBEAT_HOURS."""
        c.execute(
            "DELETE FROM messages WHERE kind = 'heartbeat' AND sender = ? AND created < ? "
            "AND id NOT IN (SELECT max(id) FROM messages WHERE kind = 'heartbeat' AND "
            "sender = ? GROUP BY CAST(created / 3600 AS INTEGER))",
            (sender, now - 3600, sender))
        c.execute("DELETE FROM messages WHERE kind = 'heartbeat' AND sender = ? AND created < ?",
                  (sender, now - HEARTBEAT_HOURS * 3600))

    @staticmethod
    def _bound(c: sqlite3.Connection) -> None:
        n = c.execute("SELECT count(*) FROM messages WHERE kind != 'heartbeat'").fetchone()[0]
        if n > MAX_EVENTS:
            raise OutboxError(f"outbox holds {n} events (limit {MAX_EVENTS}); the link has "
                              "been down too long")

    def pending(self, limit: int = 200) -> list[Envelope]:
        """What to send next, oldest first: one kiosk's messages arrive in the order they
        happened (a "recovered" never overtakes the "paper_out" before it)."""
        rows = self.db.query("SELECT envelope FROM messages ORDER BY id LIMIT ?",
                             (limit,))
        return [json.loads(str(r[0])) for r in rows]

    def ack(self, keys: Iterable[tuple[str, str, int]]) -> int:
        """Delete the messages the next hop confirmed: (sender, epoch, seq) each."""
        with self.db.write("forget delivered messages") as c:
            n = 0
            for sender, epoch, seq in keys:
                n += c.execute("DELETE FROM messages WHERE sender = ? AND epoch = ? AND seq = ?",
                               (sender, epoch, int(seq))).rowcount
        return n

    def counts(self) -> dict[str, int]:
        rows = self.db.query("SELECT kind, count(*) FROM messages GROUP BY kind")
        return {str(k): int(str(n)) for k, n in rows}
