"""Where scans live and what happens to them when the kiosk is killed: a copy killed halfway
(kill -9) must not leave an ID card's scan in RAM until the next reboot. Real processes, real
signals, the real SaneScanner (its folder; no scan is needed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from devices.scanner.sane import SCAN_PREFIX, SaneScanner, scan_root, sweep_stale_scans
from tests.conftest import REPO

CHILD = """
import sys, time
from devices.scanner.sane import SaneScanner
scanner = SaneScanner("test").open()
(scanner.folder / "id-front.png").write_bytes(b"an ID card's front")
print(scanner.folder, flush=True)
time.sleep(60)
"""


def _killed_copy(root: Path) -> Path:
    """A process that opened a scanner, 'scanned' a card and was killed with SIGKILL."""
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO),
                                  "RUNTIME_DIRECTORY": str(root)})
    assert child.stdout is not None
    folder = Path(child.stdout.readline().strip())
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=5)
    assert (folder / "id-front.png").exists(), "the kill left the scan (as it did before)"
    return folder


def test_scans_go_to_the_units_own_runtime_directory(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME_DIRECTORY", str(tmp_path))
    assert scan_root() == str(tmp_path)
    scanner = SaneScanner("test").open()
    assert scanner.folder is not None and scanner.folder.parent == tmp_path
    assert scanner.folder.name.startswith(f"{SCAN_PREFIX}{os.getpid()}-")
    scanner.close()
    monkeypatch.setenv("RUNTIME_DIRECTORY", str(tmp_path / "gone"))
    assert scan_root() != str(tmp_path / "gone")      # not there: /dev/shm or the temp dir


def test_a_copy_killed_halfway_is_shredded_when_the_next_scanner_opens(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13: kill -9 during an ID copy left the scan in /dev/shm/kiosk-scan-* until
    reboot."""
    stale = _killed_copy(tmp_path)
    monkeypatch.setenv("RUNTIME_DIRECTORY", str(tmp_path))
    scanner = SaneScanner("test").open()
    try:
        assert not stale.exists()
        assert [p.name for p in tmp_path.iterdir()] == [scanner.folder.name
                                                        if scanner.folder else ""]
    finally:
        scanner.close()


def test_the_terminal_sweeps_at_start_and_spares_live_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk import bootstrap
    from kiosk.config import parse_config

    stale = _killed_copy(tmp_path)
    legacy = tmp_path / f"{SCAN_PREFIX}ab12cd"            # named before folders carried a pid
    legacy.mkdir()
    (legacy / "page-001.png").write_bytes(b"a page")
    monkeypatch.setenv("RUNTIME_DIRECTORY", str(tmp_path))
    live = SaneScanner("test").open()                   # this process's own, in use
    cfg = parse_config({"receipt_printer": {"url": "memory://"},
                        "id_reader": {"enabled": False}, "document_printer": {"enabled": False},
                        "queue": {"db": "queue.sqlite", "secret_file": "secret.key"},
                        "scanner": {"enabled": True}}, base_dir=str(tmp_path / "kiosk"))
    terminal = bootstrap.terminal(cfg)
    terminal.open()
    terminal.close()
    try:
        assert not stale.exists() and not legacy.exists()
        assert live.folder is not None and live.folder.exists()
        assert sweep_stale_scans(str(tmp_path)) == []
    finally:
        live.close()
