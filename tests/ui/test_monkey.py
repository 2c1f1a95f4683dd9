"""Monkey test: thousands of random taps and drags over every screen, in both orientations
and both text sizes. No exception may escape, and memory must not keep growing (tracemalloc
compares two equal rounds after a warm-up that fills the layout and glyph caches)."""

from __future__ import annotations

import gc
import random
import tracemalloc
from pathlib import Path

import pygame

from screens.app import App
from screens.browse import BrowseScreen, CategoryScreen
from screens.guide import GuideScreen
from screens.search import SearchScreen
from tests.support.catalogs import MINI_CATALOG
from tests.ui.helpers import FakeClock, make_app, touch_down, touch_move, touch_up

EVENTS_PER_STEP = 12
SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "catalog" / "sample-catalog.json"


def _random_screen(app: App, rng: random.Random) -> None:
    app.end_session() if rng.random() < 0.3 else app.go_home()
    code = rng.choice([s.code for s in app.catalog.summaries()])
    kind = rng.choice(["theme", "life_event", "department"])
    cats = app.catalog.categories(kind)  # type: ignore[arg-type]
    choice = rng.randrange(5)
    if choice == 0:
        app.push(BrowseScreen(app, kind))  # type: ignore[arg-type]
    elif choice == 1 and cats:
        app.push(CategoryScreen(app, kind, rng.choice(cats).name))  # type: ignore[arg-type]
    elif choice == 2:
        app.push(SearchScreen(app))
    elif choice == 3:
        app.push(GuideScreen(app, code))
    else:
        app.set_elder(not app.session.elder_mode)


def _gesture(app: App, clock: FakeClock, rng: random.Random) -> int:
    w, h = app.size
    x, y = rng.uniform(0, w - 1), rng.uniform(0, h - 1)
    touch_down(app, x, y)
    n = 1
    if rng.random() < 0.3:  # a drag
        for _ in range(rng.randint(1, 5)):
            clock.advance(0.016)
            y = min(h - 1, max(0, y + rng.uniform(-400, 400)))
            touch_move(app, x, y)
            n += 1
    touch_up(app, x, y)
    return n + 1


def _round(app: App, clock: FakeClock, rng: random.Random, events: int) -> int:
    sent = 0
    while sent < events:
        if sent % 300 < EVENTS_PER_STEP:
            _random_screen(app, rng)
        batch = 0
        while batch < EVENTS_PER_STEP:
            batch += _gesture(app, clock, rng)
        sent += batch
        clock.advance(rng.choice([0.016, 0.05, 0.3, 2.0]))
        if rng.random() < 0.02:
            clock.advance(app.cfg.session.idle_timeout_s + rng.uniform(0, 40))
        app.step(0)
        for _ in range(rng.randint(0, 2)):   # let momentum and page animations run
            clock.advance(0.016)
            app.step(0)
    return sent


def test_monkey_taps_and_drags_everywhere_without_errors_or_leaks() -> None:
    rng = random.Random(20261123)
    total = 0
    for size in ((1080, 1920), (1920, 1080)):
        app, clock = make_app(size, catalog_path=SAMPLE if SAMPLE.exists() else MINI_CATALOG)
        try:
            total += _round(app, clock, rng, 1200)   # warm-up: caches fill
            tracemalloc.start()
            total += _round(app, clock, rng, 800)
            pygame.event.clear()
            gc.collect()   # live memory, not garbage the collector has not reached yet
            first, _ = tracemalloc.get_traced_memory()
            total += _round(app, clock, rng, 800)
            gc.collect()
            second, _ = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert second - first < 1_000_000, f"{size}: grew {second - first} bytes"
            assert len(app.stack) < 12
        finally:
            app.close()
    assert total >= 5000
