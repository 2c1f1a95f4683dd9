"""One SQLite helper for every store (catalog, queue, the hall's): opening, step migrations,
transactions, and a read-only fallback when the disk is full.

Why one: each store had written its own BEGIN/COMMIT/ROLLBACK, and each got the failure path
subtly wrong — an unconditional ROLLBACK after SQLite had already rolled back ("cannot
rollback - no transaction is active") replaced the designed "nothing was changed" message, and
the queue store wrote to its file on every open, even one meant only for reading.

API (stdlib only; hall/ and county/ may import it):

    MIGRATIONS = (
        Migration(1, "first layout", "CREATE TABLE t (x);"),      # SQL script, or
        Migration(2, "t learns y", add_y),                         # a function(conn)
    )
    db = SqliteFile(path, what="queue store", migrations=MIGRATIONS,
                    error=QueueStoreError, synchronous="FULL",
                    unchanged="no ticket was changed")
    db.open()                  # creates / upgrades; db.open(readonly=True) never writes
    with db.write("allocate") as c:   # BEGIN IMMEDIATE … COMMIT; rolled back on any error
        c.execute(...)
    with db.read() as c:       # one consistent snapshot (BEGIN … COMMIT), no write lock
        c.execute(...).fetchall()
    db.degraded                # "" or why the file is open read-only (e.g. "disk full: …")
    db.close()

Format versions are `PRAGMA user_version`. `Migration(n, …)` brings a file from n-1 to n; a
new file runs every step from 1, all in ONE transaction with the version bump, so a crash or a
full disk half-way leaves the file as it was (the next open tries again). A file whose version
is already the latest is not written to at all. A file of a newer version is refused ("update
the kiosk"); a non-empty SQLite file with version 0 is refused as "not a <what>".

Errors: every sqlite3.Error and OSError leaves as `error(message)` — the caller's own exception
class (CatalogError, QueueStoreError, …) — naming the file, what was being done and that
nothing was changed. An exception raised inside `write()` by the caller's own code rolls back
and propagates unchanged.

Full disk: SQLite in WAL mode cannot open a file even for reading when it cannot create and
map the `-shm` side file (seen on a full 2 MB tmpfs: "disk I/O error" for `mode=ro` too). With
`open(fallback_readonly=True)` such a file is opened `immutable=1` instead — safe only when no
WAL content is waiting (an absent or empty `-wal` file, i.e. the last writer closed cleanly), so
that is checked first — and `degraded` says why; every `write()` then fails with that reason.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger(__name__)

Step = Callable[[sqlite3.Connection], None]


class StoreFileError(Exception):
    """Default error of SqliteFile when the caller names none."""


@dataclass(frozen=True)
class Migration:
    """One step: brings a file from format `version - 1` to `version`."""

    version: int
    name: str
    apply: str | Step

    def run(self, conn: sqlite3.Connection) -> None:
        if callable(self.apply):
            self.apply(conn)
            return
        for statement in self.apply.split(";"):   # not executescript: it would COMMIT
            if statement.strip():
                conn.execute(statement)


def disk_state(path: Path) -> str:
    """'' or why the folder of `path` cannot take writes: a read-only file system, or a full
    disk (with the bytes free), for a message a technician can act on."""
    folder = next((p for p in (path.parent, *path.parents) if p.exists()), Path("/"))
    try:
        st = os.statvfs(folder)
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    if st.f_flag & os.ST_RDONLY:
        return f"read-only file system at {folder}"
    if free < 64 * 1024:
        return f"disk full: {free // 1024} KB free at {folder}"
    return ""


def _check_steps(migrations: Sequence[Migration]) -> None:
    want = list(range(1, len(migrations) + 1))
    if [m.version for m in migrations] != want:
        raise ValueError(f"migrations must be numbered {want}, got "
                         f"{[m.version for m in migrations]}")


def _rollback(conn: sqlite3.Connection) -> None:
    """ROLLBACK only if a transaction is still open (SQLite rolls back by itself on a full
    disk or an I/O error), and never let a failing ROLLBACK hide the first error."""
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:   # the connection is closed with the file after this
        log.warning("ROLLBACK failed (%s); SQLite rolls back on the next open", exc)


class SqliteFile:
    """One SQLite file, one connection shared by the threads of a process under a lock."""

    def __init__(self, path: str | Path, *, what: str, migrations: Sequence[Migration],
                 error: Callable[[str], Exception] = StoreFileError,
                 synchronous: str = "NORMAL", busy_timeout_s: float = 5.0,
                 unchanged: str = "nothing was changed") -> None:
        _check_steps(migrations)
        self.path = Path(path)
        self.what = what
        self.migrations = tuple(migrations)
        self.latest = len(self.migrations)
        self._error = error
        self._synchronous = synchronous
        self._timeout = busy_timeout_s
        self._unchanged = unchanged      # the end of every failed write's message
        self._conn: sqlite3.Connection | None = None
        self.lock = threading.RLock()
        self.degraded = ""

    def fail(self, message: str) -> Exception:
        """The caller's error, worded `<what> <path>: <message>`."""
        return self._error(f"{self.what} {self.path}: {message}")

    # -- life cycle --------------------------------------------------------------------------

    def open(self, *, readonly: bool = False, fallback_readonly: bool = False) -> None:
        """Open, creating and upgrading the file unless `readonly` (which never writes and
        refuses a file that is missing or needs an upgrade). `fallback_readonly` (implied by
        `readonly`): when the file cannot be opened because the disk is full or read-only,
        open it immutable (see the module docstring) and say why in `degraded`."""
        if self._conn is not None:
            return
        try:
            conn = self._connect(readonly)
        except sqlite3.Error as exc:
            reason = disk_state(self.path)
            if not ((fallback_readonly or readonly) and reason and self.path.is_file()):
                raise self._open_error(exc, reason) from exc
            conn = self._connect_immutable(exc, reason)
            self.degraded = reason
            readonly = True
        try:
            self._migrate(conn, readonly)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _open_error(self, exc: sqlite3.Error, reason: str) -> Exception:
        because = f" ({reason})" if reason else ""
        return self.fail(f"cannot open: {exc}{because}")

    def _connect(self, readonly: bool) -> sqlite3.Connection:
        if readonly:
            if not self.path.is_file():
                raise sqlite3.OperationalError("no such file")
            uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None,
                                   check_same_thread=False, timeout=self._timeout)
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise sqlite3.OperationalError(f"cannot create {self.path.parent}: "
                                               f"{exc.strerror}") from exc
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                   timeout=self._timeout)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")   # readers go on during a write
                conn.execute(f"PRAGMA synchronous = {self._synchronous}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the header
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _connect_immutable(self, first: sqlite3.Error, reason: str) -> sqlite3.Connection:
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:   # committed data still in the WAL
            raise self.fail(f"cannot open: {first} ({reason}; changes are still in {wal.name}, "
                            "so it cannot be read safely until space is freed)") from first
        uri = f"file:{quote(str(self.path.resolve()))}?immutable=1"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            raise self._open_error(exc, reason) from exc
        log.warning("%s %s: opened read-only (%s)", self.what, self.path, reason)
        return conn

    def _migrate(self, conn: sqlite3.Connection, readonly: bool) -> None:
        try:
            found = self._version(conn)
        except sqlite3.Error as exc:
            raise self.fail(f"not a usable SQLite file ({exc})") from exc
        if found == self.latest:
            return
        if readonly:
            raise self.fail(f"format {found} needs an upgrade to {self.latest}, which cannot be "
                            "done read-only" + (f" ({self.degraded})" if self.degraded else ""))
        try:
            conn.execute("BEGIN IMMEDIATE")     # another process may be upgrading the file too
            found = self._version(conn)
            for step in self.migrations[found:]:
                step.run(conn)
            if found != self.latest:
                conn.execute(f"PRAGMA user_version = {self.latest}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise self.fail(f"upgrading to format {self.latest} failed ({exc}); the file is "
                            "unchanged") from exc
        except BaseException:
            _rollback(conn)
            raise
        if found:
            log.info("%s %s: format %d upgraded to %d", self.what, self.path, found, self.latest)

    def _version(self, conn: sqlite3.Connection) -> int:
        found = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if found > self.latest:
            raise self.fail(f"format {found} is newer than this program understands "
                            f"({self.latest}); update the kiosk")
        if found == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise self.fail(f"this SQLite file is not a {self.what}")
        return found

    def close(self) -> None:
        with self.lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection (take `lock` around use from several threads)."""
        if self._conn is None:
            raise self.fail("not open")
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    # -- transactions ------------------------------------------------------------------------

    @contextmanager
    def write(self, action: str = "write") -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE … COMMIT. A SQLite error (locked too long,
        disk full, I/O) leaves as the caller's error: '<action> failed (…); nothing was
        changed'. Any other exception rolls back and propagates as it is."""
        with self.lock:
            conn = self.conn
            if self.degraded:
                raise self.fail(f"{action} refused: the file is open read-only "
                                f"({self.degraded}); {self._unchanged}")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self.fail(f"cannot start the {action} ({exc}); "
                                f"{self._unchanged}") from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(conn)
                reason = disk_state(self.path)
                because = f"; {reason}" if reason else ""
                raise self.fail(f"{action} failed ({exc}{because}); "
                                f"{self._unchanged}") from exc
            except BaseException:
                _rollback(conn)
                raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One read snapshot (BEGIN … COMMIT): every SELECT inside sees the same version."""
        with self.lock:
            conn = self.conn
            try:
                conn.execute("BEGIN")
                yield conn
            except sqlite3.Error as exc:
                _rollback(conn)
                raise self.fail(f"read failed ({exc})") from exc
            except BaseException:
                _rollback(conn)
                raise
            else:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def query(self, sql: str, args: Sequence[object] = ()) -> list[tuple[object, ...]]:
        """One SELECT's rows, under the lock, errors worded as the caller's."""
        with self.lock:
            try:
                rows: list[tuple[object, ...]] = self.conn.execute(sql, tuple(args)).fetchall()
            except sqlite3.Error as exc:
                raise self.fail(f"read failed ({exc})") from exc
        return rows
