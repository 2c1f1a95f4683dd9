"""Small staff pickers: choose one of a few options, or type a ticket number (letter +
digits). Each returns its choice to whoever pushed it, or None when cancelled."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, TypeVar

import pygame

from screens.chrome import Header
from screens.fonts import fontset
from screens.maint.common import StaffScreen
from screens.text import draw_wrapped
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App


V = TypeVar("V")


class ChoiceScreen(StaffScreen[V]):
    """A column of big buttons, one per option; (label, sublabel, value)."""

    def __init__(self, app: App, title: str, options: list[tuple[str, str, V]],
                 empty_text: str = "没有可选的项目。") -> None:
        super().__init__(app)
        self.title = title
        self.options = options
        self.empty_text = empty_text

    def layout(self) -> None:
        t, (w, _h) = self.theme, self.app.size
        header = Header(self.app, self.title)
        header.back.on_tap = partial(self.finish, None)
        header.home.on_tap = self.leave
        self.widgets = [*header.parts()]
        y = header.rect.bottom + t.margin
        for label, sub, value in self.options:
            self.widgets.append(Button((t.margin, y, w - 2 * t.margin, t.big_button_h), label,
                                       partial(self.finish, value), style="secondary",
                                       sublabel=sub))
            y += t.big_button_h + t.gap
        self.content_top = header.rect.bottom + t.margin

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.colors.bg)
        if not self.options:
            draw_wrapped(surface, fontset(), self.empty_text, t.body,
                         pygame.Rect(t.margin, self.content_top, self.app.size[0] - 2 * t.margin,
                                     t.body * 4), t.colors.text, center=True)
        self.draw_widgets(surface)


class TicketNumberPad(StaffScreen[str]):
    """Type a ticket number such as A007: a service letter, then up to three digits."""

    def __init__(self, app: App, title: str, prefixes: list[str]) -> None:
        super().__init__(app)
        self.title = title
        self.prefixes = prefixes
        self.text = ""

    def layout(self) -> None:
        t, (w, _h) = self.theme, self.app.size
        header = Header(self.app, self.title)
        header.back.on_tap = partial(self.finish, None)
        header.home.on_tap = self.leave
        self.shown_top = header.rect.bottom + t.margin
        top = self.shown_top + fontset(True).line_height(t.huge) + t.margin
        cols = 5
        key = min(t.mm(32), (w - 2 * t.margin - (cols - 1) * t.gap) // cols)
        left = (w - (cols * key + (cols - 1) * t.gap)) // 2
        labels = [*self.prefixes, *"1234567890", "清除", "确定"]
        self.widgets = [*header.parts()]
        for i, label in enumerate(labels):
            r, c = divmod(i, cols)
            rect = (left + c * (key + t.gap), top + r * (key + t.gap), key, key)
            if label == "清除":
                action = self.clear
            elif label == "确定":
                action = self.done
            else:
                action = partial(self.type, label)
            self.widgets.append(Button(rect, label, action,
                                       style="primary" if label == "确定" else "secondary",
                                       size=t.title if len(label) == 1 else t.body))

    def type(self, ch: str) -> None:
        letters = len(self.text) - len(self.text.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        if ch.isalpha():
            # a priority prefix comes first (YA007); a third letter starts over
            self.text = self.text[:letters] + ch if letters == 1 and \
                len(self.text) == 1 else ch
        elif letters and len(self.text) - letters < 3:
            self.text += ch
        self.app.invalidate()

    def clear(self) -> None:
        self.text = ""
        self.app.invalidate()

    def number(self) -> str | None:
        """'A7' → 'A007', 'YA7' → 'YA007'; None until a letter and a digit are typed."""
        digits = self.text.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        letters = self.text[:len(self.text) - len(digits)]
        if not letters or not digits:
            return None
        return f"{letters}{int(digits):03d}"

    def done(self) -> None:
        if self.number() is not None:
            self.finish(self.number())

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.colors.bg)
        shown = self.number() or self.text or "请输入号码，如 A007"
        px = t.huge if self.text else t.body
        draw_wrapped(surface, fontset(True), shown, px,
                     pygame.Rect(t.margin, self.shown_top, self.app.size[0] - 2 * t.margin,
                                 fontset(True).line_height(t.huge)), t.colors.text,
                     max_lines=1, center=True)
        self.draw_widgets(surface)
