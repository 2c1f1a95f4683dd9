"""份数: [－]  2 份  [＋]. Big buttons rather than a keypad: elderly citizens tap, they do not
type, and the range (1 to max_copies) is small. Each end greys out its button."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from screens.fonts import fontset
from screens.input import Pointer
from screens.text import draw_wrapped
from screens.theme import Theme
from screens.widgets.base import Widget
from screens.widgets.button import Button


class Stepper(Widget):
    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int], theme: Theme,
                 most: int, value: int = 1, unit: str = "份",
                 on_change: Callable[[int], None] | None = None) -> None:
        super().__init__(rect)
        self.most = max(1, most)
        self.value = min(max(1, value), self.most)
        self.unit = unit
        self.on_change = on_change
        r = self.rect
        bw = min(r.width // 3, max(theme.target, r.height) * 2)   # wide: easy to hit
        self.minus = Button((r.left, r.top, bw, r.height), "－", lambda: self.step(-1),
                            style="secondary", size=theme.title)
        self.plus = Button((r.right - bw, r.top, bw, r.height), "＋", lambda: self.step(1),
                           style="secondary", size=theme.title)
        self._sync()
        self._captured: Button | None = None

    def step(self, delta: int) -> None:
        value = min(max(1, self.value + delta), self.most)
        if value != self.value:
            self.value = value
            self._sync()
            if self.on_change is not None:
                self.on_change(value)

    def _sync(self) -> None:
        self.minus.enabled = self.value > 1
        self.plus.enabled = self.value < self.most

    @property
    def enabled(self) -> bool:
        return self.minus.enabled or self.plus.enabled

    def set_enabled(self, on: bool) -> None:
        """Locked while printing (the count must not change under a running job)."""
        if on:
            self._sync()
        else:
            self.minus.enabled = self.plus.enabled = False

    def wants(self, ev: Pointer) -> bool:
        return self.visible and (self.minus.wants(ev) or self.plus.wants(ev))

    def handle(self, ev: Pointer) -> bool:
        if ev.kind == "down":
            self._captured = self.minus if self.minus.wants(ev) else self.plus
        target = self._captured
        if target is None:
            return False
        if ev.kind == "up":
            self._captured = None
        return target.handle(ev)

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        self.minus.draw(surface, theme)
        self.plus.draw(surface, theme)
        mid = pygame.Rect(self.minus.rect.right, self.rect.top,
                          self.plus.rect.left - self.minus.rect.right, self.rect.height)
        lh = fontset(True).line_height(theme.title)
        draw_wrapped(surface, fontset(True), f"{self.value} {self.unit}", theme.title,
                     pygame.Rect(mid.left, mid.centery - lh // 2, mid.width, lh),
                     theme.colors.text, max_lines=1, center=True)
