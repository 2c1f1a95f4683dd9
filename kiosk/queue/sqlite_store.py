"""The embedded queue store: one SQLite file, safe for several kiosk processes at once.

Why these settings: WAL lets the screens read the queue while a ticket is being allocated;
every write is one `BEGIN IMMEDIATE` transaction, so two processes take the write lock in turn
instead of both reading the same "last number" and deadlocking on upgrade; busy_timeout makes
the second one wait rather than fail; synchronous=FULL because a committed number lost in a
power cut would be handed out again to the next citizen while the first holds it on paper.
"""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.db import Migration, SqliteFile
from kiosk.queue import messages
from kiosk.queue.model import (
    MAX_SEQ,
    AllocationRequest,
    Priority,
    Refusal,
    ServiceDay,
    Ticket,
    TicketState,
    format_number,
)
from kiosk.queue.owner import owner_alive
from kiosk.queue.store import AllocationRefused, QueueStoreError

BUSY_TIMEOUT_MS = 5000
STALE_ISSUING = timedelta(minutes=2)
"""An `issuing` ticket whose owner cannot be checked (another host) is void after this long:
no slip takes two minutes to print, so its process is gone."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sequences (
    day TEXT NOT NULL, number_prefix TEXT NOT NULL, last_seq INTEGER NOT NULL,
    PRIMARY KEY (day, number_prefix));
CREATE TABLE IF NOT EXISTS tickets (
    ticket_id TEXT PRIMARY KEY, day TEXT NOT NULL, number TEXT NOT NULL,
    service_prefix TEXT NOT NULL, seq INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('issuing','printed','called','done','void')),
    issued_at TEXT NOT NULL, people_ahead INTEGER NOT NULL, est_wait_min REAL NOT NULL,
    priority TEXT NOT NULL DEFAULT '', declared TEXT NOT NULL DEFAULT '',
    person_hash TEXT, owner TEXT NOT NULL DEFAULT '',
    printed_at TEXT, called_at TEXT, done_at TEXT, voided_at TEXT,
    void_reason TEXT NOT NULL DEFAULT '', counter TEXT NOT NULL DEFAULT '',
    UNIQUE (day, number));
CREATE INDEX IF NOT EXISTS tickets_service ON tickets (day, service_prefix, state);
CREATE INDEX IF NOT EXISTS tickets_person ON tickets (day, person_hash)
    WHERE person_hash IS NOT NULL;
CREATE TABLE IF NOT EXISTS service_overrides (
    day TEXT NOT NULL, service_prefix TEXT NOT NULL, is_open INTEGER NOT NULL,
    PRIMARY KEY (day, service_prefix));
"""

_COLUMNS = ("ticket_id, day, number, service_prefix, seq, state, issued_at, people_ahead, "
            "est_wait_min, priority, declared, printed_at, called_at, done_at, voided_at, "
            "void_reason, counter")
_WAITING_SQL = "state IN ('issuing', 'printed')"


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _ticket(row: tuple[Any, ...]) -> Ticket:
    (tid, day, number, prefix, seq, state, issued, ahead, est, prio, declared,
     printed, called, done, voided, reason, counter) = row
    return Ticket(
        ticket_id=tid, day=date.fromisoformat(day), number=number, service_prefix=prefix,
        seq=seq, state=TicketState(state), issued_at=datetime.fromisoformat(issued),
        people_ahead=ahead, est_wait_min=est, priority=Priority(prio), declared=declared,
        printed_at=_dt(printed), called_at=_dt(called), done_at=_dt(done),
        voided_at=_dt(voided), void_reason=reason, counter=counter,
    )


MIGRATIONS = (Migration(1, "tickets, sequences, service overrides", _SCHEMA),)
SCHEMA_VERSION = len(MIGRATIONS)


