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
