"""A hall for tests: the store under test behind one of four doors — a SQLite file, the private
PostgreSQL (tests/support/pg_env.py), or either of them behind the real hall service over HTTP
on a free loopback port (uvicorn in a thread of the test process, so the hall's clock is the
test's clock). Staff and a kiosk are enrolled the way an installation enrols them.

    with hall_rig("http+postgresql", tmp_path, pg, settings) as rig:
        rig.store.issue(...)          # the contract, through the door under test
        rig.backend                   # the database-side store, for checks behind the API
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg

from hall.app import HallService
from hall.auth import Auth
from hall.pg_store import PgHallStore
from hall.serve import running
from kiosk.maintenance.pin import hash_pin
from kiosk.queue.hallconfig import HallSettings, parse_hall
from kiosk.queue.remote_store import HallServerStore
from kiosk.queue.sql import auth as rows
from kiosk.queue.sql.engine import SqlHallStore
from kiosk.queue.sql.tx import Tx
from kiosk.queue.sqlite_store import SqliteQueueStore
from tests.support.pg_env import PgServer

KINDS = ("sqlite", "postgresql", "http+sqlite", "http+postgresql")
MONDAY_9 = datetime(2026, 11, 23, 9, 0)
ALL_DAY = ["00:00-24:00"]
STAFF = {"1001": "246810", "1002": "135790", "1003": "975310", "1004": "864202",
         "1005": "112358", "1006": "314159", "9001": "271828"}
_dbs = itertools.count(1)


class Clock:
    """The hall's wall clock, set by the test."""

    def __init__(self, now: datetime = MONDAY_9) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self.now += timedelta(seconds=seconds)


def sample_hall(**over: Any) -> HallSettings:
    """Two services (A needs the card), windows 1-6 as a township hall has them."""
    data: dict[str, Any] = {
        "services": [
            {"name": "社保医保", "prefix": "A", "requires_id": True, "hours": ALL_DAY,
             "handling_minutes": 6.0, "daily_limit": 999, "where": "一楼东侧等候区"},
            {"name": "综合咨询", "prefix": "C", "hours": ALL_DAY, "handling_minutes": 5.0,
             "daily_limit": 999},
        ],
        "windows": [{"number": 1, "services": ["A"]}, {"number": 2, "services": ["A", "C"]},
                    {"number": 3, "services": ["A"]}, {"number": 4, "services": ["C"]},
                    {"number": 5, "services": ["C", "A"]}, {"number": 6, "services": ["C"]}],
    }
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return parse_hall(data)


def new_database(pg: PgServer) -> str:
    """A fresh schema of the private server, as a URL whose search_path points at it (a schema
    per test is much cheaper than a database per test)."""
    name = f"t{uuid.uuid4().hex[:10]}{next(_dbs)}"
    with psycopg.connect(pg.url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}".encode())
    return f"{pg.url}?options=-csearch_path%3D{name}"


def drop_database(pg: PgServer, url: str) -> None:
    name = url.rsplit("%3D", 1)[1]
    with psycopg.connect(pg.url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE".encode())


@dataclass
class Rig:
    kind: str
    store: Any                       # the HallStore under test (SQL store or HTTP client)
    backend: SqlHallStore            # the database side
    clock: Clock
    settings: HallSettings
    url: str = ""                    # the hall service's, for http kinds
    kiosk_token: str = ""
    database: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def backend_store(kind: str, tmp: Path, pg: PgServer | None, settings: HallSettings,
                  clock: Clock) -> tuple[SqlHallStore, str]:
    if kind.endswith("postgresql"):
        assert pg is not None, "the PostgreSQL kinds need the private server"
        url = new_database(pg)
        return PgHallStore(url, settings, clock), url
    path = tmp / "hall.sqlite"
    return SqliteQueueStore(path, settings, clock), f"sqlite:{path}"


@functools.cache
def _pin_hash(pin: str) -> str:
    """scrypt is slow on purpose: hash each test PIN once per session."""
    return hash_pin(pin)


def enrol(backend: SqlHallStore, settings: HallSettings, clock: Clock,
          staff: dict[str, str] = STAFF) -> Auth:
    """The staff of STAFF (9xxx are hall managers), as `kiosk hall staff add` stores them."""
    auth = Auth(backend, settings, clock)

    def add(tx: Tx) -> None:
        for number, pin in staff.items():
            rows.staff_add(tx, number, f"测试{number}", "manager" if number.startswith("9")
                           else "window", _pin_hash(pin), clock())

    backend.transact("staff", add)
    return auth


@contextlib.contextmanager
def hall_rig(kind: str, tmp: Path, pg: PgServer | None, settings: HallSettings | None = None,
             clock: Clock | None = None) -> Iterator[Rig]:
    settings = settings or sample_hall()
    settings = settings if settings.base_dir != "." else _based(settings, tmp)
    clock = clock or Clock()
    backend, database = backend_store(kind, tmp, pg, settings, clock)
    try:
        yield from _opened(kind, backend, database, settings, clock)
    finally:
        if pg is not None and kind.endswith("postgresql"):
            drop_database(pg, database)


def _opened(kind: str, backend: SqlHallStore, database: str, settings: HallSettings,
            clock: Clock) -> Iterator[Rig]:
    if not kind.startswith("http"):
        backend.open()
        enrol(backend, settings, clock)
        try:
            yield Rig(kind, backend, backend, clock, settings, database=database)
        finally:
            backend.close()
        return
    service = HallService(settings, backend, clock=clock, poll_s=0.05)
    with running(service) as url:
        auth = enrol(backend, settings, clock)
        token = auth.join(auth.enrol_code("kiosk-test"), "127.0.0.1").token
        client = HallServerStore(url, token=token, staff_pins=STAFF, probe_s=0,
                                 timeout_s=20)   # a loaded CI box: scrypt logins take seconds
        client.open()
        try:
            yield Rig(kind, client, backend, clock, settings, url, token, database)
        finally:
            client.close()


def _based(settings: HallSettings, tmp: Path) -> HallSettings:
    import dataclasses

    return dataclasses.replace(settings, base_dir=str(tmp))
