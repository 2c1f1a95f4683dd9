"""Drawing helpers shared by the hall display, the window screens and the evaluator: text
fitted to a box, the top band with the hall's name and the time, the "cannot update" banner.

A TV across a hall is read from 5–15 m, so these screens size their big text from the panel's
height, not from the touch theme's points; colours, fonts, margins and the line breaking are
the kiosk's own (screens/theme.py, fonts.py, text.py).
"""

from __future__ import annotations

import datetime as dt

import pygame

from screens.fonts import fontset
from screens.home import now_text
from screens.text import draw_wrapped
from screens.theme import Color, Theme


def fit_px(text: str, px: int, width: int, bold: bool = True) -> int:
    """`px`, or smaller so that `text` fits on one line of `width`."""
    w = fontset(bold).width(text, px)
    return px if w <= width or w == 0 else max(8, int(px * width / w))


def draw_line(surface: pygame.Surface, text: str, px: int, rect: pygame.Rect, color: Color,
              bold: bool = True, align: str = "left") -> int:
    """One line of text, shrunk to fit `rect.width`, vertically centred in `rect`; returns the
    size used."""
    fonts = fontset(bold)
    px = fit_px(text, min(px, int(rect.height / 1.45)), rect.width, bold)
    w = fonts.width(text, px)
    x = {"left": rect.left, "center": rect.centerx - w // 2, "right": rect.right - w}[align]
    fonts.draw(surface, x, rect.centery - fonts.line_height(px) // 2, text, color, px)
    return px


def draw_band(surface: pygame.Surface, theme: Theme, rect: pygame.Rect, title: str,
              now: dt.datetime, px: int) -> None:
    """The top band: the title on the left, the time and date on the right."""
    c = theme.colors
    pygame.draw.rect(surface, c.primary, rect)
    inner = rect.inflate(-2 * theme.margin, 0)
    hhmm, date = now_text(now)
    short = date.split("年", 1)[-1]
    fonts = fontset(True)
    room = inner.width - fonts.width(title, px) - 2 * theme.margin
    right = next((r for r in (f"{date}  {hhmm}", f"{short}  {hhmm}", hhmm)
                  if fonts.width(r, px) <= room), hhmm)
    rw = fonts.width(right, px)
    draw_line(surface, right, px, pygame.Rect(inner.right - rw, rect.top, rw, rect.height),
              c.on_primary, align="right")
    draw_line(surface, title, px, pygame.Rect(inner.left, rect.top,
                                              inner.width - rw - theme.margin, rect.height),
              c.on_primary)


def draw_stale(surface: pygame.Surface, theme: Theme, rect: pygame.Rect, text: str,
               px: int) -> None:
    """The banner a display shows while it cannot reach the hall service."""
    c = theme.colors
    pygame.draw.rect(surface, c.warn_bg, rect)
    pygame.draw.rect(surface, c.warn_text, rect, width=max(2, rect.height // 24))
    draw_line(surface, text, px, rect.inflate(-2 * theme.margin, 0), c.warn_text,
              align="center")


def draw_paragraph(surface: pygame.Surface, text: str, px: int, rect: pygame.Rect,
                   color: Color, bold: bool = False) -> int:
    return draw_wrapped(surface, fontset(bold), text, px, rect, color, center=True)


def card(surface: pygame.Surface, theme: Theme, rect: pygame.Rect, color: Color) -> None:
    pygame.draw.rect(surface, color, rect, border_radius=theme.radius * 2)
