"""A rating button with a drawn face (smiling to frowning): recognisable without reading, as
on the evaluators in service halls."""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from screens.theme import Color, Theme
from screens.widgets.button import Button

# Mouth curvature per level (+ smile, − frown) and the face's colour.
MOUTH = {5: 1.0, 4: 0.55, 3: 0.0, 2: -0.55, 1: -1.0}
FACE: dict[int, Color] = {5: (22, 122, 62), 4: (60, 140, 60), 3: (150, 110, 0),
                          2: (186, 84, 0), 1: (176, 32, 32)}


class FaceButton(Button):
    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int], label: str, level: int,
                 on_tap: Callable[[], None], size: int = 0) -> None:
        super().__init__(rect, label, on_tap, style="secondary", size=size)
        self.level = level

    def _render_label(self, surface: pygame.Surface, theme: Theme, r: pygame.Rect,
                      fg: tuple[int, int, int]) -> None:
        face_h = min(r.width - 2 * theme.gap, round(r.height * 0.5))
        face = pygame.Rect(0, 0, face_h, face_h)
        face.midtop = (r.centerx, r.top + round(r.height * 0.08))
        draw_face(surface, face, self.level)
        below = pygame.Rect(r.left, face.bottom, r.width, r.bottom - face.bottom)
        super()._render_label(surface, theme, below, FACE[self.level])


def draw_face(surface: pygame.Surface, rect: pygame.Rect, level: int) -> None:
    colour = FACE[level]
    width = max(3, rect.width // 14)
    pygame.draw.circle(surface, colour, rect.center, rect.width // 2, width)
    eye = max(3, rect.width // 12)
    for dx in (-1, 1):
        pygame.draw.circle(surface, colour, (rect.centerx + dx * rect.width // 5,
                                             rect.top + rect.height * 2 // 5), eye)
    bend = MOUTH[level]
    mw, my = rect.width * 0.5, rect.top + rect.height * 0.66
    points = []
    for i in range(21):
        x = -0.5 + i / 20
        points.append((rect.centerx + x * mw, my + bend * rect.height * 0.12 * math.cos(
            x * math.pi)))
    pygame.draw.lines(surface, colour, False, points, width)
