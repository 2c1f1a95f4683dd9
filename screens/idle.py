"""The idle warning: after `session.idle_timeout_s` without a touch, a countdown of
`session.warning_s` (≥ 20 s, WCAG 2.2.1) with one big 继续使用 button. Any touch continues
the visit; when the count reaches zero the App ends the visit and wipes it. Personal content
below (a copy preview, a card holder's name) is covered, not shaded: the next person walking up
must not read it during the countdown."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from kiosk.session import IdleState
from screens.fonts import fontset
from screens.messages import visit as msg
from screens.screen import Screen
from screens.text import draw_wrapped, text_height
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

MESSAGE = msg.IDLE_MESSAGE


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
                                cw - 2 * t.margin, bh), msg.IDLE_CONTINUE, self._continue,
                               size=t.huge * 2 // 3)]
        self.shade = pygame.Surface((w, h), pygame.SRCALPHA)
        self.shade.fill(t.colors.shade)

    def covers_personal(self) -> bool:
        """A screen under the warning shows personal content: cover it, do not shade it."""
        return any(s.personal for s, _ in self.app.stack if s is not self)

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
        if self.covers_personal():
            surface.fill(c.bg)                 # a scan or a card holder: not readable behind
            draw_wrapped(surface, fontset(), msg.IDLE_HIDDEN, t.body,
                         pygame.Rect(t.margin, t.margin, self.app.size[0] - 2 * t.margin,
                                     t.body * 3), c.muted, center=True)
        else:
            surface.blit(self.shade, (0, 0))
        pygame.draw.rect(surface, c.surface, self.card, border_radius=t.radius * 2)
        inner = self.card.inflate(-2 * t.margin, -2 * t.margin)
        self._shown = self.seconds()
        y = inner.top
        y += draw_wrapped(surface, fontset(True), msg.IDLE_ASK, t.title,
                          pygame.Rect(inner.left, y, inner.width, t.title * 3), c.text,
                          center=True)
        y += draw_wrapped(surface, fontset(True), msg.idle_seconds(self._shown), t.huge,
                          pygame.Rect(inner.left, y, inner.width, t.huge * 2), c.accent,
                          center=True)
        draw_wrapped(surface, fontset(), MESSAGE, t.body,
                     pygame.Rect(inner.left, y, inner.width, t.body * 4), c.text, center=True)
        self.draw_widgets(surface)
