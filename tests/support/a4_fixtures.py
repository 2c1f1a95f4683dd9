"""Fixtures for the A4 printer and scanner tests: one private cupsd per test session (its
startup is the slow part: ~0.3 s) with a fresh queue per test, and a SANE config folder with
only the test backend. Import the fixtures into a test module with
`from tests.support.a4_fixtures import cups, queue_name, sane, pdfinfo  # noqa: F401`."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cups_env import CupsServer, CupsStartError, sane_env, sane_unavailable

_queues = itertools.count(1)


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    # Never a quiet skip: scripts/setup.sh installs CUPS, so a server that cannot start is a
    # fault to see, in one line (pytest caches this failure for every test that needs it).
    try:
        server = CupsServer().start()
    except CupsStartError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def cups(cups_server: CupsServer, monkeypatch: pytest.MonkeyPatch) -> CupsServer:
    """The private CUPS, made the one this process (and its children) talk to."""
    for key, value in cups_server.env.items():
        monkeypatch.setenv(key, value)
    return cups_server


@pytest.fixture
def queue_name(cups: CupsServer) -> str:
    """A fresh, enabled queue for this test alone (faults in one test stay there)."""
    return cups.add_queue(f"kiosk-a4-t{next(_queues)}")


@pytest.fixture
def sane(tmp_path_factory: pytest.TempPathFactory,
         monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    reason = sane_unavailable()
    if reason:
        pytest.fail(f"SANE's test backend cannot run: {reason}", pytrace=False)
    env = sane_env(tmp_path_factory.mktemp("sane"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def pdfinfo(pdf: Path) -> dict[str, str]:
    """poppler's pdfinfo as a dict (Pages, Page size, …)."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo not installed (apt-get install poppler-utils)")
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return {k.strip(): v.strip() for k, _, v in
            (line.partition(":") for line in out.stdout.splitlines())}


def is_a4(info: dict[str, str]) -> bool:
    return "(A4)" in info.get("Page size", "")
