"""One contract, every store: SQLite, PostgreSQL, and each behind the hall service's HTTP API
(kiosk.queue.remote_store.HallServerStore). A test here must pass through all four doors."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.queue.hallconfig import HallSettings
from tests.support.hall_env import KINDS, Rig, hall_rig

MakeRig = Callable[[HallSettings], Rig]


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_rig(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> Iterator[MakeRig]:
    """make_rig(settings): a hall with its own hall.toml behind the door under test."""
    stack = contextlib.ExitStack()
    made = 0

    def make(settings: HallSettings) -> Rig:
        nonlocal made
        made += 1
        pg = request.getfixturevalue("pg") if kind.endswith("postgresql") else None
        sub = tmp_path / f"hall{made}"
        sub.mkdir()
        return stack.enter_context(hall_rig(kind, sub, pg, settings))

    with stack:
        yield make


@pytest.fixture
def rig(make_rig: MakeRig) -> Rig:
    from tests.support.hall_env import sample_hall

    return make_rig(sample_hall())
