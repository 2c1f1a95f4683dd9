"""The screen-stack contract: a screen has on_enter / on_exit / handle / update / draw, and
may be pushed with an `on_result` callback that gets what it returns.

`Screen[R]` is generic in its result, as Textual's `Screen[ResultType]` is: `finish(result)`
takes an R, and `app.push(screen, on_result)` checks that `on_result` takes `R | None` (None:
the screen was closed without a result — 返回, Esc, 首页). A screen that returns nothing is a
`Screen[None]`.

Blocking work runs through `self.run_worker(fn, on_done)`: the worker belongs to this screen
and is cancelled when it leaves the stack (screens/workers.py), so `on_done` never runs for a
screen that has gone.

Screens build their widgets in `layout()`, which runs on enter and again whenever the theme
changes (elder mode) — so a screen never keeps pixel sizes from the old theme.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

import pygame

from screens.input import Key, Pointer
from screens.theme import Theme
from screens.widgets.base import Widget
from screens.workers import Worker

if TYPE_CHECKING:
    from screens.app import App

R = TypeVar("R")
T = TypeVar("T")


class Screen(Generic[R]):
    #: False for dialogs and warnings: the screens below stay visible behind a shade.
    opaque = True
    #: The attract/home screen: the idle timer does not warn about an empty visit here.
    is_home = False
    #: Shows a citizen's personal content (a scan, a card holder): the idle warning covers it
    #: completely instead of shading it (an instance may set it too).
    personal = False

    def __init__(self, app: App) -> None:
        self.app = app
        self.widgets: list[Widget] = []
        self._captured: Widget | None = None

    @property
    def theme(self) -> Theme:
        return self.app.theme

    # ---- life cycle -----------------------------------------------------------------------
    def on_enter(self) -> None:
        self.layout()

    def on_exit(self) -> None:
        self._captured = None

    def on_resume(self) -> None:
        """The screen above was popped: this one shows again."""

    def layout(self) -> None:
        """(Re)build widgets for app.size and app.theme."""

    # ---- events ----------------------------------------------------------------------------
    def handle(self, ev: Pointer | Key | object) -> None:
        if isinstance(ev, Pointer):
            self.handle_pointer(ev)
        elif isinstance(ev, Key):
            self.handle_key(ev)
        else:
            self.on_message(ev)

    def handle_pointer(self, ev: Pointer) -> None:
        target = self._captured
        if ev.kind == "down":
            target = next((w for w in reversed(self.widgets) if w.wants(ev)), None)
            self._captured = target
        if target is None:
            return
        if ev.kind == "up":
            self._captured = None
        if target.handle(ev):
            if ev.kind == "up":
                self.app.invalidate()   # a tap may change anything on the screen
            else:                        # a press or a drag changes only the widget
                self.app.invalidate(target.rect.inflate(self.theme.mm(2), self.theme.mm(2)))

    def handle_key(self, ev: Key) -> None:
        if ev.key == pygame.K_ESCAPE and not self.is_home:
            self.app.pop()

    def on_message(self, message: object) -> None:
        """Something from a worker or device thread (via the app's queue)."""

    def update(self, dt: float) -> bool:
        moving = False
        for w in self.widgets:
            if w.update(dt):
                moving = True
                self.app.invalidate(w.rect)  # scrolling redraws the list, not the screen
        return moving

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.theme.colors.bg)
        self.draw_widgets(surface)

    def draw_widgets(self, surface: pygame.Surface) -> None:
        for w in self.widgets:
            if w.visible:
                w.draw(surface, self.theme)

    def finish(self, result: R | None = None) -> None:
        """Close this screen and hand `result` to whoever pushed it."""
        self.app.dismiss(self, result)

    # ---- workers ---------------------------------------------------------------------------
    def run_worker(self, fn: Callable[[], T], on_done: Callable[[T], None],
                   on_error: Callable[[BaseException], None] | None = None, *,
                   group: str = "default", exclusive: bool = False) -> Worker[T]:
        """Run `fn` on a worker owned by this screen; `on_done(result)` (or `on_error(exc)`)
        runs on the UI thread — unless this screen has left the stack by then. `exclusive`:
        this one replaces the screen's earlier workers of `group` (their results are dropped)."""
        return self.app.run_in_worker(fn, on_done, on_error, owner=self, group=group,
                                      exclusive=exclusive)

    def cancel_workers(self, group: str | None = None) -> None:
        """Drop the results of this screen's workers (of `group`, or all of them)."""
        self.app.workers.cancel_owned(self, group)
