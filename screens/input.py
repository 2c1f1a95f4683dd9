"""Raw SDL events → one stream of Pointer events in panel pixels.

Why: SDL synthesises mouse events from touches, so a finger would otherwise tap twice. We
act on FINGER* events and drop every mouse event whose `touch` attribute is true; a real
mouse (the windowed demo) still works. Only the first finger counts: no gesture needs two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pygame

PointerKind = Literal["down", "move", "up"]


@dataclass(frozen=True)
class Pointer:
    kind: PointerKind
    x: int
    y: int
    t: float                # seconds (monotonic), for momentum and the corner gesture


@dataclass(frozen=True)
class Key:
    """A hardware key (development only: the kiosk has no keyboard)."""

    key: int
    text: str = ""


class InputMapper:
    def __init__(self, size: tuple[int, int], scale: float = 1.0) -> None:
        self.size = size
        self.scale = scale
        self._finger: int | None = None
        self._mouse_down = False

    def map(self, ev: pygame.event.Event, now: float) -> Pointer | Key | None:
        if ev.type in (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP):
            return self._finger_event(ev, now)
        if ev.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if getattr(ev, "touch", False):
                return None  # SDL's copy of a touch we already handled
            return self._mouse_event(ev, now)
        if ev.type == pygame.TEXTINPUT:
            return Key(0, ev.text)
        if ev.type == pygame.KEYDOWN:
            return Key(ev.key, "")
        return None

    def _finger_event(self, ev: pygame.event.Event, now: float) -> Pointer | None:
        x = int(ev.x * self.size[0])
        y = int(ev.y * self.size[1])
        if ev.type == pygame.FINGERDOWN:
            if self._finger is not None:
                return None
            self._finger = ev.finger_id
            return Pointer("down", x, y, now)
        if ev.finger_id != self._finger:
            return None
        if ev.type == pygame.FINGERUP:
            self._finger = None
            return Pointer("up", x, y, now)
        return Pointer("move", x, y, now)

    def _mouse_event(self, ev: pygame.event.Event, now: float) -> Pointer | None:
        x = int(ev.pos[0] / self.scale)
        y = int(ev.pos[1] / self.scale)
        if ev.type == pygame.MOUSEBUTTONDOWN and ev.button == 1:
            self._mouse_down = True
            return Pointer("down", x, y, now)
        if ev.type == pygame.MOUSEBUTTONUP and ev.button == 1 and self._mouse_down:
            self._mouse_down = False
            return Pointer("up", x, y, now)
        if ev.type == pygame.MOUSEMOTION and self._mouse_down:
            return Pointer("move", x, y, now)
        return None
