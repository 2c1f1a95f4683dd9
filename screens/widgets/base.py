"""The widget contract: a rectangle that takes pointer events and draws itself.

`handle` returns True when the widget's look changed (the screen then asks for a redraw).
A widget that takes a "down" captures the pointer: it gets the moves and the "up" even when
the finger leaves it, so a press can be cancelled by sliding off (as on a phone).
"""

from __future__ import annotations

import pygame

from screens.input import Pointer
from screens.theme import Theme


class Widget:
    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int]) -> None:
        self.rect = pygame.Rect(rect)
        self.visible = True

    def wants(self, ev: Pointer) -> bool:
        """Does a "down" at this point belong to this widget?"""
        return self.visible and self.rect.collidepoint(ev.x, ev.y)

    def handle(self, ev: Pointer) -> bool:
        return False

    def update(self, dt: float) -> bool:
        """Advance animations; True while still moving (the app keeps drawing frames)."""
        return False

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        raise NotImplementedError
