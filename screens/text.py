"""Wrapped Chinese text: line breaking with the usual Chinese rules, cached per width, and
drawing with highlighted spans (the characters a search matched).

Line breaking (简化的禁则): a line may break between any two Han characters, never inside a
Latin word or number, never before closing punctuation (，。、）…) and never after an opening
one (（《“). Layouts are cached per (text, size, width) because a guide is laid out once and
drawn every frame while it scrolls.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import pygame

from screens.fonts import FontSet

NO_LINE_START = set("，。、；：？！）》」』”’…—·%,.;:?!)]}〕〉】")
NO_LINE_END = set("（《「『“‘([{〔〈【")
Span = tuple[int, int]


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    width: int


def _units(text: str) -> list[tuple[int, int]]:
    """Unbreakable pieces of `text` as (start, end): Latin words and numbers whole, each other
    character alone, closing punctuation glued to what precedes it, opening to what follows."""
    units: list[list[int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        if text[i].isascii() and text[i].isalnum():
            while j < n and text[j].isascii() and (text[j].isalnum() or text[j] in "-_./:@"):
                j += 1
        units.append([i, j])
        i = j
    merged: list[list[int]] = []
    glue_next = False
    for u in units:
        ch = text[u[0]]
        if merged and (glue_next or ch in NO_LINE_START):
            merged[-1][1] = u[1]
        else:
            merged.append(u)
        glue_next = text[u[1] - 1] in NO_LINE_END
    return [(a, b) for a, b in merged]


def wrap(fonts: FontSet, text: str, px: int, width: int) -> list[Line]:
    """Lines of `text` fitting `width` pixels; explicit newlines always break."""
    return list(_wrap_cached(fonts, text, px, max(1, width)))


@functools.lru_cache(maxsize=4096)
def _wrap_cached(fonts: FontSet, text: str, px: int, width: int) -> tuple[Line, ...]:
    lines: list[Line] = []
    offset = 0
    for para in text.split("\n"):
        lines += _wrap_para(fonts, para, offset, px, width)
        offset += len(para) + 1
    return tuple(lines)


def _wrap_para(fonts: FontSet, text: str, offset: int, px: int, width: int) -> list[Line]:
    lines: list[Line] = []
    start, x = 0, 0.0
    for a, b in _units(text):
        w = sum(fonts.advance(ch, px) for ch in text[a:b])
        if x + w > width and a > start:
            lines.append(Line(offset + start, offset + a, round(x)))
            start, x = a, 0.0
        while w > width and b - a > 1:  # a unit wider than the line: cut it by characters
            cut = a + 1
            acc = fonts.advance(text[a], px)
            while cut < b and acc + fonts.advance(text[cut], px) <= width:
                acc += fonts.advance(text[cut], px)
                cut += 1
            lines.append(Line(offset + a, offset + cut, round(acc)))
            a, start = cut, cut
            w = sum(fonts.advance(ch, px) for ch in text[a:b])
        x += w
    lines.append(Line(offset + start, offset + len(text), round(x)))
    return lines


def text_height(fonts: FontSet, text: str, px: int, width: int) -> int:
    return len(wrap(fonts, text, px, width)) * fonts.line_height(px)


def draw_wrapped(surface: pygame.Surface, fonts: FontSet, text: str, px: int,
                 rect: pygame.Rect, color: tuple[int, int, int],
                 spans: list[Span] | None = None,
                 hl: tuple[tuple[int, int, int], tuple[int, int, int]] | None = None,
                 max_lines: int = 0, center: bool = False) -> int:
    """Draw `text` wrapped into rect.width from rect.top; returns the height used.
    `spans` (character ranges) are drawn in hl=(text colour, background colour)."""
    lh = fonts.line_height(px)
    lines = wrap(fonts, text, px, rect.width)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
    y = rect.top
    for line in lines:
        x = rect.left + ((rect.width - line.width) // 2 if center else 0)
        _draw_line(surface, fonts, text, line, x, y, px, color, spans or [], hl)
        y += lh
    return y - rect.top


def _draw_line(surface: pygame.Surface, fonts: FontSet, text: str, line: Line, x: int, y: int,
               px: int, color: tuple[int, int, int], spans: list[Span],
               hl: tuple[tuple[int, int, int], tuple[int, int, int]] | None) -> None:
    if not spans or hl is None:
        fonts.draw(surface, x, y, text[line.start:line.end].rstrip("\n"), color, px)
        return
    cuts = sorted({line.start, line.end, *(max(line.start, min(line.end, v))
                                           for s in spans for v in s)})
    cx: float = x
    lh = fonts.line_height(px)
    for a, b in itertools.pairwise(cuts):
        piece = text[a:b]
        lit = any(s <= a and b <= e for s, e in spans)
        if lit:
            w = fonts.width(piece, px)
            pygame.draw.rect(surface, hl[1], (round(cx), y + lh // 10, w, lh - lh // 5),
                             border_radius=max(2, px // 8))
            cx = fonts.draw(surface, cx, y, piece, hl[0], px)
        else:
            cx = fonts.draw(surface, cx, y, piece, color, px)
