"""kiosk → hall → county: the hall keeps what its kiosks send and forwards it when the county
can be reached. The relay runs behind a plain HTTP server here (a stand-in for the hall
service's route, which calls the same `Relay.accept`)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from county.service.enrol import new_hall, new_kiosk
from county.service.serve import InThread
from hall.fleet_relay import open_relay, relay_routes
from kiosk.errors import SyncError
from kiosk.sync.agent import FleetAgent, Sources
from kiosk.sync.identity import Identity, join, load_identity
from kiosk.sync.outbox import Outbox
from kiosk.sync.relay import Relay
from tests.conftest import REPO
from tests.county.test_fleet_service import Devices, kiosk_cfg
from tests.support.county_service import Service, county_service, free_port


class HallRelay:
    """The relay's route (hall/fleet_relay.py) in a Starlette app on uvicorn, on a free port —
    what the hall service mounts through its extra_routes."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        port = free_port()
        self.running = InThread(Starlette(routes=relay_routes(relay)), "127.0.0.1",
                                port).start()
        self.url = f"http://127.0.0.1:{port}"

    def close(self) -> None:
        self.running.stop()


@pytest.fixture
def service(pg_url: str) -> Iterator[Service]:
    with county_service(pg_url) as s:
        yield s


def _hall(tmp: Path, service: Service, name: str, county_url: str) -> tuple[Relay, Identity]:
    code = new_hall(service.db, name).code
    r = subprocess.run([sys.executable, "-m", "kiosk", "fleet", "join", service.url, "--code",
                        code, "--hall", str(tmp / name)], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert r.returncode == 0 and "enrolled" in r.stdout, r.stderr
    hall = load_identity(tmp / name)
    assert hall is not None and hall.kiosk.startswith("H-")
    return open_relay(tmp / name, county_url), hall


def test_hall_keeps_and_forwards_and_brings_commands_back(tmp_path: Path,
                                                          service: Service) -> None:
    down = f"http://127.0.0.1:{free_port()}"       # the county link is down at first
    relay, hall = _hall(tmp_path, service, "清河镇便民服务中心", down)
    front = HallRelay(relay)
    try:
        code = new_kiosk(service.db, "1号机", "清河镇便民服务中心").code
        me = join(tmp_path / "k", service.url, code)
        devices = Devices()
        agent = FleetAgent(kiosk_cfg(tmp_path / "k", front.url), me,
                           Outbox(tmp_path / "k" / "outbox.sqlite").open(),
                           Sources(reports=devices.reports))
        agent.tick()
        devices.paper = "OUT"
        agent.tick()
        sent = agent.send_once()
        assert sent.ok and sent.acked == 2                 # the hall has them now
        assert agent.outbox.counts() == {}
        assert relay.forward_once() == (False, 0) and relay.outbox.counts() == {
            "event": 1, "heartbeat": 1}
        assert service.db.one("SELECT count(*) AS n FROM messages")["n"] == 0  # type: ignore[index]

        relay.url = service.url + "/api/fleet/v1/messages"   # the link comes back
        assert relay.forward_once() == (True, 2)
        rows = service.db.rows("SELECT kind, via FROM messages ORDER BY seq")
        assert [(r["kind"], r["via"]) for r in rows] == [("heartbeat", f"hall:{hall.kiosk}"),
                                                          ("event", f"hall:{hall.kiosk}")]
        assert service.db.one("SELECT kind FROM alerts")["kind"] == "paper_out"  # type: ignore[index]

        service.db.rows("INSERT INTO commands (kiosk_id, kind, asked_by) VALUES "
                        "(%s, 'screenshot', 'x') RETURNING id", (me.kiosk,))
        agent.beat()
        agent.send_once()                  # to the hall
        relay.forward_once()               # the hall hears of the command from the county
        agent.beat()
        assert agent.send_once().commands == 1    # … and hands it on with the next reply
    finally:
        front.close()


def test_county_refuses_a_kiosk_relayed_by_another_hall(tmp_path: Path,
                                                        service: Service) -> None:
    relay_a, _ = _hall(tmp_path, service, "甲镇", service.url)
    _hall(tmp_path, service, "乙镇", service.url)
    with pytest.raises(SyncError, match="not enrolled"):
        open_relay(tmp_path / "丙镇", service.url)
    code = new_kiosk(service.db, "1号机", "乙镇").code
    me = join(tmp_path / "k", service.url, code)
    agent = FleetAgent(kiosk_cfg(tmp_path / "k", service.url), me,
                       Outbox(tmp_path / "k" / "outbox.sqlite").open(),
                       Sources(reports=Devices().reports))
    env = agent.beat()
    status, _ = relay_a.accept({"sender": "kiosk", "id": me.kiosk, "messages": [env]})
    assert status == 200
    assert relay_a.forward_once() == (True, 1)      # refused for good, so dropped by the hall
    assert relay_a.outbox.counts() == {}
    assert service.db.one("SELECT count(*) AS n FROM messages")["n"] == 0  # type: ignore[index]
