from __future__ import annotations

from collections.abc import Iterator

import pytest

from screens.app import App
from tests.ui.helpers import FakeClock, make_app


@pytest.fixture
def ui() -> Iterator[tuple[App, FakeClock]]:
    app, clock = make_app()
    yield app, clock
    app.close()


@pytest.fixture(params=[(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def ui_any(request: pytest.FixtureRequest) -> Iterator[tuple[App, FakeClock]]:
    app, clock = make_app(request.param)
    yield app, clock
    app.close()
