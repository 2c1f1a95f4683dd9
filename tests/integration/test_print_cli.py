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


@pytest.fixture
def silent_printer() -> Iterator[tuple[int, list[bytes]]]:
    """A printer that takes the connection and every byte but never answers a status request
    (a hung firmware): what it was asked is recorded, one entry per connection."""
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            data = b""
            conn.settimeout(0.2)
            with conn:
                while not stop.is_set():
                    try:
                        chunk = conn.recv(4096)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not chunk:
                        break
                    data += chunk
            received.append(data)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(timeout=5)
    server.close()


def test_a_silent_printer_is_asked_once_not_twice(silent_printer: tuple[int, list[bytes]],
                                                  run_kiosk: Run, repo: Path,
                                                  tmp_path: Path) -> None:
    """`kiosk print` used to read the status when opening and again for the job: two full
    waits on a printer that never answers. Counted in status requests (DLE EOT n), not time."""
    port, received = silent_printer
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[catalog]\nseed = "{repo / "tests/data/mini-catalog.json"}"\n'
                   '[receipt_printer]\ntimeout_s = 1.0\n', "utf-8")
    r = run_kiosk("--config", str(cfg), "print", "test", "--printer",
                  f"tcp://127.0.0.1:{port}")
    assert r.returncode == 3, r.stderr
    result = json.loads(r.stdout)
    assert result["ok"] is False and "no status reply" in result["detail"]
    assert result["bytes_sent"] == 0
    asked = b"".join(received).count(b"\x10\x04")
    assert asked == 4, f"status requests sent: {asked} (one reading is DLE EOT 1-4)"
