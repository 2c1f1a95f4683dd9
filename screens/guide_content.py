"""A procedure guide laid out as a column of paragraphs for the guide's ScrollView.

The order is what a citizen needs, as the issue lists it: name; how many visits; where, when,
phone; materials (original/copy counts, who issues each, required or not); steps; legal and
promised time limits; fees; which level accepts/reviews/approves; FAQ; the legal basis folded
away (one tap opens it). Layout happens once per (item, width, theme); drawing is per tile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from kiosk.catalog.model import Item, Material, Step
from screens.fonts import fontset
from screens.messages import guide as msg
from screens.text import draw_wrapped, text_height
from screens.theme import Color, Theme

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass
class Para:
    text: str
    px: int
    color: Color
    bold: bool = False
    indent: int = 0
    bg: Color | None = None
    top_pad: int = 0
    bottom_pad: int = 0
    tap: Callable[[], None] | None = None
    top: int = 0
    height: int = 0


class GuideContent:
    def __init__(self, item: Item, theme: Theme, width: int, basis_open: bool = False,
                 on_toggle_basis: Callable[[], None] | None = None, updated: str = "") -> None:
        self.item = item
        self.updated = updated     # the catalog's publication date, YYYY-MM-DD
        self.theme = theme
        self.width = width
        self.basis_open = basis_open
        self.on_toggle_basis = on_toggle_basis
        self.paras = self._build()
        y = 0
        for p in self.paras:
            p.top = y
            fonts = fontset(p.bold)
            p.height = p.top_pad + p.bottom_pad + (
                text_height(fonts, p.text, p.px, self._text_w(p)) if p.text else 0)
            y += p.height
        self._height = y + theme.margin

    def _text_w(self, p: Para) -> int:
        return self.width - p.indent - (self.theme.mm(4) * 2 if p.bg else 0) - self.theme.mm(3)

    # ---- building -------------------------------------------------------------------------
    def _build(self) -> list[Para]:
        it, t = self.item, self.theme
        c = t.colors
        out: list[Para] = [Para(it.name, t.title, c.text, bold=True, bottom_pad=t.gap)]
        out.append(Para(msg.badges(it), t.body, c.accent, bold=True, bottom_pad=t.gap))
        if self.updated:
            out.append(Para(msg.updated(self.updated), t.small, c.muted, bottom_pad=t.gap))
        out += self._section(msg.WHERE_WHEN, msg.where_when(it))
        if it.conditions:
            out += self._section(msg.CONDITIONS, [f"· {x}" for x in it.conditions])
        out += self._heading(msg.materials_heading(len(it.materials)))
        for i, m in enumerate(it.materials, 1):
            out += self._material(i, m)
        out += self._heading(msg.STEPS)
        for s in it.steps:
            out += self._step(s)
        out += self._limits()
        out += self._fees()
        out += self._levels()
        if it.faq:
            out += self._heading(msg.FAQ)
            for q in it.faq:
                out += self._card([(msg.question(q.question), True), (msg.answer(q.answer), False)],
                                  muted_from=2)
        if it.legal_basis:
            out += self._basis()
        return out

    def _heading(self, text: str) -> list[Para]:
        t = self.theme
        return [Para(text, t.title, t.colors.primary, bold=True, top_pad=t.margin,
                     bottom_pad=t.gap)]

    def _section(self, title: str, lines: list[str]) -> list[Para]:
        return self._heading(title) + self._card([(x, False) for x in lines if x],
                                                 muted_from=len(lines))

    def _card(self, lines: list[tuple[str, bool]], muted_from: int = 1) -> list[Para]:
        """Consecutive paragraphs on one white card (padding on the first and last)."""
        t = self.theme
        pad = t.mm(3)
        out = []
        for i, (text, bold) in enumerate(lines):
            color = t.colors.text if i < muted_from or bold else t.colors.muted
            out.append(Para(text, t.body if i < muted_from else t.small, color, bold=bold,
                            bg=t.colors.surface, top_pad=pad if i == 0 else 0,
                            bottom_pad=pad if i == len(lines) - 1 else t.mm(1)))
        out.append(Para("", t.small, t.colors.text, bottom_pad=t.gap))  # space between cards
        return out

    def _material(self, i: int, m: Material) -> list[Para]:
        lines = msg.material_lines(i, m)
        return self._card([(x, j == 0) for j, x in enumerate(lines)], muted_from=2)

    def _step(self, s: Step) -> list[Para]:
        mark = CIRCLED[s.order - 1] if 0 < s.order <= len(CIRCLED) else f"{s.order}."
        lines = msg.step_lines(mark, s)
        return self._card([(x, j == 0) for j, x in enumerate(lines)])

    def _limits(self) -> list[Para]:
        return self._section(msg.LIMITS, msg.limits(self.item))

    def _fees(self) -> list[Para]:
        fees = self.item.fees
        if not fees.charged:
            return self._section(msg.FEES, [msg.NO_FEE])
        lines = []
        for f in fees.items:
            lines.append(msg.fee_line(f.name, f.standard, f.reducible))
        return self._section(msg.FEES, lines or [msg.FEE_ASK])

    def _levels(self) -> list[Para]:
        lv = self.item.levels
        return self._section(msg.LEVELS, msg.levels(lv.accept.zh,
                                                    lv.review.zh if lv.review else "",
                                                    lv.approve.zh if lv.approve else ""))

    def _basis(self) -> list[Para]:
        t = self.theme
        label = msg.BASIS_OPEN if self.basis_open else msg.BASIS_CLOSED
        out = [Para(label, t.title, t.colors.primary, bold=True, top_pad=t.margin,
                    bottom_pad=t.gap, tap=self.on_toggle_basis)]
        if self.basis_open:
            out += self._card([(self.item.legal_basis, False)], muted_from=1)
        return out

    # ---- ScrollContent --------------------------------------------------------------------
    def content_height(self) -> int:
        return self._height

    def _index_at(self, y: int) -> int | None:
        lo, hi = 0, len(self.paras) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            p = self.paras[mid]
            if y < p.top:
                hi = mid - 1
            elif y >= p.top + p.height:
                lo = mid + 1
            else:
                return mid
        return None

    def row_at(self, y: int) -> tuple[int, int] | None:
        i = self._index_at(y)
        if i is None or self.paras[i].tap is None:
            return None
        return (self.paras[i].top, self.paras[i].height)

    def tap(self, x: int, y: int) -> None:
        i = self._index_at(y)
        if i is not None and (fn := self.paras[i].tap) is not None:
            fn()

    def draw_content(self, surface: pygame.Surface, top: int, pressed: int | None) -> None:
        bottom = top + surface.get_height()
        start = self._index_at(max(0, top)) or 0
        for p in self.paras[start:]:
            if p.top >= bottom:
                break
            self._draw_para(surface, p, p.top - top, pressed == p.top)

    def _draw_para(self, surface: pygame.Surface, p: Para, y: int, pressed: bool) -> None:
        t = self.theme
        inset = t.mm(4) if p.bg else 0
        bg = t.colors.pressed if pressed else p.bg
        if bg is not None:
            pygame.draw.rect(surface, bg, (p.indent, y, self.width - p.indent - t.mm(3),
                                           p.height))
        if p.text:
            draw_wrapped(surface, fontset(p.bold), p.text, p.px,
                         pygame.Rect(p.indent + inset, y + p.top_pad, self._text_w(p),
                                     p.height), p.color)
