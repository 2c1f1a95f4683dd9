"""PostgreSQL stopped and started again (pg_ctl, the private server of the `pg` fixture) while
two kiosks issue and a window calls through the real hall service over HTTP: meanwhile the
service says so (/api/health 503, the kiosks' link, the event stream's ping) and refuses plainly
— kiosks with "取号系统暂时无法使用…", windows with 503 `unavailable` — then carries on by
itself once the database is back (no restart of the service), and nothing it had committed is
lost: every number a kiosk was given and every call a window was answered is in the database,
numbers stay 1..N without a duplicate, and the event ids stay gap-free.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

from devices.outcome import JobOutcome
from hall.app import HallService
from hall.messages import UNAVAILABLE
from hall.pg_store import PgHallStore
from hall.serve import running
from kiosk.config import parse_config
from kiosk.queue.remote_store import HallServerStore
from kiosk.queue.service import IssueStatus, QueueService
from kiosk.receipts.ticket import TicketSlip
from tests.support.hall_env import STAFF, Clock, drop_database, enrol, new_database, sample_hall
from tests.support.pg_env import PgServer


def ok_printer(slip: TicketSlip) -> JobOutcome:
    return JobOutcome(ok=True, bytes_sent=800)


@dataclass
class Load:
    """What the clients were told, kept while PostgreSQL comes and goes."""

    issued: list[str] = field(default_factory=list)          # ticket ids a kiosk printed
    called: list[str] = field(default_factory=list)          # ticket ids a window was given
    refused_plainly: int = 0
    refusal_words: set[str] = field(default_factory=set)
    window_503: int = 0
    unexpected: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


def kiosk_loop(q: QueueService, load: Load) -> None:
    while not load.stop.is_set():
        r = q.take("C")
        with load.lock:
            if r.ok and r.ticket is not None:
                load.issued.append(r.ticket.ticket_id)
            elif r.status is IssueStatus.ERROR:
                load.refused_plainly += 1
                load.refusal_words.add(r.message)
            elif r.status is not IssueStatus.BUSY:
                load.unexpected.append(f"kiosk: {r.status} {r.detail}")
        time.sleep(0.02)


def window_loop(url: str, load: Load) -> None:
    """One window calling through the raw API, as the counter page does (503 → try later)."""
    store = HallServerStore(url, staff_pins=STAFF, timeout_s=2, probe_s=0)
    store.open()
    store.login_window(2, "1001")
    with httpx.Client(base_url=url, timeout=2) as http:
        token = store._session("1001")
        while not load.stop.is_set():
            try:
                r = http.post("/api/windows/2/next", headers={"Authorization": f"Bearer {token}"},
                              json={"request_id": uuid.uuid4().hex, "close_open": "done"})
            except httpx.TransportError as exc:
                with load.lock:
                    load.unexpected.append(f"window: {exc}")
                continue
            with load.lock:
                if r.status_code == 200:
                    load.called.append(r.json()["ticket"]["ticket_id"])
                elif r.status_code == 503:
                    load.window_503 += 1
                    body = r.json()
                    if (body.get("error"), body.get("message")) != ("unavailable", UNAVAILABLE):
                        load.unexpected.append(f"window: 503 {body}")
                elif r.json().get("error") != "nobody_waiting":
                    load.unexpected.append(f"window: {r.status_code} {r.text[:200]}")
            time.sleep(0.05)
    store.close()


def wait_for(check: object, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def health(url: str) -> tuple[int, dict[str, object]]:
    r = httpx.get(url + "/api/health", timeout=5)
    return r.status_code, r.json()


def test_postgresql_stopped_under_load_refused_plainly_then_back_with_nothing_lost(
        pg: PgServer, tmp_path: Path) -> None:
    settings = sample_hall()
    database = new_database(pg)
    store = PgHallStore(database, settings, datetime.now, wait_s=1.0)
    service = HallService(settings, store, poll_s=0.05)
    load = Load()
    try:
        with running(service) as url:
            auth = enrol(store, settings, Clock(datetime.now()))
            kiosks = []
            for n in (1, 2):
                token = auth.join(auth.enrol_code(f"kiosk-{n}"), "127.0.0.1").token
                cfg = parse_config({"queue": {"server": url, "secret_file": f"s{n}.key"}},
                                   base_dir=str(tmp_path))
                q = QueueService(cfg, HallServerStore(url, token=token, timeout_s=2,
                                                      probe_s=0.2),
                                 ok_printer, kiosk=f"kiosk-{n}", repeat_guard_s=0)
                q.open()
                kiosks.append(q)
            threads = [threading.Thread(target=kiosk_loop, args=(q, load)) for q in kiosks]
            threads.append(threading.Thread(target=window_loop, args=(url, load)))
            for t in threads:
                t.start()
            try:
                assert wait_for(lambda: len(load.issued) >= 10 and len(load.called) >= 3), load
                pg.halt("fast")                              # pg_ctl stop -m fast
                try:
                    status, body = health(url)
                    assert status == 503 and body["ok"] is False
                    assert body["message"] == UNAVAILABLE and "PostgreSQL" in str(body["store"])
                    before = load.refused_plainly
                    assert wait_for(lambda: load.refused_plainly > before + 2
                                    and load.window_503 > 0)
                    assert load.refusal_words == {"取号系统暂时无法使用，请联系大厅工作人员。"}
                    assert all(not q.link().up for q in kiosks)   # type: ignore[union-attr]
                finally:
                    pg.restart()
                assert wait_for(lambda: health(url)[0] == 200), "reconnected by itself"
                assert wait_for(lambda: all(q.link().up for q in kiosks))  # type: ignore[union-attr]
                after = len(load.issued), len(load.called)
                assert wait_for(lambda: len(load.issued) > after[0] + 5
                                and len(load.called) > after[1] + 2), "issuing and calling again"
            finally:
                load.stop.set()
                for t in threads:
                    t.join(30)
            for q in kiosks:
                q.close()
            assert load.unexpected == []
            check_nothing_lost(store, load)
    finally:
        drop_database(pg, database)


def check_nothing_lost(store: PgHallStore, load: Load) -> None:
    tickets = {t.ticket_id: t for t in store.tickets()}
    assert set(load.issued) <= tickets.keys(), "every number a kiosk printed is in the hall"
    assert set(load.called) <= tickets.keys()
    assert all(tickets[t].state.value != "issuing" for t in load.issued)
    numbers = sorted(int(t.number[1:]) for t in tickets.values())
    assert numbers == list(range(1, len(numbers) + 1)), "no duplicate, no number skipped"
    events = store.events_after(0, 100_000)
    assert [e.id for e in events] == list(range(1, len(events) + 1)), "event ids gap-free"
    called_events = {e.ticket_id for e in events if e.type.value == "ticket.called"}
    assert set(load.called) <= called_events, "every call a window was answered is logged"
