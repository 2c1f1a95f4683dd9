"""The on-screen keyboard: digits, the 26 pinyin letters (QWERTY, as on every phone), 删除 and
清空. Citizens type initials (DB for 低保) or whole pinyin; the search screen turns keys into
queries. Each key is a Button, so each gets its own pressed feedback."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pygame

from screens.theme import Theme
from screens.widgets.button import Button

ROWS = ["1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"]


def keyboard_height(theme: Theme) -> int:
    return len(ROWS) * round(theme.target * 1.15) + (len(ROWS) - 1) * max(2, theme.gap // 2)


def square_keyboard_height(theme: Theme, width: int) -> int:
    """The height at which a keyboard `width` wide has square letter keys."""
    gap = max(2, theme.gap // 2)
    unit = (width - 9 * gap) / 10
    return int(len(ROWS) * unit + (len(ROWS) - 1) * gap)


def make_keyboard(rect: pygame.Rect, theme: Theme, on_char: Callable[[str], None],
                  on_backspace: Callable[[], None], on_clear: Callable[[], None]
                  ) -> list[Button]:
    """Key buttons filling `rect`: 10 key widths per row, keys at least theme.target tall."""
    gap = max(2, theme.gap // 2)
    unit = (rect.width - 9 * gap) / 10
    kh = (rect.height - (len(ROWS) - 1) * gap) // len(ROWS)
    keys: list[Button] = []
    for r, row in enumerate(ROWS):
        y = rect.top + r * (kh + gap)
        indent = (10 - len(row)) * (unit + gap) / 2 if r < 3 else 0.0
        for i, ch in enumerate(row):
            x = rect.left + indent + i * (unit + gap)
            keys.append(Button((round(x), y, round(unit), kh), ch,
                               partial(on_char, ch.lower()), style="secondary",
                               size=theme.title))
        if r == 3:
            x = rect.left + 7 * (unit + gap)
            w = round(1.5 * unit + gap / 2)
            keys.append(Button((round(x), y, w, kh), "删除", on_backspace, style="secondary",
                               size=theme.body))
            keys.append(Button((round(x + w + gap), y, rect.right - round(x + w + gap), kh),
                               "清空", on_clear, style="secondary", size=theme.body))
    return keys
