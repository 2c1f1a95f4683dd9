"""Rows for a ScrollView: a title (two lines at most, matched characters highlighted), a
grey line under it and a figure on the right (a count, 最多跑一次 …). Every row has the same
height, so finding the row under a finger is one division even with 10,000 rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pygame

from screens.fonts import fontset
from screens.text import Span, draw_wrapped
from screens.theme import Theme


@dataclass(frozen=True)
class Row:
    title: str
    subtitle: str = ""
    right: str = ""
    data: Any = None
    spans: list[Span] = field(default_factory=list)


class RowList:
    def __init__(self, rows: Sequence[Row], theme: Theme, on_tap: Callable[[Row], None],
                 empty_text: str = "", title_lines: int = 2) -> None:
        self.rows = rows
        self.theme = theme
        self.on_tap = on_tap
        self.empty_text = empty_text
        t = theme
        self.pad = t.mm(3)
        self.title_lh = fontset(True).line_height(t.body)
        self.sub_lh = fontset().line_height(t.small)
        self.row_h = max(t.target, self.pad * 2 + self.title_lh * title_lines + self.sub_lh)
        self.title_lines = title_lines
        self.gap = max(2, t.mm(1))

    def content_height(self) -> int:
        if not self.rows:
            return self.row_h if self.empty_text else 0
        return len(self.rows) * (self.row_h + self.gap)

    def row_at(self, y: int) -> tuple[int, int] | None:
        step = self.row_h + self.gap
        i = y // step
        if y < 0 or i >= len(self.rows) or y - i * step >= self.row_h:
            return None
        return (i * step, self.row_h)

    def tap(self, x: int, y: int) -> None:
        row = self.row_at(y)
        if row is not None:
            self.on_tap(self.rows[row[0] // (self.row_h + self.gap)])

    def draw_content(self, surface: pygame.Surface, top: int, pressed: int | None) -> None:
        t = self.theme
        if not self.rows and self.empty_text:
            draw_wrapped(surface, fontset(), self.empty_text, t.body,
                         pygame.Rect(self.pad, self.pad - top, surface.get_width() - 2 * self.pad,
                                     self.row_h), t.colors.muted)
            return
        step = self.row_h + self.gap
        first = max(0, top // step)
        last = min(len(self.rows), (top + surface.get_height()) // step + 1)
        for i in range(first, last):
            y = i * step - top
            self._draw_row(surface, self.rows[i], y, pressed == i * step)

    def _draw_row(self, surface: pygame.Surface, row: Row, y: int, pressed: bool) -> None:
        t = self.theme
        c = t.colors
        w = surface.get_width()
        rect = pygame.Rect(0, y, w - t.mm(3), self.row_h)
        pygame.draw.rect(surface, c.pressed if pressed else c.surface, rect,
                         border_radius=t.radius)
        right_w = fontset(True).width(row.right, t.small) + self.pad * 2 if row.right else 0
        inner = pygame.Rect(self.pad, y + self.pad, rect.width - 2 * self.pad - right_w,
                            self.row_h - 2 * self.pad)
        used = draw_wrapped(surface, fontset(True), row.title, t.body,
                            pygame.Rect(inner.left, inner.top, inner.width, inner.height),
                            c.text, spans=row.spans, hl=(c.hl_text, c.hl_bg),
                            max_lines=self.title_lines)
        if row.subtitle:
            draw_wrapped(surface, fontset(), row.subtitle, t.small,
                         pygame.Rect(inner.left, inner.top + max(used, self.title_lh),
                                     inner.width, self.sub_lh), c.muted, max_lines=1)
        if row.right:
            fontset(True).draw(surface, rect.right - right_w + self.pad,
                               y + (self.row_h - fontset(True).line_height(t.small)) // 2,
                               row.right, c.accent, t.small)
