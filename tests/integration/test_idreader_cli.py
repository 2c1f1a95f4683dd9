"""`kiosk sim idreader`, `kiosk sim idreader-ctl` and `kiosk card read|status` as real
processes on a real pty, plus the demo's simulator command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.sim.idreader_control import send_control
from kiosk.commands.demo import sim_commands
from kiosk.config import load_config
from tests.conftest import REPO

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(autouse=True)
def own_config(tmp_path: Path) -> None:
    """A kiosk.toml of the tests' own in the folder the commands run in (never the live one)."""
    (tmp_path / "kiosk.toml").write_text("[id_reader]\nenabled = true\n", encoding="utf-8")


@pytest.fixture
def sim_process(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A `kiosk sim idreader --pty` child: (link path, control URL)."""
    link = tmp_path / "ttyID"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "idreader", "--pty", "--link", str(link),
         "--control", "tcp://127.0.0.1:0", "--place", "resident-elder"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=tmp_path)
    assert proc.stdout is not None
    first, second = proc.stdout.readline(), proc.stdout.readline()
    assert first == f"idreader: {link}\n"
    assert second.startswith("control: tcp://127.0.0.1:")
    try:
        yield str(link), second.split()[1]
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        assert not link.exists()  # the simulator cleans up its link on SIGTERM


def test_card_status_and_masked_read(sim_process: tuple[str, str], run_kiosk: Run) -> None:
    port, _ = sim_process
    status = run_kiosk("card", "status", "--port", port, "--json", timeout=30)
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert (data["state"], data["sam_id"]) == ("ONLINE", "05.01-20101010-000012345-123456789")
    read = run_kiosk("card", "read", "--port", port, "--timeout", "5", timeout=30)
    assert read.returncode == 0, read.stderr
    assert "王*试" in read.stdout and "1101**********002X" in read.stdout
    assert "王测试" not in read.stdout + read.stderr
    assert "11010519491231002X" not in read.stdout + read.stderr


def test_control_channel_and_reveal(sim_process: tuple[str, str], run_kiosk: Run) -> None:
    port, control = sim_process
    assert send_control(control, "list").startswith("ok 0:resident-elder 1:resident ")
    ctl = run_kiosk("sim", "idreader-ctl", control, "place", "hmt-permit", timeout=30)
    assert (ctl.returncode, ctl.stdout) == (0, "ok placed hmt-permit\n")
    read = run_kiosk("card", "read", "--port", port, "--timeout", "5", "--json", "--reveal",
                     timeout=30)
    assert read.returncode == 0, read.stderr
    data = json.loads(read.stdout)
    assert (data["name"], data["id_number"], data["pass_number"]) == (
        "陈示例", "810000199002150021", "H12345678")
    assert data["photo_bytes"] == 1024
    assert send_control(control, "fault bogus").startswith("error unknown fault 'bogus'")
    assert send_control(control, "place nobody").startswith("error no card 'nobody'")
    assert send_control(control, "remove") == "ok removed"
    none = run_kiosk("card", "read", "--port", port, "--timeout", "0.3", timeout=30)
    assert none.returncode == 1 and "no card within 0.3 s" in none.stderr


def test_status_of_a_missing_reader(tmp_path: Path, run_kiosk: Run) -> None:
    result = run_kiosk("card", "status", "--port", str(tmp_path / "nothing"), timeout=30)
    assert result.returncode == 3
    assert "NO_DEVICE" in result.stdout and "nothing" in result.stdout


def test_demo_starts_the_simulated_reader_with_its_control_channel(tmp_path: Path) -> None:
    """A config of its own (it read the live kiosk.toml and broke when the demo's ports
    moved); the ports are free ones, though nothing listens in this test."""
    import socket

    def free_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    reader_port, control_port, printer_port = free_port(), free_port(), free_port()
    toml = tmp_path / "kiosk.toml"
    toml.write_text(f"""
[receipt_printer]
url = "tcp://127.0.0.1:{printer_port}"
[id_reader]
port = "socket://127.0.0.1:{reader_port}"
sim_control = "tcp://127.0.0.1:{control_port}"
""", "utf-8")
    cmds = sim_commands(load_config(toml))
    reader = [c for c in cmds if c[:2] == ["sim", "idreader"]]
    assert reader == [["sim", "idreader", "--listen", f"tcp://127.0.0.1:{reader_port}",
                       "--control", f"tcp://127.0.0.1:{control_port}"]]
    printer = [c for c in cmds if c[:2] == ["sim", "printer"]]
    assert printer and printer[0][3] == f"tcp://127.0.0.1:{printer_port}"


def _sim_with(tmp_path: Path, cards: list[dict[str, str]], place: str
              ) -> subprocess.Popen[str]:
    path = tmp_path / "cards.json"
    path.write_text(json.dumps({"cards": cards}, ensure_ascii=False), encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "idreader", "--pty", "--link",
         str(tmp_path / "ttyID"), "--cards", str(path), "--place", place],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=tmp_path)


FUTURE_BIRTH = {"label": "bad-birth", "type": "resident", "name": "钱未来", "sex": "1",
                "nation": "01", "birth": "20990101", "address": "北京市东城区测试路 9 号",
                "id_number": "110101209901010015", "issuer": "北京市公安局东城分局",
                "valid_from": "20200101", "valid_to": "20300101"}


def test_card_read_says_why_a_card_on_the_reader_was_not_read(tmp_path: Path,
                                                               run_kiosk: Run) -> None:
    """Issue 13: a card was on the reader but could not be read; `card read` said "no card
    within 4 s". It says the real reason now (and no card data)."""
    proc = _sim_with(tmp_path, [FUTURE_BIRTH], "bad-birth")
    try:
        assert proc.stdout is not None and proc.stdout.readline().startswith("idreader: ")
        read = run_kiosk("card", "read", "--port", str(tmp_path / "ttyID"), "--timeout", "1.5",
                         timeout=30)
    finally:
        proc.terminate()
        proc.wait(timeout=5)
    assert read.returncode == 1
    assert "no card within" not in read.stderr
    assert ("a card was on the reader but could not be read: bad card data: "
            "text offset 36 (birth date): in the future") in read.stderr
    assert "钱未来" not in read.stderr + read.stdout and "20990101" not in read.stderr


def test_a_photo_decoder_whose_factory_raises_does_not_crash_card_read(
        sim_process: tuple[str, str], run_kiosk: Run, tmp_path: Path) -> None:
    port, _ = sim_process
    toml = tmp_path / "decoder.toml"
    toml.write_text('[id_reader]\nphoto_decoder = "tests.support.fake_photo_decoder:broken"\n',
                    encoding="utf-8")
    read = run_kiosk("--config", str(toml), "card", "read", "--port", port, "--timeout", "5",
                     timeout=30)
    assert read.returncode == 0, read.stderr
    assert "Traceback" not in read.stderr
    assert ("photo decoder 'tests.support.fake_photo_decoder:broken': its factory failed: "
            "RuntimeError: licence file not found") in read.stderr
    assert "reading without decoding the photo" in read.stderr and "王*试" in read.stdout
