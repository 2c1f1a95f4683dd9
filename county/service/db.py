"""The county service's PostgreSQL database (psycopg 3): schema, migrations, the pool.

Tables:
    halls, kiosks            enrolled parties, each with its own Ed25519 public key
    enrol_codes              one-time codes (only their sha256 is stored)
    messages                 every heartbeat/event/result as received, unique per
                             (kiosk, epoch, seq): a message sent twice is stored once
    kiosk_state              the newest heartbeat per kiosk (what the dashboard shows)
    alerts                   a device in trouble: opened by an event or a heartbeat, resolved
                             by itself when the device is fine again, acknowledged by staff
    commands, screenshots    a screenshot asked for on the dashboard, and the picture
    operators, secrets       dashboard accounts (scrypt), the session-cookie key

No citizen's data is in any of them: messages are checked against protocol.fleet's closed
field lists before they are stored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from kiosk.errors import KioskError

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE halls (
        id text PRIMARY KEY, name text NOT NULL UNIQUE, region text NOT NULL DEFAULT '',
        public_key text, enrolled_at timestamptz, created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE kiosks (
        id text PRIMARY KEY, name text NOT NULL, hall_id text NOT NULL REFERENCES halls(id),
        public_key text, enrolled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (hall_id, name));
    CREATE TABLE enrol_codes (
        code_hash text PRIMARY KEY, role text NOT NULL, target_id text NOT NULL,
        expires_at timestamptz NOT NULL, used_at timestamptz);
    CREATE TABLE messages (
        kiosk_id text NOT NULL REFERENCES kiosks(id), epoch text NOT NULL, seq bigint NOT NULL,
        kind text NOT NULL, urgent boolean NOT NULL, at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(), via text NOT NULL, body jsonb NOT NULL,
        PRIMARY KEY (kiosk_id, epoch, seq));
    CREATE INDEX messages_by_kiosk_time ON messages (kiosk_id, at DESC);
    CREATE TABLE kiosk_state (
        kiosk_id text PRIMARY KEY REFERENCES kiosks(id), last_seen timestamptz NOT NULL,
        last_at timestamptz NOT NULL, interval_s integer NOT NULL, heartbeat jsonb NOT NULL);
    CREATE TABLE alerts (
        id bigserial PRIMARY KEY, kiosk_id text NOT NULL REFERENCES kiosks(id),
        device text NOT NULL, kind text NOT NULL, words text NOT NULL,
        opened_at timestamptz NOT NULL, resolved_at timestamptz, acked_at timestamptz,
        acked_by text, notified_at timestamptz,
        notify_attempts integer NOT NULL DEFAULT 0);
    CREATE UNIQUE INDEX one_open_alert ON alerts (kiosk_id, device) WHERE resolved_at IS NULL;
    CREATE INDEX alerts_to_notify ON alerts (id) WHERE notified_at IS NULL;
    CREATE TABLE commands (
        id bigserial PRIMARY KEY, kiosk_id text NOT NULL REFERENCES kiosks(id),
        kind text NOT NULL, asked_by text NOT NULL,
        asked_at timestamptz NOT NULL DEFAULT now(), done_at timestamptz, outcome text,
        words text);
    CREATE TABLE screenshots (
        command_id bigint PRIMARY KEY REFERENCES commands(id),
        kiosk_id text NOT NULL REFERENCES kiosks(id), taken_at timestamptz NOT NULL,
        png bytea NOT NULL);
    CREATE TABLE operators (
        name text PRIMARY KEY, pw_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE secrets (name text PRIMARY KEY, value text NOT NULL);
    CREATE SEQUENCE hall_ids;
    CREATE SEQUENCE kiosk_ids;
    """,
)


class DatabaseError(KioskError):
    """The database cannot be reached or used (names the URL without its password)."""


def safe_url(url: str) -> str:
    """The URL with any password replaced, for messages and logs."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(unreadable database URL)"
    if "password" in info:
        info["password"] = "***"
    return psycopg.conninfo.make_conninfo("", **info)


def migrate(conn: psycopg.Connection[Any]) -> int:
    """Bring the schema to the latest version in one transaction; returns the version."""
    with conn.transaction():
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
        conn.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE")
        row = conn.execute("SELECT max(version) AS v FROM schema_version").fetchone()
        value = row["v"] if isinstance(row, dict) else (row[0] if row else None)
        have = int(value) if value is not None else 0
        if have > len(MIGRATIONS):
            raise DatabaseError(f"the database is at schema {have}, newer than this program "
                                f"({len(MIGRATIONS)}); update the county service")
        for n in range(have, len(MIGRATIONS)):
            conn.execute(MIGRATIONS[n].encode())   # our own SQL, no parameters
            conn.execute("INSERT INTO schema_version VALUES (%s)", (n + 1,))
    return len(MIGRATIONS)


class Database:
    """A pool of connections to the county database. open() migrates."""

    def __init__(self, url: str, min_size: int = 1, max_size: int = 8) -> None:
        self.url = url
        self._pool = ConnectionPool(url, min_size=min_size, max_size=max_size, open=False,
                                    kwargs={"row_factory": dict_row, "autocommit": True})

    def open(self, timeout_s: float = 10.0) -> Database:
        try:
            self._pool.open(wait=True, timeout=timeout_s)
            with self._pool.connection() as conn:
                migrate(conn)
        except (psycopg.Error, Exception) as exc:
            if isinstance(exc, DatabaseError):
                raise
            raise DatabaseError(f"{safe_url(self.url)}: cannot open the county database "
                                f"({type(exc).__name__}: {exc})") from None
        return self

    def close(self) -> None:
        self._pool.close()

    @contextmanager
    def tx(self) -> Iterator[psycopg.Connection[Any]]:
        """One transaction on a pooled connection."""
        with self._pool.connection() as conn, conn.transaction():
            yield conn

    def rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._pool.connection() as conn:
            return cast(list[dict[str, Any]], conn.execute(sql.encode(), args).fetchall())

    def one(self, sql: str, args: tuple[Any, ...] = ()) -> dict[str, Any] | None:
        found = self.rows(sql, args)
        return found[0] if found else None
