"""The screen-stack contract (architecture.md): a screen has on_enter / on_exit / handle /
update / draw, and may be pushed with an `on_result` callback that gets what it returns.

Screens build their widgets in `layout()`, which runs on enter and again whenever the theme
changes (elder mode) — so a screen never keeps pixel sizes from the old theme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from screens.input import Key, Pointer
from screens.theme import Theme
from screens.widgets.base import Widget

if TYPE_CHECKING:
    from screens.app import App


class Screen:
    #: False for dialogs and warnings: the screens below stay visible behind a shade.
    opaque = True
    #: The attract/home screen: the idle timer does not warn about an empty visit here.
    is_home = False

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
            self.app.invalidate()

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
        if moving:
            self.app.invalidate()
        return moving

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.theme.colors.bg)
        self.draw_widgets(surface)

    def draw_widgets(self, surface: pygame.Surface) -> None:
        for w in self.widgets:
            if w.visible:
                w.draw(surface, self.theme)

    def finish(self, result: Any = None) -> None:
        """Close this screen and hand `result` to whoever pushed it."""
        self.app.pop(result, screen=self)
