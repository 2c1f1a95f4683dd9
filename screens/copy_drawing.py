"""The picture on the scan screens: the scanner's glass seen from above, the corner the card
or page goes into, and the card (photo side or emblem side) or page lying there. Elderly
citizens follow a picture more readily than a sentence about "the top-left corner"."""

from __future__ import annotations

import pygame

from screens.fonts import fontset
from screens.text import draw_wrapped
from screens.theme import Theme

GLASS_MM = (216.0, 297.0)     # an A4 flatbed's glass
CARD_MM = (85.6, 54.0)


def glass_rect(area: pygame.Rect) -> pygame.Rect:
    """The largest glass of the right proportions centred in `area`."""
    scale = min(area.width / GLASS_MM[0], area.height / GLASS_MM[1])
    r = pygame.Rect(0, 0, round(GLASS_MM[0] * scale), round(GLASS_MM[1] * scale))
    r.center = area.center
    return r


def draw_glass(surface: pygame.Surface, theme: Theme, area: pygame.Rect, what: str) -> None:
    """`what`: "front" (photo side down), "back" (emblem side down) or "page"."""
    c = theme.colors
    glass = glass_rect(area)
    frame = max(3, theme.mm(1.5))
    pygame.draw.rect(surface, c.muted, glass.inflate(frame * 4, frame * 4),
                     border_radius=theme.radius)
    pygame.draw.rect(surface, (208, 226, 240), glass)
    scale = glass.width / GLASS_MM[0]
    if what == "page":
        item = pygame.Rect(glass.left, glass.top, round(210 * scale), round(297 * scale * 0.98))
        _page(surface, theme, item)
    else:
        item = pygame.Rect(glass.left, glass.top, round(CARD_MM[0] * scale),
                           round(CARD_MM[1] * scale))
        _card(surface, theme, item, what, glass.width)
    _corner(surface, theme, glass)


def _corner(surface: pygame.Surface, theme: Theme, glass: pygame.Rect) -> None:
    """An accent L on the top-left corner and the words 左上角 pointing at it."""
    c = theme.colors
    arm, w = theme.mm(14), max(4, theme.mm(1.6))
    pygame.draw.line(surface, c.accent, glass.topleft, (glass.left + arm, glass.top), w)
    pygame.draw.line(surface, c.accent, glass.topleft, (glass.left, glass.top + arm), w)
    label = "◤ 对齐左上角"
    lh = fontset(True).line_height(theme.body)
    width = fontset(True).width(label, theme.body) + theme.gap
    box = pygame.Rect(glass.left, glass.top - lh - theme.gap - w, width, lh)
    draw_wrapped(surface, fontset(True), label, theme.body, box, c.accent, max_lines=1)


def _card(surface: pygame.Surface, theme: Theme, card: pygame.Rect, side: str,
          label_w: int) -> None:
    c = theme.colors
    pygame.draw.rect(surface, c.surface, card, border_radius=theme.radius)
    pygame.draw.rect(surface, c.primary, card, width=max(2, theme.mm(0.8)),
                     border_radius=theme.radius)
    if side == "front":   # the photo side: a portrait on the right, lines of text on the left
        photo = pygame.Rect(card.right - card.width // 3, card.top + card.height // 6,
                            card.width // 4, card.height * 2 // 3)
        pygame.draw.rect(surface, c.pressed, photo)
        pygame.draw.circle(surface, c.line, (photo.centerx, photo.top + photo.height // 3),
                           photo.width // 4)
        for i in range(4):
            y = card.top + card.height // 5 + i * card.height // 6
            pygame.draw.line(surface, c.line, (card.left + theme.mm(3), y),
                             (photo.left - theme.mm(3), y), max(2, theme.mm(0.8)))
    else:                 # the emblem side: the emblem on the left, the title beside it
        r = card.height // 4
        pygame.draw.circle(surface, c.accent, (card.left + r * 2, card.top + r * 2), r,
                           width=max(2, theme.mm(0.8)))
        for i in range(2):
            y = card.top + card.height * (3 + i) // 6
            pygame.draw.line(surface, c.line, (card.left + r * 4, y),
                             (card.right - theme.mm(4), y), max(2, theme.mm(0.8)))
    label = "有照片的一面朝下" if side == "front" else "有国徽的一面朝下"
    lh = fontset(True).line_height(theme.small)
    draw_wrapped(surface, fontset(True), label, theme.small,
                 pygame.Rect(card.left + theme.gap, card.bottom + theme.gap,
                             label_w - 2 * theme.gap, lh * 2), c.text, max_lines=2)


def _page(surface: pygame.Surface, theme: Theme, page: pygame.Rect) -> None:
    c = theme.colors
    pygame.draw.rect(surface, c.surface, page)
    pygame.draw.rect(surface, c.primary, page, width=max(2, theme.mm(0.8)))
    step = max(theme.mm(5), page.height // 14)
    for y in range(page.top + step * 2, page.bottom - step, step):
        pygame.draw.line(surface, c.line, (page.left + step, y), (page.right - step, y),
                         max(2, theme.mm(0.6)))
    lh = fontset(True).line_height(theme.body)
    draw_wrapped(surface, fontset(True), "文件正面朝下", theme.body,
                 pygame.Rect(page.left, page.top + step // 2, page.width, lh), c.text,
                 max_lines=1, center=True)
