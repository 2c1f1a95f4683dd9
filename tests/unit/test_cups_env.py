"""The private-CUPS fixture itself: a daemon that rejects its configuration fails the tests
with one line naming the command and cupsd's words, and leaves no folder behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import cups_env
from tests.support.cups_env import CupsServer, CupsStartError


def test_generated_config_passes_cupsds_own_test_mode(tmp_path: Path) -> None:
    server = CupsServer(tmp_path / "cups")
    server._layout()
    server.check_config()   # raises CupsStartError naming the line if cupsd refuses it
    files = (tmp_path / "cups/etc/cups-files.conf").read_text()
    assert f"Printcap {tmp_path / 'cups'}/printcap" in files


def test_a_refused_config_fails_in_one_line_and_cleans_up(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The line current cupsd refuses (what broke CI on a fresh machine).
    monkeypatch.setattr(cups_env, "CUPS_FILES_CONF", cups_env.CUPS_FILES_CONF.replace(
        "Printcap {root}/printcap", "Printcap"))
    server = CupsServer()
    with pytest.raises(CupsStartError) as caught:
        server.start()
    message = str(caught.value)
    assert "\n" not in message
    assert "cupsd" in message and "-t" in message and "Printcap" in message
    assert not server.root.exists(), f"{server.root} left behind"
