"""The real hall service with the faces mounted (hall/web/pages.py), on a free loopback port,
for the display, page and rating tests: staff and an evaluator device enrolled the way an
installation enrols them (tests/support/hall_env.py), a staff client that acts like a window.

    with faces_hall(tmp_path) as hall:
        hall.ticket("C")                    # a printed ticket, as a kiosk issues it
        hall.window(4, "1001").act("next")  # a window's action over HTTP
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from hall.app import HallService
from hall.serve import running
from hall.web import pages
from kiosk.queue.model import IssueRequest, Ticket
from kiosk.queue.sql.engine import SqlHallStore
from tests.support.hall_env import (
    STAFF,
    _based,
    backend_store,
    drop_database,
    enrol,
    sample_hall,
)
from tests.support.pg_env import PgServer


def rid() -> str:
    return uuid.uuid4().hex


@dataclass
class Window:
    client: httpx.Client
    number: int
    staff: str
    token: str

    def act(self, action: str, **body: Any) -> dict[str, Any]:
        r = self.client.post(f"/api/windows/{self.number}/{action}",
                             json={"request_id": rid(), **body},
                             headers={"Authorization": f"Bearer {self.token}"})
        data: dict[str, Any] = r.json()
        if r.status_code != 200:
            raise AssertionError(f"{action} at window {self.number}: {r.status_code} {data}")
        return data


@dataclass
class FacesHall:
    url: str
    service: HallService
    store: SqlHallStore
    clock: Any
    evaluator_token: str
    client: httpx.Client
    windows: dict[int, Window] = field(default_factory=dict)

    def ticket(self, service: str = "C", declared: str = "") -> Ticket:
        t = self.store.issue(IssueRequest(service, rid(), declared=declared))
        return self.store.printed(t.ticket_id)

    def login(self, staff: str, window: int | None = None) -> str:
        r = self.client.post("/api/staff/login", json={
            "staff": staff, "pin": STAFF[staff], "window": window, "request_id": rid()})
        assert r.status_code == 200, r.text
        return str(r.json()["token"])

    def window(self, number: int, staff: str) -> Window:
        if number not in self.windows:
            self.windows[number] = Window(self.client, number, staff, self.login(staff, number))
        return self.windows[number]

    def manager(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.login('9001')}"}


@contextlib.contextmanager
def faces_hall(tmp: Path, pg: PgServer | None = None, kind: str = "sqlite",
               recall_interval_s: int = 0) -> Iterator[FacesHall]:
    """The hall on the wall clock: displays judge a call's age against real time."""
    settings = _based(sample_hall(queue={"recall_interval_s": recall_interval_s}), tmp)
    clock = datetime.now
    store, database = backend_store(kind, tmp, pg, settings, clock)  # type: ignore[arg-type]
    service = HallService(settings, store, clock=clock, poll_s=0.05,
                          extra_routes=pages.routes())
    pages.mount(service)
    with running(service) as url:
        auth = enrol(store, settings, clock)  # type: ignore[arg-type]
        token = auth.join(auth.enrol_code("evaluator-test"), "127.0.0.1").token
        with httpx.Client(base_url=url, timeout=10) as client:
            yield FacesHall(url, service, store, clock, token, client)
    if pg is not None and kind == "postgresql":
        drop_database(pg, database)
