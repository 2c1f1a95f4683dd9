"""What a citizen would call a broken screen, as assertions over one screen's widgets: a
widget off the screen, two widgets on top of each other, a button whose words are cut off
(more lines than it shows, or taller than the button), a button smaller than a fingertip."""

from __future__ import annotations

from typing import Any

import pygame

from screens.chrome import Header
from screens.fonts import fontset
from screens.screen import Screen
from screens.text import wrap
from screens.theme import Theme
from screens.widgets.base import Widget
from screens.widgets.button import Button


def name(w: Widget) -> str:
    return f"{type(w).__name__}({getattr(w, 'label', '')!r})"


def button_text_problems(b: Button, theme: Theme) -> list[str]:
    """The label shows at most two lines and the sublabel one (button.py cuts the rest)."""
    px = b.size or theme.body
    inner = b.rect.width - 2 * theme.gap
    lines = len(wrap(fontset(b.bold), b.label, px, inner))
    bad = [f"{name(b)}: label needs {lines} lines"] if lines > 2 else []
    height = min(lines, 2) * fontset(b.bold).line_height(px)
    if b.sublabel:
        sub_px = max(theme.small, round(px * 0.6))
        if len(wrap(fontset(), b.sublabel, sub_px, inner)) > 1:
            bad.append(f"{name(b)}: sublabel {b.sublabel!r} cut off")
        height += fontset().line_height(sub_px)
    if height > b.rect.height:
        bad.append(f"{name(b)}: text {height} px tall in a {b.rect.height} px button")
    return bad


def layout_problems(screen: Screen[Any], theme: Theme, size: tuple[int, int]) -> list[str]:
    bounds = pygame.Rect((0, 0), size)
    # The header's buttons sit on the header bar on purpose: the bar is left out.
    shown = [w for w in screen.widgets if w.visible and not isinstance(w, Header)]
    bad = [f"{name(w)} off screen at {w.rect}" for w in shown if not bounds.contains(w.rect)]
    for i, a in enumerate(shown):
        bad += [f"{name(a)} overlaps {name(b)}" for b in shown[i + 1:]
                if a.rect.colliderect(b.rect)]
    for w in shown:
        if isinstance(w, Button):
            bad += button_text_problems(w, theme)
            if min(w.rect.size) < theme.target - 1:
                bad.append(f"{name(w)} is {w.rect.size}, under {theme.target} px")
    return bad
