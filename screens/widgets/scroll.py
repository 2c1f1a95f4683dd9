"""A vertical scroll view: drag with the finger, flick for momentum, or page with buttons.

Why tiles: a long guide is thousands of pixels of wrapped text. The view renders its content
into tiles (a few screen-heights of cached surfaces) the first time they show, so scrolling
only blits — the frame time stays flat however long the guide is. A pressed row is drawn over
the tiles on its own, so a tap's feedback shows in the same frame.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Protocol

import pygame

from screens.input import Pointer
from screens.theme import Theme
from screens.widgets.base import Widget

FRICTION = 0.04         # share of the speed left after one second of gliding
MIN_SPEED = 40.0        # px/s below which a glide stops
TILE_MAX_H = 256        # small tiles: one new tile per frame fits well inside 16 ms


class ScrollContent(Protocol):
    def content_height(self) -> int: ...

    def draw_content(self, surface: pygame.Surface, top: int, pressed: int | None) -> None:
        """Draw the content rows that meet [top, top + surface height) onto `surface`
        (its y = 0 is content y = top); the row starting at `pressed` looks pressed."""

    def row_at(self, y: int) -> tuple[int, int] | None:
        """(top, height) of the tappable row at content y, or None."""

    def tap(self, x: int, y: int) -> None: ...


class ScrollView(Widget):
    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int], content: ScrollContent,
                 theme: Theme) -> None:
        super().__init__(rect)
        self.content = content
        self.theme = theme
        self.offset = 0.0
        self.velocity = 0.0
        self.target: float | None = None
        self.slop = theme.mm(3)
        self._tiles: OrderedDict[int, pygame.Surface] = OrderedDict()
        self._tile_h = max(64, min(TILE_MAX_H, self.rect.height // 2))
        # visible tiles plus one screen ahead and one behind
        self._max_tiles = 3 * (self.rect.height // self._tile_h + 2)
        self._last_offset = 0.0
        self._down: tuple[int, float] | None = None   # (y, offset) at the press
        self._samples: list[tuple[float, int]] = []
        self.dragging = False
        self.pressed: int | None = None

    # ---- content --------------------------------------------------------------------------
    def set_content(self, content: ScrollContent, keep_offset: bool = False) -> None:
        self.content = content
        self.reset(keep_offset)

    def reset(self, keep_offset: bool = False) -> None:
        """The content changed: forget cached tiles."""
        self._tiles.clear()
        if not keep_offset:
            self.offset, self.velocity, self.target = 0.0, 0.0, None
        self.offset = self._clamp(self.offset)

    @property
    def max_offset(self) -> float:
        return float(max(0, self.content.content_height() - self.rect.height))

    def _clamp(self, v: float) -> float:
        return min(max(v, 0.0), self.max_offset)

    def page(self, direction: int) -> None:
        """Scroll by most of a screen (the 上一页/下一页 buttons), smoothly."""
        start = self.target if self.target is not None else self.offset
        self.target = self._clamp(start + direction * self.rect.height * 0.85)
        self.velocity = 0.0

    def scroll_to(self, y: float) -> None:
        self.target = self._clamp(y)

    @property
    def at_top(self) -> bool:
        return self.offset <= 0.5

    @property
    def at_bottom(self) -> bool:
        return self.offset >= self.max_offset - 0.5

    # ---- input ------------------------------------------------------------------------------
    def handle(self, ev: Pointer) -> bool:
        if ev.kind == "down":
            self.velocity, self.target = 0.0, None
            self._down = (ev.y, self.offset)
            self._samples = [(ev.t, ev.y)]
            self.dragging = False
            row = self.content.row_at(self._content_y(ev.y))
            self.pressed = row[0] if row else None
            return True
        if self._down is None:
            return False
        if ev.kind == "move":
            return self._drag(ev)
        return self._release(ev)

    def _content_y(self, y: int) -> int:
        return int(y - self.rect.top + self.offset)

    def _drag(self, ev: Pointer) -> bool:
        assert self._down is not None
        y0, off0 = self._down
        if not self.dragging and abs(ev.y - y0) < self.slop:
            return False
        self.dragging = True
        self.pressed = None
        self.offset = self._clamp(off0 - (ev.y - y0))
        self._samples = [s for s in self._samples if ev.t - s[0] < 0.1] + [(ev.t, ev.y)]
        return True

    def _release(self, ev: Pointer) -> bool:
        if self.dragging:
            t0, y0 = self._samples[0]
            dt = ev.t - t0
            self.velocity = -(ev.y - y0) / dt if dt > 0.005 else 0.0
        elif self.pressed is not None and self.rect.collidepoint(ev.x, ev.y):
            self.pressed = None
            self.content.tap(ev.x - self.rect.left, self._content_y(ev.y))
        self._down, self.pressed, self.dragging = None, None, False
        return True

    # ---- animation ----------------------------------------------------------------------------
    def update(self, dt: float) -> bool:
        moving = self._move(dt)
        self._prefetch()
        return moving

    def _prefetch(self) -> None:
        """Render at most one not-yet-cached tile next to the visible ones per turn, in the
        direction of travel, so scrolling into it later costs only a blit."""
        direction = -1 if self.offset < self._last_offset else 1
        self._last_offset = self.offset
        n_tiles = self.content.content_height() // self._tile_h + 1
        first = int(self.offset) // self._tile_h
        last = (int(self.offset) + self.rect.height) // self._tile_h
        ahead = ([last + 1, last + 2, first - 1] if direction > 0
                 else [first - 1, first - 2, last + 1])
        for i in ahead:
            if 0 <= i < n_tiles and i not in self._tiles:
                self._tile(i)
                return

    def _move(self, dt: float) -> bool:
        if self.target is not None:
            step = (self.target - self.offset) * min(1.0, dt * 14)
            self.offset += step
            if abs(self.target - self.offset) < 1:
                self.offset, self.target = self.target, None
            return True
        if self.velocity and self._down is None:
            self.offset += self.velocity * dt
            self.velocity *= math.pow(FRICTION, dt)
            clamped = self._clamp(self.offset)
            if clamped != self.offset or abs(self.velocity) < MIN_SPEED:
                self.velocity = 0.0
            self.offset = clamped
            return True
        return False

    # ---- drawing ------------------------------------------------------------------------------
    def _tile(self, index: int) -> pygame.Surface:
        tile = self._tiles.get(index)
        if tile is None:
            tile = pygame.Surface((self.rect.width, self._tile_h))
            tile.fill(self.theme.colors.bg)
            self.content.draw_content(tile, index * self._tile_h, None)
            self._tiles[index] = tile
            while len(self._tiles) > self._max_tiles:
                self._tiles.popitem(last=False)
        else:
            self._tiles.move_to_end(index)
        return tile

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        old_clip = surface.get_clip()
        surface.set_clip(self.rect)
        off = int(self.offset)
        first = off // self._tile_h
        last = (off + self.rect.height) // self._tile_h
        for i in range(first, last + 1):
            surface.blit(self._tile(i), (self.rect.left, self.rect.top + i * self._tile_h - off))
        if self.pressed is not None:
            self._draw_pressed(surface, off)
        surface.set_clip(old_clip)
        self._draw_bar(surface, theme)

    def _draw_pressed(self, surface: pygame.Surface, off: int) -> None:
        assert self.pressed is not None
        row = self.content.row_at(self.pressed)
        if row is None:
            return
        top, h = row
        tmp = pygame.Surface((self.rect.width, h))
        tmp.fill(self.theme.colors.bg)
        self.content.draw_content(tmp, top, top)
        surface.blit(tmp, (self.rect.left, self.rect.top + top - off))

    def _draw_bar(self, surface: pygame.Surface, theme: Theme) -> None:
        total = self.content.content_height()
        if total <= self.rect.height:
            return
        w = theme.mm(1.5)
        h = max(theme.mm(10), self.rect.height * self.rect.height // total)
        y = self.rect.top + int((self.rect.height - h) * self.offset / self.max_offset)
        pygame.draw.rect(surface, theme.colors.muted,
                         (self.rect.right - w - 2, y, w, h), border_radius=w // 2)
