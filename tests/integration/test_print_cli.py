"""`kiosk sim printer` and `kiosk print …` as real processes talking over a real socket."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def sim(tmp_path: Path, repo: Path) -> Iterator[tuple[int, int, Path]]:
    out = tmp_path / "receipts"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "printer", "--listen", "tcp://127.0.0.1:0",
         "--control", "tcp://127.0.0.1:0", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(repo)})
    assert proc.stdout is not None
    ports = [int(proc.stdout.readline().rsplit(":", 1)[1]) for _ in range(2)]
    yield ports[0], ports[1], out
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0


def control(port: int, line: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s, s.makefile("rwb") as f:
        f.write(line.encode() + b"\n")
        f.flush()
        return f.readline().decode().strip()


def test_print_test_page_and_guide(sim: tuple[int, int, Path], run_kiosk: Run, repo: Path,
                                   tmp_path: Path) -> None:
    port, ctl, out = sim
    url = f"tcp://127.0.0.1:{port}"
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[catalog]\nseed = "{repo / "tests/data/mini-catalog.json"}"\n', "utf-8")

    r = run_kiosk("--config", str(cfg), "print", "test", "--printer", url)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True

    r = run_kiosk("--config", str(cfg), "print", "guide", "T-0001", "--printer", url)
    assert r.returncode == 0, r.stderr
    guide = (out / "2.txt").read_text("utf-8")
    assert "最低生活保障审核确认" in guide and "□ " in guide

    assert control(ctl, "paper out").startswith("ok")
    r = run_kiosk("--config", str(cfg), "print", "test", "--printer", url)
    assert r.returncode == 3
    result = json.loads(r.stdout)
    assert result["ok"] is False and result["detail"] == "REC_EMPTY"
    assert result["message"] == "打印机缺纸，请联系大厅工作人员。"
    assert sorted(p.name for p in out.iterdir()) == ["1.bin", "1.png", "1.txt",
                                                      "2.bin", "2.png", "2.txt"]

    r = run_kiosk("--config", str(cfg), "print", "guide", "NOPE", "--printer", url)
    assert r.returncode == 3 and "NOPE" in r.stderr
