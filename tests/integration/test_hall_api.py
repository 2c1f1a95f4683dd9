"""The hall service over real HTTP on loopback (uvicorn in a thread, SQLite and PostgreSQL):
the event stream with resume, who may do what (kiosk tokens, staff logins, read-only
displays, lockout, rate limits), and plain refusals."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.hall_env import STAFF, Rig, hall_rig
from tests.support.pg_env import PgServer


@pytest.fixture(params=["http+sqlite", "http+postgresql"])
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    pg: PgServer | None = (request.getfixturevalue("pg") if request.param.endswith("postgresql")
                           else None)
    with hall_rig(request.param, tmp_path, pg) as r:
        yield r


def post(rig: Rig, path: str, body: dict[str, Any], token: str = "") -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(rig.url + path, json=body, headers=headers, timeout=5)


def issue(rig: Rig, service: str = "C") -> dict[str, Any]:
    r = post(rig, "/api/tickets", {"service": service, "request_id": uuid.uuid4().hex},
             rig.kiosk_token)
    assert r.status_code == 200, r.text
    tid = r.json()["ticket"]["ticket_id"]
    r = post(rig, f"/api/tickets/{tid}/printed", {"request_id": uuid.uuid4().hex},
             rig.kiosk_token)
    t: dict[str, Any] = r.json()["ticket"]
    return t


def login(rig: Rig, staff: str, window: int | None) -> str:
    r = post(rig, "/api/staff/login", {"staff": staff, "pin": STAFF[staff], "window": window,
                                       "request_id": uuid.uuid4().hex})
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


class Subscriber:
    """Reads /api/events in a thread, as a display does; `ids` of the events it got."""

    def __init__(self, url: str, last_event_id: int | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.pings = 0
        self.ready = threading.Event()
        self._stop = threading.Event()
        headers = {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {}
        self._thread = threading.Thread(target=self._run, args=(url, headers), daemon=True)
        self._thread.start()
        assert self.ready.wait(5), "stream did not open"

    def _run(self, url: str, headers: dict[str, str]) -> None:
        try:
            self._read(url, headers)
        except httpx.HTTPError:
            if not self._stop.is_set():
                raise

    def _read(self, url: str, headers: dict[str, str]) -> None:
        with httpx.stream("GET", url + "/api/events", headers=headers, timeout=10) as r:
            self.ready.set()
            kind = ""
            for line in r.iter_lines():
                if self._stop.is_set():
                    return
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "ping":
                    self.pings += 1
                elif line.startswith("data: "):
                    self.events.append(json.loads(line[6:]))

    @property
    def ids(self) -> list[int]:
        return [int(e["id"]) for e in self.events]

    def wait_for(self, last_id: int, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while (not self.ids or self.ids[-1] < last_id) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.ids and self.ids[-1] >= last_id, f"got up to {self.ids[-1:]}, not {last_id}"

    def close(self) -> None:
        self._stop.set()


def test_the_stream_pushes_events_and_a_resuming_subscriber_misses_none(rig: Rig) -> None:
    first = Subscriber(rig.url)
    t = issue(rig)
    first.wait_for(2)
    assert [e["type"] for e in first.events] == ["ticket.issued", "ticket.printed"]
    assert first.events[0]["ticket"]["number"] == t["number"]
    seen = first.ids[-1]
    first.close()
    for _ in range(5):                                   # while it is away
        issue(rig)
    again = Subscriber(rig.url, last_event_id=seen)
    issue(rig)
    last = rig.store.last_event_id()
    again.wait_for(last)
    assert again.ids == list(range(seen + 1, last + 1)), "what it missed, in order, once"
    time.sleep(2.5)
    assert again.pings >= 1, "a keep-alive at least every 2 s"
    again.close()


def test_a_rating_event_written_in_its_transaction_reaches_the_stream(rig: Rig) -> None:
    """好差评 (hall/ratings.py) appends rating.created / rating.acknowledged to the same log."""
    from kiosk.queue.model import EventType
    from kiosk.queue.sql.events import pending
    from kiosk.queue.sql.tx import Tx

    t = issue(rig)
    sub = Subscriber(rig.url, last_event_id=rig.store.last_event_id())
    day = rig.clock().date()
    for etype in (EventType.RATING_CREATED, EventType.RATING_ACKNOWLEDGED):
        def rate(tx: Tx, etype: EventType = etype) -> None:
            tx.events.append(pending(etype, rig.clock(), day, ticket_id=t["ticket_id"],
                                     number=t["number"], data={"rating_id": 1, "level": 2,
                                                               "window": 4, "bad": True}))

        rig.backend.transact("rate", rate)
    last = rig.store.last_event_id()
    sub.wait_for(last)
    assert [e["type"] for e in sub.events] == ["rating.created", "rating.acknowledged"]
    assert sub.events[0]["bad"] is True and sub.events[0]["number"] == t["number"]
    assert [e.type for e in rig.backend.events_after(last - 2)] == [
        EventType.RATING_CREATED, EventType.RATING_ACKNOWLEDGED]
    sub.close()


def test_the_snapshot_and_reads_need_no_login_but_writes_do(rig: Rig) -> None:
    issue(rig)
    state = httpx.get(rig.url + "/api/state", timeout=5).json()
    assert state["last_event_id"] >= 1 and state["hall"]
    assert [s["prefix"] for s in state["services"]] == ["A", "C"]
    assert len(state["windows"]) == 6
    r = post(rig, "/api/tickets", {"service": "C", "request_id": uuid.uuid4().hex})
    assert r.status_code == 401
    assert r.json()["message"] == "这台设备没有登记到本大厅，请联系技术人员。"
    r = post(rig, "/api/windows/4/next", {"request_id": uuid.uuid4().hex})
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"


def test_a_session_is_bound_to_one_window(rig: Rig) -> None:
    issue(rig)
    token = login(rig, "1001", 4)
    r = post(rig, "/api/windows/5/next", {"request_id": uuid.uuid4().hex}, token)
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    r = post(rig, "/api/windows/4/next", {"request_id": uuid.uuid4().hex}, token)
    assert r.status_code == 200 and r.json()["ticket"]["number"] == "C001"
    r = post(rig, "/api/windows/4/next", {"request_id": uuid.uuid4().hex}, token)
    assert r.status_code == 409
    assert r.json()["message"] == "还有一位（C001）没有办完，请先完成或过号。"
    r = post(rig, "/api/windows/4/next", {}, token)
    assert r.status_code == 400, "every command carries a request id"


def test_wrong_pins_lock_the_staff_number_and_are_logged_without_the_pin(
        rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    for _ in range(rig.settings.auth.max_attempts):
        r = post(rig, "/api/staff/login", {"staff": "1002", "pin": "000999", "window": 4,
                                           "request_id": uuid.uuid4().hex})
        assert r.status_code == 401 and r.json()["message"] == "工号或密码不对，请重新输入。"
    r = post(rig, "/api/staff/login", {"staff": "1002", "pin": STAFF["1002"], "window": 4,
                                       "request_id": uuid.uuid4().hex})
    assert r.status_code == 423 and "锁定" in r.json()["message"]
    assert int(r.headers["Retry-After"]) > 0
    text = caplog.text
    assert "1002" in text and "000999" not in text and STAFF["1002"] not in text


def test_refusals_from_one_address_are_slowed_down(rig: Rig) -> None:
    limit = rig.settings.auth.failures_per_minute
    codes = [post(rig, "/api/tickets", {"service": "C", "request_id": uuid.uuid4().hex},
                  f"guess-{i}").status_code for i in range(limit + 2)]
    assert codes[:limit] == [401] * limit and codes[limit:] == [429, 429]
    r = post(rig, "/api/tickets", {"service": "C", "request_id": uuid.uuid4().hex},
             rig.kiosk_token)
    assert r.status_code == 429, "the address is slowed down, whoever it claims to be"


def test_a_window_page_reading_todays_tickets_is_not_counted_as_a_refused_kiosk(
        rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    """/api/tickets is for kiosks and staff: a staff session reading it often (the window page
    does) is neither refused, logged as a bad kiosk token, nor slowed down."""
    caplog.set_level(logging.INFO)
    issue(rig)
    token = login(rig, "1001", 4)
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(rig.settings.auth.failures_per_minute + 3):
        r = httpx.get(rig.url + "/api/tickets", headers=headers, timeout=5)
        assert r.status_code == 200 and r.json()["tickets"][0]["number"] == "C001"
    r = post(rig, "/api/windows/4/next", {"request_id": uuid.uuid4().hex}, token)
    assert r.status_code == 200, r.text
    assert "refused" not in caplog.text
    r = httpx.get(rig.url + "/api/tickets", headers={"Authorization": "Bearer nothing"},
                  timeout=5)
    assert r.status_code == 401 and "refused unauthorized" in caplog.text


def test_a_refused_issue_says_why_in_plain_words(rig: Rig) -> None:
    r = post(rig, "/api/tickets", {"service": "A", "request_id": uuid.uuid4().hex},
             rig.kiosk_token)
    assert r.status_code == 409
    assert (r.json()["error"], r.json()["refusal"]) == ("refused", "needs_card")
    r = post(rig, "/api/tickets", {"service": "Q", "request_id": uuid.uuid4().hex},
             rig.kiosk_token)
    assert r.status_code == 404
    for id_number in ("110105194912310021", "11010519491231002X"):
        r = post(rig, "/api/tickets", {"service": "A", "request_id": uuid.uuid4().hex,
                                       "person_hash": id_number}, rig.kiosk_token)
        assert r.status_code == 400, "the hall refuses anything that could be an ID number"
