"""kiosk.db.SqliteFile: step migrations in one transaction, writes that never mask their own
error, and opens that do not write. Real SQLite files in tmp_path."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from kiosk.db import Migration, SqliteFile, StoreFileError


class Boom(Exception):
    pass


def _add_label(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE t ADD COLUMN label TEXT NOT NULL DEFAULT ''")
    conn.execute("UPDATE t SET label = 'x' || x")


STEPS = (Migration(1, "t", "CREATE TABLE t (x INTEGER); CREATE INDEX t_x ON t (x)"),
         Migration(2, "t.label", _add_label))


def _file(path: Path, steps: tuple[Migration, ...] = STEPS) -> SqliteFile:
    return SqliteFile(path, what="test store", migrations=steps, error=Boom)


def _raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_a_new_file_runs_every_step(tmp_path: Path) -> None:
    f = _file(tmp_path / "a.sqlite")
    f.open()
    with f.write() as c:
        c.execute("INSERT INTO t (x) VALUES (1)")
    assert f.query("SELECT x, label FROM t") == [(1, "")]
    f.close()
    assert _raw(tmp_path / "a.sqlite", "PRAGMA user_version") == [(2,)]


def test_an_older_file_gets_only_the_missing_steps(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = _file(path, STEPS[:1])
    old.open()
    with old.write() as c:
        c.executemany("INSERT INTO t (x) VALUES (?)", [(1,), (2,)])
    old.close()
    new = _file(path)
    new.open()
    assert new.query("SELECT x, label FROM t ORDER BY x") == [(1, "x1"), (2, "x2")]
    new.close()


def test_a_failing_step_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = _file(path, STEPS[:1])
    old.open()
    old.close()
    broken = (*STEPS[:1], Migration(2, "bad", "ALTER TABLE t ADD COLUMN y; SELECT * FROM nope"))
    with pytest.raises(Boom, match=r"upgrading to format 2 failed.*no such table.*unchanged"):
        _file(path, broken).open()
    assert _raw(path, "PRAGMA user_version") == [(1,)]
    assert [r[1] for r in _raw(path, "PRAGMA table_info(t)")] == ["x"]


def test_a_new_file_whose_steps_fail_gets_no_tables(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    broken = (*STEPS[:1], Migration(2, "bad", "SELECT * FROM nope"))
    with pytest.raises(Boom):
        _file(path, broken).open()
    assert _raw(path, "SELECT count(*) FROM sqlite_master") == [(0,)]
    assert _raw(path, "PRAGMA user_version") == [(0,)]


def test_newer_and_foreign_files_are_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite"
    sqlite3.connect(newer).execute("PRAGMA user_version = 7").connection.close()
    with pytest.raises(Boom, match=r"format 7 is newer than this program understands \(2\)"):
        _file(newer).open()
    foreign = tmp_path / "foreign.sqlite"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE other (y)")
    db.close()
    with pytest.raises(Boom, match="not a test store"):
        _file(foreign).open()
    text = tmp_path / "notes.txt"
    text.write_text("just some text, not SQLite at all" * 40)
    with pytest.raises(Boom, match=r"notes.txt"):
        _file(text).open()


def test_steps_must_be_numbered_from_one() -> None:
    with pytest.raises(ValueError, match="numbered"):
        SqliteFile("x", what="x", migrations=(Migration(2, "a", "SELECT 1"),))


def test_opening_a_current_file_does_not_write_it(tmp_path: Path) -> None:
    """The queue store used to re-run its schema and set user_version on every open — a write
    on an open meant only for reading."""
    path = tmp_path / "a.sqlite"
    f = _file(path)
    f.open()
    f.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    again = _file(path)
    again.open()
    again.close()
    ro = _file(path)
    ro.open(readonly=True)
    assert ro.query("SELECT count(*) FROM t") == [(0,)]
    with pytest.raises(Boom, match=r"write failed.*readonly.*nothing was changed"), \
            ro.write() as c:
        c.execute("INSERT INTO t (x) VALUES (1)")
    ro.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_readonly_open_refuses_a_missing_or_old_file(tmp_path: Path) -> None:
    with pytest.raises(Boom, match="cannot open"):
        _file(tmp_path / "none.sqlite").open(readonly=True)
    assert not (tmp_path / "none.sqlite").exists()
    path = tmp_path / "old.sqlite"
    old = _file(path, STEPS[:1])
    old.open()
    old.close()
    with pytest.raises(Boom, match="format 1 needs an upgrade to 2"):
        _file(path).open(readonly=True)


def test_a_write_that_sqlite_already_rolled_back_keeps_its_own_message(tmp_path: Path) -> None:
    """SQLite rolls back by itself on a full disk or an I/O error; the helper must not then
    run a ROLLBACK of its own and replace the real error by 'cannot rollback - no transaction
    is active'."""
    f = _file(tmp_path / "a.sqlite")
    f.open()
    with pytest.raises(Boom) as info, f.write("import") as c:
        c.execute("INSERT INTO t (x) VALUES (1)")
        c.execute("ROLLBACK")                 # what SQLite does itself on SQLITE_FULL
        c.execute("INSERT INTO nope VALUES (1)")
    assert "import failed (no such table: nope" in str(info.value)
    assert "nothing was changed" in str(info.value)
    assert "cannot rollback" not in str(info.value)
    assert not f.conn.in_transaction
    assert f.query("SELECT count(*) FROM t") == [(0,)]


def test_the_callers_own_exception_rolls_back_and_passes_through(tmp_path: Path) -> None:
    f = _file(tmp_path / "a.sqlite")
    f.open()
    with pytest.raises(KeyError), f.write() as c:
        c.execute("INSERT INTO t (x) VALUES (1)")
        raise KeyError("mine")
    assert f.query("SELECT count(*) FROM t") == [(0,)]
    with f.read() as c:
        assert c.execute("SELECT count(*) FROM t").fetchone() == (0,)
    assert not f.conn.in_transaction


def test_a_locked_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    f = SqliteFile(path, what="test store", migrations=STEPS, busy_timeout_s=0.1)
    f.open()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreFileError, match=r"cannot start the write.*locked"), f.write():
            pass
    finally:
        other.execute("ROLLBACK")
        other.close()
    f.close()
    with pytest.raises(StoreFileError, match="not open"):
        _ = SqliteFile(path, what="test store", migrations=STEPS).conn
