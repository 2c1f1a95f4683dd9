"""The county service's tests run on the session's private PostgreSQL (tests/conftest.py's
`pg`, engineer hall's fixture), each test in a fresh schema of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.hall_env import drop_database, new_database
from tests.support.pg_env import PgServer


@pytest.fixture
def pg_url(pg: PgServer) -> Iterator[str]:
    url = new_database(pg)
    try:
        yield url
    finally:
        drop_database(pg, url)
