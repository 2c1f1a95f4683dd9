"""Per-day usage counts of one terminal: guides viewed, prints, copies, tickets, failures.

For staff (`kiosk status`, the maintenance panel) and for the county (the heartbeat reports a
day's counts). Counts only — never who, never which card, never a search text: a count is a
kind and a number, so nothing personal can be in this file.

The API (docs/usage-counters.md):

    usage = UsageCounters(cfg.path(USAGE_FILE))     # nothing opened yet
    usage.add(Usage.GUIDE_PRINTED)                  # any thread; opens the file on first use
    usage.day(date(2026, 11, 23)) -> {"guide_printed": 3, ...}   # every kind, 0 where none
    usage.today()
    usage.days(since) -> [(date, {kind: n})]        # oldest first, days with any count

Counting must never stop the citizen: a file that cannot be written is logged once (with the
path and the error) and the count is kept in memory until the file can be written again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

log = logging.getLogger(__name__)

USAGE_FILE = "var/usage.sqlite"


class Usage(StrEnum):
    """What is counted. The values are the keys a report (and the heartbeat) uses."""

    GUIDE_VIEWED = "guide_viewed"        # a guide opened on screen
    GUIDE_PRINTED = "guide_printed"      # a guide (or a 一件事 checklist) slip printed
    BUNDLE_PRINTED = "bundle_printed"    # a 一件事 combined checklist printed
    FORM_PRINTED = "form_printed"        # an A4 form job finished
    COPY_PRINTED = "copy_printed"        # an ID card or document copy finished
    TICKET_ISSUED = "ticket_issued"      # a queue ticket handed over
    TICKET_FAILED = "ticket_failed"      # a ticket that did not come out (void or to verify)
    PRINT_FAILED = "print_failed"        # any other receipt or A4 print that failed
    VISIT_ENDED = "visit_ended"          # a visit ended (结束办理, idle, after a ticket)


SCHEMA = """
CREATE TABLE IF NOT EXISTS usage_counts (
    day  TEXT NOT NULL,
    kind TEXT NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (day, kind)
)"""


def empty_counts() -> dict[str, int]:
    return {k.value: 0 for k in Usage}


class UsageCounters:
    """Counts per local day in a small SQLite file; safe to call from any thread."""

    def __init__(self, path: str | Path, clock: Callable[[], datetime] = datetime.now) -> None:
        self.path = Path(path)
        self.clock = clock
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, str], int] = {}
        self._warned = False

    def add(self, kind: Usage, n: int = 1) -> None:
        """Count `n` of `kind` for today. Never raises for a file problem."""
        key = (self.clock().date().isoformat(), Usage(kind).value)
        with self._lock:
            self._pending[key] = self._pending.get(key, 0) + n
            self._flush()

    def today(self) -> dict[str, int]:
        return self.day(self.clock().date())

    def day(self, d: date) -> dict[str, int]:
        """Every kind's count for day `d` (0 where nothing was counted)."""
        out = empty_counts()
        for (day, kind), n in self._rows(d.isoformat()).items():
            if day == d.isoformat() and kind in out:
                out[kind] += n
        return out

    def days(self, since: date) -> list[tuple[date, dict[str, int]]]:
        """Each day from `since` on that has any count, oldest first."""
        by_day: dict[str, dict[str, int]] = {}
        for (day, kind), n in self._rows(None).items():
            if day >= since.isoformat() and kind in empty_counts():
                by_day.setdefault(day, empty_counts())[kind] += n
        return [(date.fromisoformat(d), c) for d, c in sorted(by_day.items())]

    # ---- storage --------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=2.0)
        db.execute(SCHEMA)
        return db

    def _flush(self) -> None:
        """Write what is pending (lock held). On failure keep it for the next try."""
        try:
            db = self._connect()
            try:
                with db:
                    db.executemany(
                        "INSERT INTO usage_counts (day, kind, n) VALUES (?, ?, ?) "
                        "ON CONFLICT (day, kind) DO UPDATE SET n = n + excluded.n",
                        [(d, k, n) for (d, k), n in self._pending.items()])
            finally:
                db.close()
        except (sqlite3.Error, OSError) as exc:
            if not self._warned:
                log.warning("usage counts not written to %s: %s (kept in memory)",
                            self.path, exc)
                self._warned = True
            return
        self._pending.clear()
        self._warned = False

    def _rows(self, day: str | None) -> dict[tuple[str, str], int]:
        """Stored counts (of `day`, or all) plus what is still pending in memory."""
        with self._lock:
            out = dict(self._pending)
            if not self.path.exists():
                return out
            try:
                db = self._connect()
                try:
                    sql = "SELECT day, kind, n FROM usage_counts"
                    rows = (db.execute(sql + " WHERE day = ?", (day,)) if day
                            else db.execute(sql)).fetchall()
                finally:
                    db.close()
            except (sqlite3.Error, OSError) as exc:
                log.warning("usage counts not read from %s: %s", self.path, exc)
                return out
        for d, k, n in rows:
            out[(d, k)] = out.get((d, k), 0) + int(n)
        return out
