"""The idle warning: after `session.idle_timeout_s` without a touch, a countdown of
`session.warning_s` (≥ 20 s, WCAG 2.2.1) with one big 继续使用 button. Any touch continues
the visit; when the count reaches zero the App ends the visit and wipes it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from kiosk.session import IdleState
from screens.fonts import fontset
from screens.screen import Screen
from screens.text import draw_wrapped, text_height
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

MESSAGE = "后回到首页，并清除本次信息。"


class IdleWarning(Screen[None]):
    opaque = False

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self._shown = -1
        self.card = pygame.Rect(0, 0, 0, 0)
        self.shade = pygame.Surface((1, 1), pygame.SRCALPHA)

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        cw = min(w - 2 * t.margin, t.mm(220))
        inner = cw - 2 * t.margin
        ch = (3 * t.margin + fontset(True).line_height(t.title) + fontset(True).line_height(
            t.huge) + text_height(fontset(), MESSAGE, t.body, inner) + t.big_button_h)
        self.card = pygame.Rect((w - cw) // 2, (h - ch) // 2, cw, ch)
        bh = t.big_button_h
        self.widgets = [Button((self.card.left + t.margin, self.card.bottom - t.margin - bh,
                                cw - 2 * t.margin, bh), "继续使用", self._continue,
                               size=t.huge * 2 // 3)]
        self.shade = pygame.Surface((w, h), pygame.SRCALPHA)
        self.shade.fill(t.colors.shade)

    def _continue(self) -> None:
        self.app.session.touch()
        self.finish()

    def seconds(self) -> int:
        return math.ceil(self.app.session.seconds_left())

    def update(self, dt: float) -> bool:
        if self.app.session.idle_state() is IdleState.ACTIVE:
            self.finish()  # the citizen touched the screen: that is "continue" too
            return False
        if self.seconds() != self._shown:
            self.app.invalidate()
        return super().update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        c = t.colors
        surface.blit(self.shade, (0, 0))
        pygame.draw.rect(surface, c.surface, self.card, border_radius=t.radius * 2)
        inner = self.card.inflate(-2 * t.margin, -2 * t.margin)
        self._shown = self.seconds()
        y = inner.top
        y += draw_wrapped(surface, fontset(True), "您还在使用吗？", t.title,
                          pygame.Rect(inner.left, y, inner.width, t.title * 3), c.text,
                          center=True)
        y += draw_wrapped(surface, fontset(True), f"{self._shown} 秒", t.huge,
                          pygame.Rect(inner.left, y, inner.width, t.huge * 2), c.accent,
                          center=True)
        draw_wrapped(surface, fontset(), MESSAGE, t.body,
                     pygame.Rect(inner.left, y, inner.width, t.body * 4), c.text, center=True)
        self.draw_widgets(surface)