class SqliteQueueStore:
    """QueueStore on a SQLite file (kiosk.db.SqliteFile). One connection, shared by the threads
    of one process under a lock (the UI's print worker and the screens); other processes use
    their own."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._file = SqliteFile(self.path, what="queue store", migrations=MIGRATIONS,
                                error=QueueStoreError, synchronous="FULL",
                                busy_timeout_s=BUSY_TIMEOUT_MS / 1000,
                                unchanged="no ticket was changed")

    # -- lifecycle ---------------------------------------------------------------------------

    def open(self, *, readonly: bool = False) -> None:
        """Open, creating or upgrading the file; `readonly` (reports, checks) never writes and
        refuses a file that does not exist yet."""
        self._file.open(readonly=readonly)

    def close(self) -> None:
        self._file.close()

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
        return self._file.write("write")

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self._file.query(sql, args)

    def _connection(self) -> sqlite3.Connection:
        return self._file.conn

    # -- issuing -----------------------------------------------------------------------------

    def allocate(self, req: AllocationRequest) -> Ticket:
        with self._tx() as c:
            self._check_rules(c, req)
            seq = self._next_seq(c, req)
            ahead = self._ahead(c, req)
            ticket = Ticket(
                ticket_id=uuid.uuid4().hex, day=req.day,
                number=format_number(req.number_prefix, seq), service_prefix=req.service_prefix,
                seq=seq, state=TicketState.ISSUING, issued_at=req.issued_at, people_ahead=ahead,
                est_wait_min=round(ahead * req.minutes_per_ticket, 2), priority=req.priority,
                declared=req.declared,
            )
            c.execute(
                "INSERT INTO tickets (ticket_id, day, number, service_prefix, seq, state, "
                "issued_at, people_ahead, est_wait_min, priority, declared, person_hash, owner) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (ticket.ticket_id, req.day.isoformat(), ticket.number, req.service_prefix, seq,
                 ticket.state.value, req.issued_at.isoformat(), ahead, ticket.est_wait_min,
                 req.priority.value, req.declared, req.person_hash, req.owner),
            )
            return ticket

    def _check_rules(self, c: sqlite3.Connection, req: AllocationRequest) -> None:
        day, svc = req.day.isoformat(), req.service_prefix
        row = c.execute("SELECT is_open FROM service_overrides WHERE day = ? AND "
                        "service_prefix = ?", (day, svc)).fetchone()
        if not (bool(row[0]) if row else req.open_by_hours):
            raise AllocationRefused(Refusal.CLOSED, f"service {svc} is closed now")
        issued = c.execute("SELECT COUNT(*) FROM tickets WHERE day = ? AND service_prefix = ? "
                           "AND state != 'void'", (day, svc)).fetchone()[0]
        if issued >= req.daily_limit:
            raise AllocationRefused(Refusal.DAILY_LIMIT, f"service {svc}: daily limit "
                                                         f"{req.daily_limit} reached")
        if req.person_hash is None:
            return
        states = [r[0] for r in c.execute(
            "SELECT state FROM tickets WHERE day = ? AND person_hash = ? AND service_prefix = ? "
            "AND state != 'void'", (day, req.person_hash, svc))]
        if any(s in ("issuing", "printed") for s in states):
            raise AllocationRefused(Refusal.PERSON_WAITING,
                                    f"service {svc}: this card already holds a waiting ticket")
        if len(states) >= req.person_daily_limit:
            raise AllocationRefused(Refusal.PERSON_DAILY_LIMIT,
                                    f"service {svc}: per-person limit {req.person_daily_limit}")

    def _next_seq(self, c: sqlite3.Connection, req: AllocationRequest) -> int:
        day, prefix = req.day.isoformat(), req.number_prefix
        row = c.execute("SELECT last_seq FROM sequences WHERE day = ? AND number_prefix = ?",
                        (day, prefix)).fetchone()
        seq = (row[0] if row else 0) + 1
        if seq > MAX_SEQ:
            raise AllocationRefused(Refusal.NUMBERS_EXHAUSTED,
                                    f"prefix {prefix}: all {MAX_SEQ} numbers of {day} used")
        c.execute("INSERT INTO sequences (day, number_prefix, last_seq) VALUES (?, ?, ?) "
                  "ON CONFLICT (day, number_prefix) DO UPDATE SET last_seq = excluded.last_seq",
                  (day, prefix, seq))
        return seq

    @staticmethod
    def _ahead(c: sqlite3.Connection, req: AllocationRequest) -> int:
        """Waiting tickets served before this one: priority tickets pass ordinary ones, so a
        priority ticket only waits behind other priority tickets."""
        sql = (f"SELECT COUNT(*) FROM tickets WHERE day = ? AND service_prefix = ? "
               f"AND {_WAITING_SQL}")
        if req.priority is not Priority.NONE:
            sql += " AND priority != ''"
        return int(c.execute(sql, (req.day.isoformat(), req.service_prefix)).fetchone()[0])

    # -- state changes -----------------------------------------------------------------------

    def _transition(self, ticket_id: str, sets: str, args: tuple[Any, ...],
                    allowed: tuple[str, ...]) -> Ticket:
        with self._tx() as c:
            row = c.execute("SELECT number, state FROM tickets WHERE ticket_id = ?",
                            (ticket_id,)).fetchone()
            if row is None:
                raise QueueStoreError(f"no ticket with id {ticket_id!r}",
                                      messages.TICKET_NOT_FOUND)
            if row[1] not in allowed:
                raise QueueStoreError(f"ticket {row[0]} is {row[1]}; expected "
                                      f"{' or '.join(allowed)}")
            c.execute(f"UPDATE tickets SET {sets} WHERE ticket_id = ?", (*args, ticket_id))
            found = c.execute(f"SELECT {_COLUMNS} FROM tickets WHERE ticket_id = ?",
                              (ticket_id,)).fetchone()
            return _ticket(found)

    def mark_printed(self, ticket_id: str, at: datetime) -> Ticket:
        return self._transition(ticket_id, "state = 'printed', printed_at = ?",
                                (at.isoformat(),), ("issuing",))

    def void(self, ticket_id: str, reason: str, at: datetime) -> Ticket:
        current = self.get(ticket_id)
        if current is not None and current.state is TicketState.VOID:
            return current
        return self._transition(ticket_id, "state = 'void', voided_at = ?, void_reason = ?",
                                (at.isoformat(), reason), ("issuing", "printed", "called"))

    def call(self, ticket_id: str, counter: str, at: datetime) -> Ticket:
        return self._transition(ticket_id, "state = 'called', called_at = ?, counter = ?",
                                (at.isoformat(), counter), ("printed", "called"))

    def finish(self, ticket_id: str, at: datetime) -> Ticket:
        return self._transition(ticket_id, "state = 'done', done_at = ?", (at.isoformat(),),
                                ("called",))

    def recover(self, at: datetime) -> list[Ticket]:
        with self._tx() as c:
            rows = c.execute("SELECT ticket_id, owner, issued_at FROM tickets "
                             "WHERE state = 'issuing'").fetchall()
            dead = [tid for tid, owner, issued in rows
                    if _abandoned(owner, datetime.fromisoformat(issued), at)]
            for tid in dead:
                c.execute("UPDATE tickets SET state = 'void', voided_at = ?, "
                          "void_reason = 'interrupted' WHERE ticket_id = ?", (at.isoformat(), tid))
            return [_ticket(c.execute(f"SELECT {_COLUMNS} FROM tickets WHERE ticket_id = ?",
                                      (tid,)).fetchone()) for tid in dead]

    def void_waiting(self, day: date, reason: str, at: datetime) -> list[Ticket]:
        with self._tx() as c:
            ids = [r[0] for r in c.execute(
                f"SELECT ticket_id FROM tickets WHERE day = ? AND {_WAITING_SQL} ORDER BY rowid",
                (day.isoformat(),))]
            c.execute(f"UPDATE tickets SET state = 'void', voided_at = ?, void_reason = ? "
                      f"WHERE day = ? AND {_WAITING_SQL}", (at.isoformat(), reason,
                                                            day.isoformat()))
        return [t for t in (self.get(i) for i in ids) if t is not None]

    def set_service_open(self, day: date, service_prefix: str, is_open: bool | None) -> None:
        with self._tx() as c:
            if is_open is None:
                c.execute("DELETE FROM service_overrides WHERE day = ? AND service_prefix = ?",
                          (day.isoformat(), service_prefix))
            else:
                c.execute("INSERT INTO service_overrides (day, service_prefix, is_open) "
                          "VALUES (?, ?, ?) ON CONFLICT (day, service_prefix) "
                          "DO UPDATE SET is_open = excluded.is_open",
                          (day.isoformat(), service_prefix, int(is_open)))

    # -- reading -----------------------------------------------------------------------------

    def get(self, ticket_id: str) -> Ticket | None:
        rows = self._read(f"SELECT {_COLUMNS} FROM tickets WHERE ticket_id = ?", (ticket_id,))
        return _ticket(rows[0]) if rows else None

    def find(self, day: date, number: str) -> Ticket | None:
        rows = self._read(f"SELECT {_COLUMNS} FROM tickets WHERE day = ? AND number = ?",
                          (day.isoformat(), number))
        return _ticket(rows[0]) if rows else None

    def tickets(self, day: date) -> list[Ticket]:
        rows = self._read(f"SELECT {_COLUMNS} FROM tickets WHERE day = ? ORDER BY rowid",
                          (day.isoformat(),))
        return [_ticket(r) for r in rows]

    def summary(self, day: date) -> dict[str, ServiceDay]:
        rows = self._read(
            f"SELECT service_prefix, SUM({_WAITING_SQL}), SUM({_WAITING_SQL} AND priority != ''),"
            f" SUM(state != 'void') FROM tickets WHERE day = ? GROUP BY service_prefix",
            (day.isoformat(),))
        return {p: ServiceDay(waiting=w, waiting_priority=wp, issued=n) for p, w, wp, n in rows}

    def handling_minutes(self, day: date, service_prefix: str, last: int) -> list[float]:
        rows = self._read(
            "SELECT called_at, done_at FROM tickets WHERE day = ? AND service_prefix = ? AND "
            "state = 'done' AND called_at IS NOT NULL AND done_at IS NOT NULL "
            "ORDER BY done_at DESC LIMIT ?", (day.isoformat(), service_prefix, last))
        return [(datetime.fromisoformat(d) - datetime.fromisoformat(c)).total_seconds() / 60
                for c, d in rows]

    def service_overrides(self, day: date) -> dict[str, bool]:
        rows = self._read("SELECT service_prefix, is_open FROM service_overrides WHERE day = ?",
                          (day.isoformat(),))
        return {p: bool(o) for p, o in rows}


def _abandoned(owner: str, issued_at: datetime, now: datetime) -> bool:
    alive = owner_alive(owner)
    if alive is None:
        return now - issued_at > STALE_ISSUING
    return not alive
