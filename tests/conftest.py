"""Shared fixtures. Tests use real parts: real files, real SQLite, real ptys and sockets,
real pygame under SDL_VIDEODRIVER=dummy. A mock, where one is unavoidable, is named as one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.pg_env import PgServer

REPO = Path(__file__).resolve().parent.parent

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def run_kiosk(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `python -m kiosk ARGS…` as a real process, from this checkout's sources."""

    def run(*args: str, input: str | None = None, timeout: float = 120,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
            input=input, timeout=timeout, env=full_env, cwd=tmp_path,
        )

    return run


@pytest.fixture(scope="session")
def pg() -> Iterator[PgServer]:
    """The private PostgreSQL of this test session (started on first use). A start that fails
    fails the tests that need it, naming the command and its words (PgStartError)."""
    server = PgServer().start()
    try:
        yield server
    finally:
        server.stop()
