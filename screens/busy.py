"""A plain "please wait" card over the current screen while a worker prints or reads. It has
no button on purpose: the job cannot be undone halfway, and a second tap must not start a
second job. The flow that pushed it closes it when the worker reports back."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from screens.fonts import fontset
from screens.screen import Screen
from screens.text import draw_wrapped, text_height

if TYPE_CHECKING:
    from screens.app import App


class Busy(Screen):
    opaque = False

    def __init__(self, app: App, title: str, message: str = "请稍候…") -> None:
        super().__init__(app)
        self.title = title
        self.message = message
        self.card = pygame.Rect(0, 0, 0, 0)

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        cw = min(w - 2 * t.margin, t.mm(200))
        inner = cw - 2 * t.margin
        ch = (t.margin * 3 + text_height(fontset(True), self.title, t.title, inner)
              + text_height(fontset(), self.message, t.body, inner))
        self.card = pygame.Rect((w - cw) // 2, (h - ch) // 2, cw, ch)

    def handle_key(self, ev: object) -> None:
        """Escape does not close it: the job is running."""

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        shade = pygame.Surface(self.app.size, pygame.SRCALPHA)
        shade.fill(t.colors.shade)
        surface.blit(shade, (0, 0))
        pygame.draw.rect(surface, t.colors.surface, self.card, border_radius=t.radius * 2)
        inner = self.card.inflate(-2 * t.margin, -2 * t.margin)
        used = draw_wrapped(surface, fontset(True), self.title, t.title, inner, t.colors.text,
                            center=True)
        draw_wrapped(surface, fontset(), self.message, t.body,
                     pygame.Rect(inner.left, inner.top + used + t.margin, inner.width,
                                 inner.height), t.colors.text, center=True)
