"""A touch button. The pressed look is set on "down" and drawn in the same frame, so a tap
shows feedback at once; the action runs on "up" inside the button (slide off to cancel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import pygame

from screens.fonts import fontset
from screens.input import Pointer
from screens.text import draw_wrapped, wrap
from screens.theme import Theme
from screens.widgets.base import Widget

Style = Literal["primary", "secondary", "flat"]


class Button(Widget):
    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int], label: str,
                 on_tap: Callable[[], None], style: Style = "primary", size: int = 0,
                 sublabel: str = "", bold: bool = True) -> None:
        super().__init__(rect)
        self.label = label
        self.sublabel = sublabel
        self.on_tap = on_tap
        self.style = style
        self.size = size          # text px; 0: the theme's body size
        self.bold = bold
        self.pressed = False
        self.enabled = True
        self.selected = False     # a tab or a switch that is on
        self.taps = 0
        self._face: tuple[tuple[object, ...], pygame.Surface] | None = None

    def wants(self, ev: Pointer) -> bool:
        return self.enabled and super().wants(ev)

    def handle(self, ev: Pointer) -> bool:
        inside = self.rect.collidepoint(ev.x, ev.y)
        was = self.pressed
        if ev.kind == "down":
            self.pressed = True
        elif ev.kind == "move":
            self.pressed = inside
        elif ev.kind == "up":
            self.pressed = False
            if inside:
                self.taps += 1
                self.on_tap()
                return True
        return self.pressed != was

    def colors(self, theme: Theme) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        c = theme.colors
        if not self.enabled:
            return c.bg, c.muted
        if self.style == "primary" or self.selected:
            return (c.primary_pressed if self.pressed else c.primary), c.on_primary
        if self.style == "secondary":
            return (c.pressed if self.pressed else c.surface), c.primary
        return (c.pressed if self.pressed else c.bg), c.primary

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        """Blit the button's face, rendered once per look (style, state, label, size): a
        keyboard is 40 buttons redrawn on every key press, and rounded rectangles and
        freetype cost far more than one blit each."""
        bg, fg = self.colors(theme)
        key = (self.label, self.sublabel, bg, fg, self.style, self.enabled, self.pressed,
               self.rect.size, self.size or theme.body, theme.small, theme.gap, theme.radius,
               self.bold)
        if self._face is None or self._face[0] != key:
            face = pygame.Surface(self.rect.size, pygame.SRCALPHA)
            self._paint(face, theme, face.get_rect(), bg, fg)
            self._face = (key, face)
        sink = theme.mm(0.6) if self.pressed else 0  # a pressed button sinks a little
        surface.blit(self._face[1], (self.rect.left, self.rect.top + sink))

    def _paint(self, face: pygame.Surface, theme: Theme, r: pygame.Rect,
               bg: tuple[int, int, int], fg: tuple[int, int, int]) -> None:
        if self.style != "flat" or self.pressed:
            pygame.draw.rect(face, bg, r, border_radius=theme.radius)
        if self.style == "secondary" or not self.enabled:
            edge = theme.colors.primary if self.enabled else theme.colors.line
            pygame.draw.rect(face, edge, r, width=max(2, theme.mm(0.5)),
                             border_radius=theme.radius)
        self._render_label(face, theme, r, fg)

    def _render_label(self, surface: pygame.Surface, theme: Theme, r: pygame.Rect,
                      fg: tuple[int, int, int]) -> None:
        fonts = fontset(self.bold)
        px = self.size or theme.body
        inner = r.inflate(-theme.gap * 2, 0)
        lh = fonts.line_height(px)
        sub_px = max(theme.small, round(px * 0.6)) if self.sublabel else 0
        n = min(2, len(wrap(fonts, self.label, px, inner.width)))
        sub_h = fontset().line_height(sub_px) if self.sublabel else 0
        h = n * lh + sub_h
        top = r.centery - h // 2
        draw_wrapped(surface, fonts, self.label, px, pygame.Rect(inner.left, top, inner.width, h),
                     fg, max_lines=2, center=True)
        if self.sublabel:
            draw_wrapped(surface, fontset(), self.sublabel, sub_px,
                         pygame.Rect(inner.left, top + n * lh, inner.width, sub_h), fg,
                         max_lines=1, center=True)
