"""A dialog over the current screen: a card with a title, a message and buttons. `Notice`
has one button (知道了); `Confirm` returns True/False to whoever pushed it."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, TypeVar

import pygame

from screens.fonts import fontset
from screens.screen import Screen
from screens.text import draw_wrapped, text_height
from screens.widgets.button import Button, Style

if TYPE_CHECKING:
    from screens.app import App

R = TypeVar("R")


class Dialog(Screen[R]):
    """Buttons are (label, what the dialog returns when it is tapped)."""

    opaque = False

    def __init__(self, app: App, title: str, message: str,
                 buttons: list[tuple[str, R | None]]) -> None:
        super().__init__(app)
        self.title = title
        self.message = message
        self.choices = buttons
        self.card = pygame.Rect(0, 0, 0, 0)
        self.shade = pygame.Surface((1, 1), pygame.SRCALPHA)

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        cw = min(w - 2 * t.margin, t.mm(200))
        inner = cw - 2 * t.margin
        body_h = text_height(fontset(), self.message, t.body, inner)
        title_h = text_height(fontset(True), self.title, t.title, inner)
        ch = t.margin * 3 + title_h + t.gap + body_h + t.big_button_h
        self.card = pygame.Rect((w - cw) // 2, (h - ch) // 2, cw, ch)
        n = len(self.choices)
        bw = (inner - t.gap * (n - 1)) // n
        self.widgets = []
        for i, (label, result) in enumerate(self.choices):
            style: Style = "primary" if i == n - 1 else "secondary"
            rect = (self.card.left + t.margin + i * (bw + t.gap),
                    self.card.bottom - t.margin - t.big_button_h, bw, t.big_button_h)
            self.widgets.append(Button(rect, label, partial(self.finish, result), style=style,
                                       size=t.title))
        self.shade = pygame.Surface((w, h), pygame.SRCALPHA)
        self.shade.fill(t.colors.shade)

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.blit(self.shade, (0, 0))
        pygame.draw.rect(surface, t.colors.surface, self.card, border_radius=t.radius * 2)
        inner = self.card.inflate(-2 * t.margin, -2 * t.margin)
        y = inner.top
        y += draw_wrapped(surface, fontset(True), self.title, t.title,
                          pygame.Rect(inner.left, y, inner.width, inner.height), t.colors.text)
        draw_wrapped(surface, fontset(), self.message, t.body,
                     pygame.Rect(inner.left, y + t.gap, inner.width, inner.height),
                     t.colors.text)
        self.draw_widgets(surface)


class Notice(Dialog[None]):
    def __init__(self, app: App, title: str, message: str) -> None:
        super().__init__(app, title, message, [("知道了", None)])


class Confirm(Dialog[bool]):
    def __init__(self, app: App, title: str, message: str, yes: str = "确定",
                 no: str = "取消") -> None:
        super().__init__(app, title, message, [(no, False), (yes, True)])
