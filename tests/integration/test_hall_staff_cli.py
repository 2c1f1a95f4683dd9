"""`kiosk hall staff add|set-pin|disable|enable|list` as real processes on the hall's database,
checked by logging in through the hall's own PIN check; and the backups docs/hall.md gives
(SQLite's online backup while the service writes, `pg_dump -Fc` → `pg_restore`) restore every
committed ticket."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import psycopg

from hall.auth import Auth, AuthError
from hall.pg_store import PgHallStore
from kiosk.queue.hallconfig import load_hall
from kiosk.queue.model import IssueRequest
from kiosk.queue.sqlite_store import SqliteQueueStore
from tests.support.hall_env import Clock, drop_database, new_database, sample_hall
from tests.support.pg_env import PgServer

REPO = Path(__file__).resolve().parents[2]
HALL = """
[hall]
name = "测试镇便民服务中心"

[[services]]
name = "综合咨询"
prefix = "C"
hours = ["00:00-24:00"]

[[windows]]
number = 1
services = ["C"]

[server]
database = "sqlite:var/hall.sqlite"
"""


def hall_cli(folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "kiosk", "hall", "staff", *args], cwd=folder,
                          env=env, input=stdin, capture_output=True, text=True, timeout=120)


def login(folder: Path, staff: str, pin: str) -> str:
    """What the hall says to this login: "ok" or the AuthError's code."""
    settings = load_hall(folder / "hall.toml")
    store = SqliteQueueStore(folder / "var" / "hall.sqlite", settings)
    store.open()
    try:
        Auth(store, settings).check_pin(staff, pin, f"test-{uuid.uuid4().hex[:6]}")
        return "ok"
    except AuthError as exc:
        return exc.code
    finally:
        store.close()


def test_staff_add_set_pin_disable_enable_list(tmp_path: Path) -> None:
    (tmp_path / "hall.toml").write_text(HALL, encoding="utf-8")
    r = hall_cli(tmp_path, "add", "1001", "--name", "张三", "--pin-stdin", stdin="246810\n")
    assert r.returncode == 0 and "salted scrypt hash" in r.stdout, r.stderr
    assert hall_cli(tmp_path, "add", "1001", "--pin-stdin", stdin="246810\n").returncode != 0
    r = hall_cli(tmp_path, "add", "1002", "--pin-stdin", stdin="12\n")
    assert r.returncode == 1 and "6 to 12 digits" in r.stderr
    assert login(tmp_path, "1001", "246810") == "ok"

    r = hall_cli(tmp_path, "set-pin", "1001", "--pin-stdin", stdin="975310\n")
    assert r.returncode == 0, r.stderr
    assert (login(tmp_path, "1001", "246810"), login(tmp_path, "1001", "975310")) == (
        "unauthorized", "ok")

    assert hall_cli(tmp_path, "disable", "1001").returncode == 0
    assert login(tmp_path, "1001", "975310") == "unauthorized", "a disabled number cannot log in"
    listed = json.loads(hall_cli(tmp_path, "list", "--json").stdout)
    assert [(s["number"], s["name"], s["disabled"]) for s in listed] == [("1001", "张三", True)]
    assert hall_cli(tmp_path, "enable", "1001").returncode == 0
    assert login(tmp_path, "1001", "975310") == "ok"

    r = hall_cli(tmp_path, "disable", "4242")
    assert r.returncode != 0 and "4242" in r.stderr and "Traceback" not in r.stderr
    db = (tmp_path / "var" / "hall.sqlite").read_bytes()
    assert b"975310" not in db and b"246810" not in db, "PINs only as scrypt hashes"


def issue(store: SqliteQueueStore | PgHallStore, n: int) -> None:
    for _ in range(n):
        t = store.issue(IssueRequest(service="C", request_id=uuid.uuid4().hex))
        store.printed(t.ticket_id, uuid.uuid4().hex)


def test_sqlite_online_backup_while_the_hall_writes(tmp_path: Path) -> None:
    settings = sample_hall()
    store = SqliteQueueStore(tmp_path / "hall.sqlite", settings, Clock())
    store.open()
    issue(store, 20)
    writer = threading.Thread(target=issue, args=(store, 40))
    writer.start()
    with sqlite3.connect(tmp_path / "hall.sqlite") as live, \
            sqlite3.connect(tmp_path / "backup.sqlite") as copy:
        live.backup(copy, pages=4)         # in steps, while the other thread commits
    writer.join(60)
    store.close()
    with sqlite3.connect(tmp_path / "backup.sqlite") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        n = copy.execute("SELECT count(*) FROM tickets").fetchone()[0]
    assert 20 <= n <= 60, "a consistent copy with every ticket committed before it began"
    restored = SqliteQueueStore(tmp_path / "backup.sqlite", settings, Clock())
    restored.open()
    numbers = [t.number for t in restored.tickets()]
    events = restored.events_after(0, 10_000)
    restored.close()
    assert numbers == [f"C{i:03d}" for i in range(1, n + 1)]
    assert [e.id for e in events] == list(range(1, len(events) + 1))


def test_pg_dump_and_pg_restore(pg: PgServer, tmp_path: Path) -> None:
    settings = sample_hall()
    source = new_database(pg)
    store = PgHallStore(source, settings, Clock())
    store.open()
    try:
        issue(store, 15)
        schema = source.rsplit("%3D", 1)[1]
        dumped = pg.root / "hall.dump"        # the server's folder: pg_dump runs as its user
        pg._run(str(pg._bin / "pg_dump"), "-h", str(pg.root), "-p", str(pg.port), "-U", "hall",
                "-Fc", "-n", schema, "-f", str(dumped), "hall")
        with psycopg.connect(pg.url, autocommit=True) as conn:
            conn.execute(f"ALTER SCHEMA {schema} RENAME TO {schema}_was".encode())
        pg._run(str(pg._bin / "pg_restore"), "-h", str(pg.root), "-p", str(pg.port), "-U",
                "hall", "-d", "hall", str(dumped))
        store.close()
        store = PgHallStore(source, settings, Clock())
        store.open()
        assert [t.number for t in store.tickets()] == [f"C{i:03d}" for i in range(1, 16)]
        assert len(store.events_after(0, 1000)) == 30
        t = store.issue(IssueRequest(service="C", request_id=uuid.uuid4().hex))
        assert t.number == "C016", "numbering goes on from the restored counter"
    finally:
        store.close()
        with psycopg.connect(pg.url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {source.rsplit('%3D', 1)[1]}_was CASCADE"
                         .encode())
        drop_database(pg, source)

