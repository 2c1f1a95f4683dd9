"""`kiosk ticket …` as real processes on a real store in a temporary folder."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]

# Nothing listens on port 1: the receipt printer is absent, as when it is unplugged.
CONFIG = """
[receipt_printer]
url = "tcp://127.0.0.1:1"
timeout_s = 0.5

[queue]
db = "var/queue.sqlite"
"""

HALL = """
[[services]]
name = "综合咨询"
prefix = "C"
hours = ["00:00-24:00"]

[[windows]]
number = 5
services = ["C"]
"""


@pytest.fixture
def kiosk(tmp_path: Path, run_kiosk: Run) -> Run:
    (tmp_path / "kiosk.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "hall.toml").write_text(HALL, encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_kiosk("--config", str(tmp_path / "kiosk.toml"), "ticket", *args)

    return run


def test_take_without_a_printer_voids_the_number(kiosk: Run, tmp_path: Path) -> None:
    r = kiosk("take", "综合咨询", "--json")
    assert r.returncode == 1, r.stderr
    out = json.loads(r.stdout)
    assert out["status"] == "print_failed" and "作废" in out["message"]
    assert out["ticket"]["number"] == "C001" and out["ticket"]["state"] == "void"
    listed = json.loads(kiosk("list", "--json").stdout)
    assert [(t["number"], t["state"]) for t in listed["tickets"]] == [("C001", "void")]
    assert (tmp_path / "var" / "queue.sqlite").exists()


def test_staff_commands_and_errors(kiosk: Run) -> None:
    r = kiosk("set-open", "c", "closed")
    assert r.returncode == 0 and "C 综合咨询: closed" in r.stdout
    r = kiosk("take", "C")
    assert r.returncode == 1 and "暂停取号" in r.stderr
    r = kiosk("take", "Z")
    assert r.returncode == 2 and "no service 'Z'; expected one of: C 综合咨询" in r.stderr
    r = kiosk("void", "C001")
    assert r.returncode == 2 and "no ticket 'C001' today" in r.stderr
    r = kiosk("list")
    assert r.returncode == 0 and "0 ticket(s)" in r.stdout
