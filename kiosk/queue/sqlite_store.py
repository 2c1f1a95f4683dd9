"""The hall store on one SQLite file: the embedded shape (one kiosk, the hall service beside it
on the same file), safe for several processes at once.

Why these settings (kiosk.db.SqliteFile): WAL lets the screens, the counter page and the
display read while a ticket is written; every write is one `BEGIN IMMEDIATE` transaction, so
two processes take the write lock in turn; busy_timeout makes the second wait rather than
fail; synchronous=FULL because a committed number lost in a power cut would be handed out
again while the first citizen holds it on paper. The SQL itself is kiosk.queue.sql's, the same
that runs on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from kiosk.db import SqliteFile
from kiosk.queue.hallconfig import HallSettings
from kiosk.queue.sql.engine import SqlHallStore
from kiosk.queue.sql.schema import MIGRATIONS, SCHEMA_VERSION
from kiosk.queue.sql.tx import SQLITE, Tx
from kiosk.queue.store import QueueStoreError

__all__ = ["SCHEMA_VERSION", "SqliteQueueStore"]

BUSY_TIMEOUT_MS = 5000


class SqliteQueueStore(SqlHallStore):
    """HallStore on a SQLite file. One connection, shared by the threads of one process
    under a lock (the UI's print worker and the screens); other processes use their own."""

    def __init__(self, path: str | Path, settings: HallSettings,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(settings, clock)
        self.path = Path(path)
        self._file = SqliteFile(self.path, what="queue store", migrations=MIGRATIONS,
                                error=QueueStoreError, synchronous="FULL",
                                busy_timeout_s=BUSY_TIMEOUT_MS / 1000,
                                unchanged="no ticket was changed")
        self._readonly = False

    def open(self, *, readonly: bool = False) -> None:
        """Open, creating or upgrading the file; `readonly` (reports, checks) never writes and
        refuses a file that does not exist yet."""
        if self._file.is_open:
            return
        self._file.open(readonly=readonly)
        self._readonly = readonly
        if not readonly:
            self._prepare()

    def close(self) -> None:
        self._file.close()

    @property
    def degraded(self) -> str:
        return self._file.degraded

    @contextmanager
    def _write(self, action: str) -> Iterator[Tx]:
        with self._file.write(action) as conn:
            yield Tx(conn.cursor(), SQLITE)

    @contextmanager
    def _read(self) -> Iterator[Tx]:
        with self._file.read() as conn:
            yield Tx(conn.cursor(), SQLITE)
