"""The bar at the top of every screen but home: 返回 (back), the title, 首页 (home).
Kept in one place so every screen puts the way back in the same spot."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from screens.fonts import fontset
from screens.text import draw_wrapped
from screens.theme import Theme
from screens.widgets.base import Widget
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App


class Header(Widget):
    def __init__(self, app: App, title: str, back: bool = True) -> None:
        t = app.theme
        super().__init__((0, 0, app.size[0], t.header_h))
        self.title = title
        bw = fontset(True).width("‹ 返回", t.body) + t.mm(8)
        pad = (t.header_h - t.target) // 2
        self.back = Button((pad, pad, bw, t.target), "‹ 返回", app.pop, style="secondary")
        self.home = Button((app.size[0] - bw - pad, pad, bw, t.target), "首页", app.go_home,
                           style="secondary")
        self.back.visible = back

    def parts(self) -> list[Widget]:
        """The bar and its buttons, in drawing order, for a screen's widget list."""
        return [self, self.back, self.home]

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        pygame.draw.rect(surface, theme.colors.primary, self.rect)
        left = self.back.rect.right + theme.gap
        right = self.home.rect.left - theme.gap
        px = theme.title
        lh = fontset(True).line_height(px)
        draw_wrapped(surface, fontset(True), self.title, px,
                     pygame.Rect(left, self.rect.centery - lh // 2, right - left, lh),
                     theme.colors.on_primary, max_lines=1, center=True)
