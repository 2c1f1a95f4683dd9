"""`kiosk demo` starts its simulators with their control ports and says where they are
(issue 17: the README's fault commands needed a hand-started simulator)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx

from kiosk.commands.demo import sim_commands
from kiosk.config import load_config
from tests.ui.helpers import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_demo_config_gives_the_printer_its_control_port() -> None:
    cmds = sim_commands(load_config(REPO / "kiosk.toml"))
    printer = next(c for c in cmds if c[:2] == ["sim", "printer"])
    assert printer[printer.index("--control") + 1] == "tcp://127.0.0.1:9101"


def test_demo_prints_the_control_ports_and_they_answer(tmp_path: Path) -> None:
    data = tomllib.loads((REPO / "kiosk.toml").read_text(encoding="utf-8"))
    ports = [free_port() for _ in range(4)]
    lines = (REPO / "kiosk.toml").read_text(encoding="utf-8")
    for old, new in (("9100", ports[0]), ("9101", ports[1]), ("9201", ports[2]),
                     ("9202", ports[3])):
        assert f"127.0.0.1:{old}" in lines, f"kiosk.toml no longer uses port {old}: update me"
        lines = lines.replace(f"127.0.0.1:{old}", f"127.0.0.1:{new}")
    lines = lines.replace('seed = "assets/', f'seed = "{REPO}/assets/')
    lines = lines.replace('forms_dir = "assets/', f'forms_dir = "{REPO}/assets/')
    assert data["receipt_printer"]["sim_control"]
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(lines, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(cfg), "demo",
                             "--no-ui"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        out = ""
        deadline = time.monotonic() + 30
        assert proc.stdout is not None
        while "身份证阅读器" not in out and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            out += line
        assert f"控制 tcp://127.0.0.1:{ports[1]}" in out, out
        assert f"nc 127.0.0.1 {ports[1]}" in out and f"控制 tcp://127.0.0.1:{ports[3]}" in out
        with socket.create_connection(("127.0.0.1", ports[1]), timeout=5) as s:
            s.sendall(b"paper out\n")
            reply = s.makefile("r", encoding="utf-8").readline()
        assert reply.startswith("ok"), reply
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    # The demo's simulators end with it (they used to outlive a SIGTERM, holding their ports).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _children_of_config(cfg):
        time.sleep(0.1)
    assert not _children_of_config(cfg), "simulators outlived the demo"


def _children_of_config(cfg: Path) -> list[int]:
    """Pids of live processes started with `--config CFG` (the demo's simulators)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(cfg).encode() in argv and state != "Z":
            found.append(int(proc.name))
    return found


def test_the_demo_runs_the_hall_service_with_this_kiosk_enrolled(tmp_path: Path) -> None:
    """The run command shows the hall: the service started, this kiosk enrolled (token and the
    hall's secret, 0600), a demo window login printed — and it works as printed."""
    from kiosk.queue.model import IssueRequest
    from kiosk.queue.remote_store import HallServerStore, read_token

    ports = [free_port() for _ in range(4)]
    text = (REPO / "kiosk.toml").read_text(encoding="utf-8")
    for old, new in zip(("9100", "9101", "9201", "9202"), ports, strict=True):
        text = text.replace(f"127.0.0.1:{old}", f"127.0.0.1:{new}")
    text = text.replace('seed = "assets/', f'seed = "{REPO}/assets/')
    (tmp_path / "kiosk.toml").write_text(text, encoding="utf-8")
    (tmp_path / "hall.toml").write_text((REPO / "hall.toml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", "kiosk.toml", "demo",
                             "--no-ui"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=tmp_path, env=env)
    try:
        out, deadline = "", time.monotonic() + 60
        assert proc.stdout is not None
        while "kiosk counter login" not in out and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            out += line
        assert "叫号服务（演示）已启动：http://127.0.0.1:" in out, out
        # At lunch or at night the hall's hours close every service: the demo opens them all
        # for today, so this test (and a person trying the demo) works at any hour.
        assert "各项服务今天全天可取号" in out, out
        url = out.split("叫号服务（演示）已启动：", 1)[1].split()[0]
        assert httpx.get(url + "/window", timeout=10).status_code == 200
        assert f"窗口页面：{url}/window" in out and f"大厅屏幕：{url}/display" in out, out
        token = read_token(tmp_path / "var" / "hall-token")
        assert token is not None and token.url == url and token.name == "demo-kiosk"
        kiosk = HallServerStore(url, token=token.token, probe_s=0)
        kiosk.open()
        t = kiosk.issue(IssueRequest(service="C", request_id="demo-test-0001"))
        kiosk.printed(t.ticket_id, "demo-test-0002")
        kiosk.close()
        login = out.split("窗口叫号：", 1)[1].splitlines()[0].split()
        assert login[:2] == ["kiosk", "counter"]
        run = [sys.executable, "-m", "kiosk", "--config", "kiosk.toml", *login[1:]]
        r = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr
        r = subprocess.run([sys.executable, "-m", "kiosk", "--config", "kiosk.toml", "counter",
                            "next"], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0 and t.number in r.stdout, r.stderr
    finally:
        proc.terminate()
        proc.wait(15)
