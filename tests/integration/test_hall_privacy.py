"""No ID number, name or birth date reaches the hall: byte-scans of the SQLite file (and its
WAL), a pg_dump of PostgreSQL, the event log, the service's log and every HTTP response, after
a day of real traffic — cards read at a kiosk, tickets issued over HTTP, called and served."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from devices.outcome import JobOutcome
from kiosk.config import parse_config
from kiosk.queue.identity import CardInfo, PersonHasher
from kiosk.queue.service import QueueService
from kiosk.receipts.ticket import TicketSlip
from tests.support.hall_env import Rig, hall_rig

CARDS = [("110105194912310021", date(1949, 12, 31), "王测试"),
         ("11010519600101123X", date(1960, 1, 1), "李样例"),
         ("440301198807154417", date(1988, 7, 15), "赵示例")]


def forms(id_number: str, birth: date, name: str) -> list[bytes]:
    texts = [id_number, id_number[-8:], id_number[6:14], birth.isoformat(),
             birth.strftime("%Y%m%d"), birth.strftime("%Y年%m月%d日"), name,
             name[0] + "*" + name[-1]]
    return [t.encode(enc) for t in texts for enc in ("utf-8", "utf-16-le")]


def ok_printer(slip: TicketSlip) -> JobOutcome:
    return JobOutcome(ok=True, bytes_sent=800)


@pytest.fixture(params=["http+sqlite", "http+postgresql"])
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    pg = request.getfixturevalue("pg") if request.param.endswith("postgresql") else None
    with hall_rig(request.param, tmp_path, pg) as r:
        r.extra["pg"] = pg
        yield r


def test_nothing_personal_in_the_hall(rig: Rig, tmp_path: Path,
                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bodies: list[bytes] = []

    def keep(response: httpx.Response) -> None:
        response.read()
        bodies.append(response.content)

    store = rig.store
    store._client.event_hooks["response"] = [keep]          # every reply the kiosk gets
    cfg = parse_config({"queue": {"secret_file": "secret.key"}}, base_dir=str(tmp_path))
    q = QueueService(cfg, store, ok_printer, hasher=PersonHasher(tmp_path / "secret.key"),
                     clock=rig.clock)
    q.open()
    for number, birth, name in CARDS:
        card = CardInfo(number, birth, name[0] + "*" + name[-1])
        assert q.take("A", card).ok
        assert q.take("C", card).ok
        assert q.holding("A", card) is not None
    store.login_window(1, "1001")
    store.call_next(1, "1001", uuid.uuid4().hex)
    store.finish(1, "1001", "BJ-1", uuid.uuid4().hex)
    for path in ("/api/state", "/api/tickets", "/api/events/log?after=0&limit=1000",
                 "/api/queue/A", "/api/windows"):
        bodies.append(httpx.get(rig.url + path, headers={
            "Authorization": f"Bearer {rig.kiosk_token}"}, timeout=5).content)
    events = b"\n".join(e.to_json().encode() for e in rig.backend.events_after(0, 1000))
    if rig.kind.endswith("sqlite"):
        stored = b"".join(p.read_bytes() for p in tmp_path.glob("hall.sqlite*"))
    else:
        stored = rig.extra["pg"].dump()
    assert b"BJ-1" in stored and b"ticket.called" in events, "the scans look at real data"
    logs = caplog.text.encode()
    for person in CARDS:
        for form in forms(*person):
            for where, raw in (("database", stored), ("event log", events), ("logs", logs),
                               ("responses", b"".join(bodies))):
                assert form not in raw, f"{form!r} found in the {where}"
    q.close()
