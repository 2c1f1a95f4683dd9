"""A kiosk that cannot reach anyone for a week loses no urgent event: a week of heartbeats
once a minute (on a moved clock) with device faults coming and going, every send failing
against a port nobody listens on; then the link comes back and everything that matters
arrives at the county once, in order."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.maintenance.status import DeviceReport
from kiosk.sync.agent import FleetAgent, Sources
from kiosk.sync.outbox import HEARTBEAT_HOURS, Outbox
from protocol.fleet import MESSAGES_PATH, URGENT_EVENTS
from tests.county.test_fleet_service import kiosk_cfg
from tests.support.county_service import Service, county_service, enrol_kiosk, free_port

WEEK_MIN = 7 * 24 * 60


@pytest.fixture
def service(pg_url: str) -> Iterator[Service]:
    with county_service(pg_url) as s:
        yield s


class Faulty:
    """Paper and reader faults at random minutes (seeded)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.paper, self.reader = "FULL", "ONLINE"

    def step(self) -> None:
        r = self.rng.random()
        if r < 0.01:
            self.paper = "OUT" if self.paper != "OUT" else "FULL"
        elif r < 0.015:
            self.reader = "OFFLINE" if self.reader == "ONLINE" else "ONLINE"

    def reports(self) -> list[DeviceReport]:
        return [DeviceReport("receipt_printer", True, "ONLINE", self.paper),
                DeviceReport("id_reader", True, self.reader)]


@pytest.mark.slow
def test_a_week_offline_loses_no_urgent_event(tmp_path: Path, service: Service) -> None:
    me = enrol_kiosk(service, tmp_path / "fleet", "偏远1号机")
    now = [datetime(2026, 12, 1, 8, 0, tzinfo=UTC).timestamp()]
    cfg = kiosk_cfg(tmp_path, f"http://127.0.0.1:{free_port()}")     # nobody there
    outbox = Outbox(tmp_path / "fleet" / "outbox.sqlite", clock=lambda: now[0]).open()
    faults = Faulty(18)
    agent = FleetAgent(cfg, me, outbox, Sources(reports=faults.reports),
                       clock=lambda: now[0])
    urgent: list[tuple[int, str, str]] = []
    try:
        for minute in range(WEEK_MIN):
            faults.step()
            for m in agent.tick():
                if m["kind"] == "event" and m["body"]["event"] in URGENT_EVENTS:
                    urgent.append((m["seq"], m["body"]["event"], m["body"]["device"]))
            if minute % 30 == 0:
                assert not agent.send_once().ok          # the link is down all week
            now[0] += 60
        waiting = outbox.counts()
        assert len(urgent) > 50, "the week should have had faults"
        assert waiting["heartbeat"] <= HEARTBEAT_HOURS          # thinned: about one an hour
        assert waiting["heartbeat"] >= 7 * 24
        agent.url = service.url + MESSAGES_PATH                # the link is back
        result = agent.send_once()
        assert result.ok, result.error
        assert outbox.counts() == {}
    finally:
        outbox.close()
    rows = service.db.rows("SELECT seq, body FROM messages WHERE kiosk_id = %s AND "
                           "kind = 'event' AND urgent ORDER BY seq", (me.kiosk,))
    arrived = [(r["seq"], r["body"]["event"], r["body"]["device"]) for r in rows]
    assert arrived == urgent                     # every one, once, in order
    hb = service.db.one("SELECT count(*) AS n FROM messages WHERE kind = 'heartbeat'")
    assert hb is not None and hb["n"] == waiting["heartbeat"]
    state = service.db.one("SELECT heartbeat FROM kiosk_state WHERE kiosk_id = %s",
                           (me.kiosk,))
    assert state is not None
    last = {d["device"]: d for d in state["heartbeat"]["devices"]}
    assert last["receipt_printer"]["paper"] == faults.paper     # the newest state won
