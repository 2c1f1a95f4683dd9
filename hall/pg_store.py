"""The hall store on PostgreSQL (psycopg 3 + psycopg_pool): the several-kiosks shape.

The SQL is kiosk.queue.sql's, the same that runs on SQLite; this module only hands out
transactions. Writes run at READ COMMITTED (PostgreSQL's default), which the statements are
written for: numbering by the upsert, call-next by `FOR UPDATE SKIP LOCKED`, limits under the
service's row lock, event ids from a counter row taken last (kiosk/queue/sql/*). Reads run in
a REPEATABLE READ, READ ONLY transaction: one consistent snapshot.

When the database goes away (restart, network), commands fail with QueueStoreError — the API
answers 503 "unavailable" and nothing half-done remains (the transaction rolled back); the
pool checks a connection before lending it and reconnects by itself when the server is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import ConnectionPool, PoolTimeout

from kiosk.queue.hallconfig import HallSettings
from kiosk.queue.sql.engine import Retry, SqlHallStore
from kiosk.queue.sql.schema import MIGRATIONS
from kiosk.queue.sql.tickets import Conflict
from kiosk.queue.sql.tx import POSTGRESQL, Tx
from kiosk.queue.store import QueueStoreError

log = logging.getLogger("hall.pg")

MIGRATION_LOCK = 7_4514_0014     # pg_advisory_xact_lock key: one migrating process at a time
TRANSIENT = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected)
GONE = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout)


def _where(url: str) -> str:
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.rsplit('@', 1)[1]}"
    return url


class PgHallStore(SqlHallStore):
    def __init__(self, url: str, settings: HallSettings,
                 clock: Callable[[], datetime] = datetime.now, max_size: int = 10,
                 wait_s: float = 3.0) -> None:
        super().__init__(settings, clock)
        self.url = url
        self.where = _where(url)
        self.max_size = max_size
        self.wait_s = wait_s
        self._pool: ConnectionPool | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def open(self, *, readonly: bool = False) -> None:
        """Connect and bring the schema up to date (unless `readonly`). Raises
        QueueStoreError when the database cannot be reached."""
        if self._pool is not None:
            return
        pool = ConnectionPool(self.url, min_size=1, max_size=self.max_size, open=False,
                              timeout=self.wait_s, check=ConnectionPool.check_connection,
                              kwargs={"autocommit": False, "connect_timeout": 3},
                              name="hall")
        try:
            pool.open(wait=True, timeout=self.wait_s + 3)
        except GONE as exc:
            pool.close()
            raise QueueStoreError(f"PostgreSQL {self.where}: cannot connect ({exc})") from None
        self._pool = pool
        if not readonly:
            self._migrate()
            self._prepare()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _migrate(self) -> None:
        with self._conn("migrate") as conn, conn.transaction():
            cur = conn.cursor()
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            cur.execute("SELECT version FROM schema_version")
            row = cur.fetchone()
            version = int(row[0]) if row else 0
            if version > len(MIGRATIONS):
                raise QueueStoreError(f"PostgreSQL {self.where}: schema version {version} is "
                                      f"newer than this program's {len(MIGRATIONS)}")
            for step in MIGRATIONS[version:]:
                assert isinstance(step.apply, str), "PostgreSQL steps are SQL scripts"
                for statement in step.apply.split(";"):
                    if statement.strip():
                        cur.execute(statement.encode())
                log.info("PostgreSQL %s: schema step %d (%s)", self.where, step.version,
                         step.name)
            cur.execute("DELETE FROM schema_version")
            cur.execute("INSERT INTO schema_version (version) VALUES (%s)", (len(MIGRATIONS),))

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def _conn(self, action: str) -> Iterator[psycopg.Connection]:
        if self._pool is None:
            raise QueueStoreError(f"PostgreSQL {self.where}: not open (call open() first)")
        try:
            with self._pool.connection(timeout=self.wait_s) as conn:
                yield conn
        except TRANSIENT as exc:
            log.info("%s: %s; trying again", action, type(exc).__name__)
            raise Retry() from exc
        except pg_errors.UniqueViolation as exc:
            name = exc.diag.constraint_name or ""
            code = "window_busy" if "one_open" in name else "conflict"
            raise Conflict(f"{action}: {name or 'unique'} violated", code) from None
        except GONE as exc:
            raise QueueStoreError(f"PostgreSQL {self.where}: {action} failed, the database "
                                  f"is unavailable ({type(exc).__name__}: {exc}); nothing was "
                                  f"changed") from None
        except psycopg.Error as exc:
            raise QueueStoreError(f"PostgreSQL {self.where}: {action} failed "
                                  f"({type(exc).__name__}: {exc}); nothing was changed") from None

    @contextmanager
    def _write(self, action: str) -> Iterator[Tx]:
        with self._conn(action) as conn, conn.transaction():
            yield Tx(conn.cursor(), POSTGRESQL)

    @contextmanager
    def _read(self) -> Iterator[Tx]:
        with self._conn("read") as conn, conn.transaction():
            cur = conn.cursor()
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield Tx(cur, POSTGRESQL)
