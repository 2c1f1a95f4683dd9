"""Drive the real UI headless: touches and clicks are posted to pygame's own event queue
(the path SDL's events take) and the App's loop turns once per `step`."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pygame

from kiosk.config import Config, load_config
from kiosk.lookup import catalog_from_file, make_searcher
from screens.actions import Actions
from screens.app import App
from screens.widgets.base import Widget
from screens.widgets.button import Button
from tests.support.catalogs import MINI_CATALOG

REPO = Path(__file__).resolve().parents[2]


class FakeClock:
    """A monotonic clock the test moves by hand, so idle tests never sleep."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def config(size: tuple[int, int] = (1080, 1920), elder: bool = False) -> Config:
    cfg = load_config(REPO / "kiosk.toml")
    display = dataclasses.replace(cfg.display, width=size[0], height=size[1], elder_mode=elder,
                                  fullscreen=False, scale=1.0, touch=True)
    return dataclasses.replace(cfg, display=display)


def make_app(size: tuple[int, int] = (1080, 1920), elder: bool = False,
             actions: Actions | None = None, catalog_path: Path = MINI_CATALOG
             ) -> tuple[App, FakeClock]:
    clock = FakeClock()
    cat = catalog_from_file(catalog_path)
    app = App(config(size, elder), cat, make_searcher(cat), actions, headless=True,
              windowed=True, clock=clock)
    app.open()
    app.step(0)
    return app, clock


def _finger(kind: int, app: App, x: float, y: float, finger: int = 0) -> None:
    w, h = app.size
    pygame.event.post(pygame.event.Event(kind, touch_id=1, finger_id=finger, x=x / w, y=y / h,
                                         dx=0.0, dy=0.0, pressure=1.0))


def touch_down(app: App, x: float, y: float) -> None:
    _finger(pygame.FINGERDOWN, app, x, y)


def touch_move(app: App, x: float, y: float) -> None:
    _finger(pygame.FINGERMOTION, app, x, y)


def touch_up(app: App, x: float, y: float) -> None:
    _finger(pygame.FINGERUP, app, x, y)


def settle(app: App, timeout_s: float = 10.0) -> None:
    """Turn the loop until no worker runs (e.g. a search started by a key)."""
    deadline = time.monotonic() + timeout_s
    while app.busy and time.monotonic() < deadline:
        app.step(2)
    assert not app.busy, "a worker did not finish"


def tap(app: App, x: float, y: float, steps: int = 1) -> None:
    """A finger tap, exactly as SDL reports it: the loop sees down, draws, then up."""
    touch_down(app, x, y)
    app.step(0)
    touch_up(app, x, y)
    for _ in range(steps):
        app.step(0)
    settle(app)


def tap_widget(app: App, w: Widget) -> None:
    tap(app, *w.rect.center)


def drag(app: App, x: float, y0: float, y1: float, clock: FakeClock, n: int = 6,
         dt: float = 0.016) -> None:
    """A finger drag from y0 to y1 in n moves, dt seconds apart."""
    touch_down(app, x, y0)
    app.step(0)
    for i in range(1, n + 1):
        clock.advance(dt)
        touch_move(app, x, y0 + (y1 - y0) * i / n)
        app.step(0)
    clock.advance(dt)
    touch_up(app, x, y1)
    app.step(0)


def run_frames(app: App, clock: FakeClock, n: int, dt: float = 0.016) -> None:
    for _ in range(n):
        clock.advance(dt)
        app.step(0)


def on_top(app: App, screen: object) -> bool:
    """`app.top is screen`, without narrowing `screen` to Screen[Any] for mypy (an `is` with
    the generic top would make `screen.anything` an error after it)."""
    return app.top is screen


def buttons_labelled(app: App, label: str) -> Iterator[Button]:
    for w in app.top.widgets:
        if isinstance(w, Button) and w.label == label:
            yield w


def button(app: App, label: str) -> Button:
    found = list(buttons_labelled(app, label))
    assert found, f"no button {label!r} on {type(app.top).__name__}: " + ", ".join(
        str(getattr(w, "label", "")) for w in app.top.widgets if getattr(w, "label", ""))
    return found[0]
