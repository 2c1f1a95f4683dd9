"""Per-day usage counters (kiosk/usage.py): a real SQLite file in tmp."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk.usage import Usage, UsageCounters, empty_counts


class Wall:
    def __init__(self, when: datetime) -> None:
        self.when = when

    def __call__(self) -> datetime:
        return self.when


def test_counts_per_day_survive_a_restart(tmp_path: Path) -> None:
    wall = Wall(datetime(2026, 11, 23, 9, 0))
    u = UsageCounters(tmp_path / "var" / "usage.sqlite", wall)
    u.add(Usage.GUIDE_VIEWED)
    u.add(Usage.GUIDE_VIEWED)
    u.add(Usage.TICKET_ISSUED)
    wall.when = datetime(2026, 11, 24, 8, 0)
    u.add(Usage.COPY_PRINTED, 3)
    again = UsageCounters(tmp_path / "var" / "usage.sqlite", wall)
    monday = again.day(date(2026, 11, 23))
    assert monday["guide_viewed"] == 2 and monday["ticket_issued"] == 1
    assert monday["copy_printed"] == 0
    assert again.today()["copy_printed"] == 3
    assert set(again.today()) == set(empty_counts())
    assert [d for d, _ in again.days(date(2026, 11, 1))] == [date(2026, 11, 23),
                                                             date(2026, 11, 24)]
    assert [d for d, _ in again.days(date(2026, 11, 24))] == [date(2026, 11, 24)]


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    u = UsageCounters(tmp_path / "usage.sqlite")
    with pytest.raises(ValueError):
        u.add("searches")  # type: ignore[arg-type]


def test_unwritable_file_keeps_counts_in_memory(tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "var"
    blocker.write_text("not a folder")          # var/usage.sqlite cannot be created
    u = UsageCounters(blocker / "usage.sqlite")
    u.add(Usage.PRINT_FAILED)
    u.add(Usage.PRINT_FAILED)
    assert u.today()["print_failed"] == 2
    warnings = [r for r in caplog.records if "usage counts not written" in r.getMessage()]
    assert len(warnings) == 1 and str(blocker) in warnings[0].getMessage()
    blocker.unlink()                             # the disk is fixed: the next count writes all
    u.add(Usage.PRINT_FAILED)
    assert UsageCounters(blocker / "usage.sqlite").today()["print_failed"] == 3


def test_threads_lose_no_count(tmp_path: Path) -> None:
    u = UsageCounters(tmp_path / "usage.sqlite")

    def work() -> None:
        for _ in range(25):
            u.add(Usage.GUIDE_PRINTED)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert UsageCounters(tmp_path / "usage.sqlite").today()["guide_printed"] == 100


def test_file_holds_no_text_but_kinds_and_days(tmp_path: Path) -> None:
    u = UsageCounters(tmp_path / "usage.sqlite")
    for kind in Usage:
        u.add(kind)
    import sqlite3
    rows = sqlite3.connect(tmp_path / "usage.sqlite").execute(
        "SELECT day, kind, n FROM usage_counts").fetchall()
    assert {k for _, k, _ in rows} == {k.value for k in Usage}
    assert all(len(d) == 10 and isinstance(n, int) for d, _, n in rows)
