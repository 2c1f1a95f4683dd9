"""One transaction, the same for SQLite and PostgreSQL: `?` placeholders, tuples back, and the
events the operation appends (given their ids at the very end, see events.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

Row = tuple[Any, ...]


class Cursor(Protocol):
    """What both sqlite3 and psycopg cursors do."""

    def execute(self, sql: str, args: Sequence[Any] = ..., /) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...

    @property
    def rowcount(self) -> int: ...


@dataclass(frozen=True)
class Dialect:
    name: str                  # "sqlite" / "postgresql"
    placeholder: str           # "?" / "%s"
    skip_locked: str           # "" / " FOR UPDATE SKIP LOCKED"
    for_update: str            # "" / " FOR UPDATE" (SQLite: BEGIN IMMEDIATE locks it all)


SQLITE = Dialect("sqlite", "?", "", "")
POSTGRESQL = Dialect("postgresql", "%s", " FOR UPDATE SKIP LOCKED", " FOR UPDATE")


@dataclass
class PendingEvent:
    type: str
    at: datetime
    day: str
    ticket_id: str = ""
    number: str = ""
    service: str = ""
    window: int | None = None
    staff: str = ""
    kiosk: str = ""
    request_id: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class Tx:
    """A cursor in an open transaction."""

    def __init__(self, cur: Cursor, dialect: Dialect) -> None:
        self.cur = cur
        self.dialect = dialect
        self.events: list[PendingEvent] = []

    def _sql(self, sql: str) -> str:
        sql = sql.replace("{skip_locked}", self.dialect.skip_locked)
        sql = sql.replace("{for_update}", self.dialect.for_update)
        if self.dialect.placeholder != "?":
            sql = sql.replace("?", self.dialect.placeholder)
        return sql

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        self.cur.execute(self._sql(sql), tuple(args))
        return [tuple(r) for r in self.cur.fetchall()]

    def one(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        self.cur.execute(self._sql(sql), tuple(args))
        row = self.cur.fetchone()
        return tuple(row) if row is not None else None

    def value(self, sql: str, args: Sequence[Any] = ()) -> Any:
        row = self.one(sql, args)
        return row[0] if row is not None else None

    def run(self, sql: str, args: Sequence[Any] = ()) -> int:
        self.cur.execute(self._sql(sql), tuple(args))
        return int(self.cur.rowcount)

    def emit(self, event: PendingEvent) -> None:
        """Append an event to this transaction's log entries (written just before commit)."""
        self.events.append(event)
