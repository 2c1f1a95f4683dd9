"""The two deployment shapes as an installer sets them up, with real processes: `kiosk hall
serve` on a SQLite file, staff and a kiosk enrolled from the command line, the kiosk issuing
through the service (`[queue].server`) onto the virtual printer, `kiosk counter …` calling its
tickets, `kiosk hall report`, and SIGTERM stopping the service cleanly."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devices.sim.printer import VirtualPrinter

REPO = Path(__file__).resolve().parents[2]
HALL = """
[hall]
name = "测试镇便民服务中心"

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


def kiosk(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    hall = tmp_path / "hall-pc"
    hall.mkdir()
    (hall / "hall.toml").write_text(HALL, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "hall", "serve", "--listen",
                             "127.0.0.1:0"], cwd=hall, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "hall service 测试镇便民服务中心: http://127.0.0.1:" in line, proc.stderr.read() \
        if proc.poll() is not None and proc.stderr else line
    url = line.split(": ", 1)[1].split()[0]
    try:
        yield url, hall
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0, "SIGTERM stops the service cleanly"


def test_enrol_issue_through_the_service_call_and_report(service: tuple[str, Path],
                                                         tmp_path: Path) -> None:
    url, hall = service
    assert httpx.get(url + "/api/health", timeout=5).json()["ok"] is True
    r = kiosk("hall", "staff", "add", "1001", "--name", "张三", "--pin-stdin", cwd=hall,
              stdin="246810\n")
    assert r.returncode == 0, r.stderr
    r = kiosk("hall", "enrol-kiosk", "kiosk-1", cwd=hall)
    assert r.returncode == 0, r.stderr
    code = r.stdout.split("--code ")[1].split()[0]

    box = tmp_path / "kiosk-pc"
    box.mkdir()
    with VirtualPrinter(box / "receipts") as vp:
        port = vp.start()
        (box / "kiosk.toml").write_text(
            f'[receipt_printer]\nurl = "tcp://127.0.0.1:{port}"\n\n[queue]\nserver = "{url}"\n',
            encoding="utf-8")
        r = kiosk("hall", "join", url, "--code", code, cwd=box)
        assert r.returncode == 0, r.stderr
        for name in ("hall-token", "queue-secret.key"):
            assert stat.S_IMODE((box / "var" / name).stat().st_mode) == 0o600
        again = kiosk("hall", "join", url, "--code", code, cwd=box)
        assert again.returncode == 3 and "refused" in again.stderr, "a code works once"
        r = kiosk("ticket", "take", "C", "--json", cwd=box)
        assert r.returncode == 0, r.stderr
        taken = json.loads(r.stdout)
        assert taken["ticket"]["number"] == "C001" and taken["ticket"]["kiosk"] == "kiosk-1"
        (slip,) = vp.wait_for_receipts(1)
        assert "C001" in "\n".join(slip.text)
    assert not (box / "var" / "queue.sqlite").exists(), "the kiosk kept no queue of its own"

    pin = box / "pin"
    pin.write_text("246810\n", encoding="utf-8")
    r = kiosk("counter", "login", "5", "--staff", "1001", "--pin-file", str(pin), cwd=box)
    assert r.returncode == 0 and "logged in at 5号窗口 as 1001" in r.stdout, r.stderr
    r = kiosk("counter", "next", "--json", cwd=box)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ticket"]["number"] == "C001"
    r = kiosk("counter", "next", cwd=box)
    assert r.returncode == 1 and "还有一位（C001）没有办完" in r.stderr
    assert kiosk("counter", "start", cwd=box).returncode == 0
    r = kiosk("counter", "finish", "--case-no", "BJ-1", cwd=box)
    assert r.returncode == 0 and "finish: C001 done 5号窗口" in r.stdout
    r = kiosk("counter", "pause", "午休", cwd=box)
    assert r.returncode == 0 and "paused (午休)" in r.stdout
    assert kiosk("counter", "resume", cwd=box).returncode == 0
    assert kiosk("counter", "logout", cwd=box).returncode == 0

    r = kiosk("hall", "report", "--json", cwd=hall)
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["total"]["issued"] == 1 and rep["total"]["served"] == 1
    assert rep["by_staff"]["1001"]["served"] == 1 and rep["by_window"]["5"]["served"] == 1


def test_the_real_service_serves_the_staff_and_display_pages(service: tuple[str, Path]
                                                             ) -> None:
    """`kiosk hall serve` itself (not a test's assembly) serves the pages of issue 15: they
    were mounted only by the tests, and the real service answered 404 on /window."""
    url, _ = service
    with httpx.Client(base_url=url, timeout=10) as client:
        for path in ("/window", "/manager", "/display"):
            r = client.get(path)
            assert r.status_code == 200 and "text/html" in r.headers["content-type"], path
            assert "测试镇便民服务中心" in r.text or "<html" in r.text.lower(), path
        assert client.get("/api/ratings").status_code in (401, 403)   # staff only
        assert client.get("/api/rate/no-such-ticket").status_code == 403   # unsigned link


def test_a_kiosk_with_an_unreachable_hall_refuses_plainly(tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_text('[queue]\nserver = "http://127.0.0.1:1"\ntimeout_s = '
                                         '0.5\n', encoding="utf-8")
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "hall-token").write_text('{"name": "k", "token": "t"}')
    r = kiosk("ticket", "take", "C", cwd=tmp_path)
    assert r.returncode == 3 and "cannot be reached" in r.stderr
