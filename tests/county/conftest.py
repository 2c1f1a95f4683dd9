"""A private PostgreSQL for the county service's tests (one server per session, a fresh
database per test), failing loudly if it cannot start."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from county.service.localpg import PrivatePostgres

_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PrivatePostgres]:
    pg = PrivatePostgres().start()
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture
def pg_url(postgres: PrivatePostgres) -> str:
    return postgres.create_db(f"county_{next(_names)}")
