"""A scripted visit through the real UI, headless, saving one PNG per step: what
`kiosk screenshots OUTDIR` runs. Every step is a real touch posted to pygame's event queue,
so the pictures show what a citizen would see after those touches."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import pygame

from kiosk.catalog.catalog import Catalog
from kiosk.config import Config
from kiosk.lookup import Searcher, load_catalog, make_searcher
from screens.app import App
from screens.widgets.base import Widget

ORIENTATIONS = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


class ManualClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Driver:
    """Touches for one App: tap a point or a labelled button, drag, let time pass."""

    def __init__(self, app: App, clock: ManualClock) -> None:
        self.app, self.clock = app, clock

    def _finger(self, kind: int, x: float, y: float) -> None:
        w, h = self.app.size
        pygame.event.post(pygame.event.Event(kind, touch_id=1, finger_id=0, x=x / w, y=y / h,
                                             dx=0.0, dy=0.0, pressure=1.0))

    def frames(self, n: int, dt: float = 1 / 60) -> None:
        for _ in range(n):
            self.clock.now += dt
            self.app.step(0)

    def tap(self, x: float, y: float) -> None:
        self._finger(pygame.FINGERDOWN, x, y)
        self.frames(1)
        self._finger(pygame.FINGERUP, x, y)
        self.frames(2)
        self.settle()

    def settle(self) -> None:
        """Let workers (a search started by a key) finish and their results show."""
        for _ in range(2000):
            if not self.app.busy:
                break
            self.app.step(5)

    def widget(self, label: str) -> Widget:
        for w in self.app.top.widgets:
            if getattr(w, "label", None) == label:
                return w
        raise LookupError(f"no button {label!r} on {type(self.app.top).__name__}")

    def press(self, label: str) -> None:
        self.tap(*self.widget(label).rect.center)

    def drag(self, x: float, y0: float, y1: float, n: int = 8) -> None:
        self._finger(pygame.FINGERDOWN, x, y0)
        self.frames(1)
        for i in range(1, n + 1):
            self._finger(pygame.FINGERMOTION, x, y0 + (y1 - y0) * i / n)
            self.frames(1)
        self._finger(pygame.FINGERUP, x, y1)
        self.frames(1)

    def first_row(self) -> None:
        view = self.app.top.view  # type: ignore[attr-defined]
        self.tap(view.rect.centerx, view.rect.top + 20)


def _initials(name: str, n: int = 2) -> str:
    from pypinyin import Style, lazy_pinyin

    letters = [p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p[:1].isalpha()]
    return "".join(letters[:n]).upper()


def visit(d: Driver, save: Callable[[str], None]) -> None:
    """home → browse → a category → search, empty then typing → guide scrolled → idle warning."""
    save("home")
    d.press("办事指南查询")
    save("browse")
    d.first_row()
    save("category")
    d.press("‹ 返回")
    d.press("查找：输入名称或拼音首字母")
    save("search-empty")
    popular = d.app.catalog.popular(20)
    top = next((s for s in popular if not s.name[0].isascii()), popular[0])
    for ch in _initials(top.name):
        d.press(ch)
    save("search-typing")
    d.first_row()
    view = d.app.top.view  # type: ignore[attr-defined]
    d.drag(view.rect.centerx, view.rect.bottom - 40, view.rect.top + 40)
    d.frames(90)
    save("guide-scrolled")
    d.clock.now += d.app.session.idle_timeout_s + 1   # elder mode: its longer idle time
    d.frames(1)
    d.clock.now += 5.2   # a few seconds into the countdown
    d.frames(1)
    save("idle-warning")


def open_app(cfg: Config, catalog: Catalog, searcher: Searcher, orientation: str, mode: str
             ) -> Driver:
    """An opened headless App on a manual clock, as a citizen finds it: elder mode pressed on
    the home screen when `mode` is "elder". Close it with `driver.app.close()`."""
    w, h = ORIENTATIONS[orientation]
    display = dataclasses.replace(cfg.display, width=w, height=h, elder_mode=False,
                                  fullscreen=False, scale=1.0)
    clock = ManualClock()
    app = App(dataclasses.replace(cfg, display=display), catalog, searcher,
              headless=True, windowed=True, clock=clock)
    app.open()
    d = Driver(app, clock)
    d.frames(1)
    if mode == "elder":
        d.press("长者模式 / 大字")
    return d


def take_screenshots(cfg: Config, outdir: Path,
                     orientations: tuple[str, ...] = ("portrait", "landscape"),
                     modes: tuple[str, ...] = ("normal", "elder")) -> list[Path]:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    outdir.mkdir(parents=True, exist_ok=True)
    # The pictures show what a citizen sees: never the demo's developer "place a card" button.
    cfg = dataclasses.replace(cfg, id_reader=dataclasses.replace(cfg.id_reader, sim_control=""))
    catalog = load_catalog(cfg)
    searcher = make_searcher(catalog, cfg.search.popular)
    written: list[Path] = []
    for orientation in orientations:
        for mode in modes:
            d = open_app(cfg, catalog, searcher, orientation, mode)
            counter = iter(range(1, 100))

            def save(step: str, app: App = d.app, prefix: str = f"{orientation}-{mode}") -> None:
                for _ in range(6):  # long lists fill in over a few frames
                    app.step(0)
                app.draw()
                path = outdir / f"{prefix}-{next(counter):02d}-{step}.png"  # noqa: B023
                pygame.image.save(app.surface, str(path))
                written.append(path)

            try:
                visit(d, save)
            finally:
                d.app.close()
    return written
