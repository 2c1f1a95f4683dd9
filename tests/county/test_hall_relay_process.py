"""kiosk → hall service → county with real processes: the hall enrolled with
`kiosk fleet join … --hall DIR`, `kiosk hall serve --county URL` relaying, a kiosk's agent
posting to the hall; the county sees the messages "via hall", and SIGTERM stops the hall
cleanly with its relay."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from county.service.enrol import new_hall, new_kiosk
from kiosk.sync.agent import FleetAgent, Sources
from kiosk.sync.identity import join
from kiosk.sync.outbox import Outbox
from tests.conftest import REPO
from tests.county.test_fleet_service import Devices, kiosk_cfg
from tests.support.county_service import Service, county_service

HALL_TOML = """
[hall]
name = "清河镇便民服务中心"

[[services]]
name = "综合咨询"
prefix = "C"
hours = ["00:00-24:00"]

[[windows]]
number = 5
services = ["C"]

[server]
database = "sqlite:var/hall.sqlite"
"""


@pytest.fixture
def service(pg_url: str) -> Iterator[Service]:
    with county_service(pg_url) as s:
        yield s


def _kiosk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_hall_service_relays_to_the_county(tmp_path: Path, service: Service) -> None:
    hall_pc = tmp_path / "hall-pc"
    hall_pc.mkdir()
    (hall_pc / "hall.toml").write_text(HALL_TOML, encoding="utf-8")
    code = new_hall(service.db, "清河镇便民服务中心").code
    joined = _kiosk("fleet", "join", service.url, "--code", code, "--hall", "var/hall-fleet",
                    cwd=hall_pc)
    assert joined.returncode == 0, joined.stderr
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "hall", "serve", "--listen",
                             "127.0.0.1:0", "--county", service.url], cwd=hall_pc,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "http://127.0.0.1:" in line, proc.stderr.read() if proc.stderr else line
    hall_url = line.split(": ", 1)[1].split()[0]
    try:
        me = join(tmp_path / "kiosk", service.url,
                  new_kiosk(service.db, "1号机", "清河镇便民服务中心").code)
        devices = Devices()
        outbox = Outbox(tmp_path / "kiosk" / "outbox.sqlite").open()
        agent = FleetAgent(kiosk_cfg(tmp_path / "kiosk", hall_url), me, outbox,
                           Sources(reports=devices.reports))
        agent.tick()
        devices.paper = "OUT"
        agent.tick()
        sent = agent.send_once()
        assert sent.ok and sent.acked == 2, sent
        outbox.close()
        deadline = time.monotonic() + 20
        rows: list[dict[str, object]] = []
        while time.monotonic() < deadline and len(rows) < 2:
            rows = service.db.rows("SELECT kind, via FROM messages ORDER BY seq")
            time.sleep(0.2)
        assert [r["kind"] for r in rows] == ["heartbeat", "event"]
        assert all(str(r["via"]).startswith("hall:H-") for r in rows)
        alert = service.db.one("SELECT kind FROM alerts")
        assert alert is not None and alert["kind"] == "paper_out"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0, proc.stderr.read() if proc.stderr else ""
