"""The hidden gesture that opens maintenance mode: a long press in one corner, then a tap
in the opposite corner soon after. Citizens do not do this by accident; staff can learn it.

Pure logic on (time, x, y) so it is testable without pygame; the UI feeds it presses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Corner(Enum):
    TOP_LEFT = "top_left"
    TOP_RIGHT = "top_right"
    BOTTOM_LEFT = "bottom_left"
    BOTTOM_RIGHT = "bottom_right"


@dataclass(frozen=True)
class GestureSpec:
    first: Corner = Corner.TOP_LEFT
    second: Corner = Corner.BOTTOM_RIGHT
    corner_px: int = 120        # size of each corner's square
    hold_s: float = 3.0         # the first corner is held at least this long
    within_s: float = 5.0       # the second corner follows within this time


class CornerGesture:
    """Feed press/release events; `release()` returns True when the gesture completes."""

    def __init__(self, width: int, height: int, spec: GestureSpec | None = None) -> None:
        self.width, self.height = width, height
        self.spec = spec or GestureSpec()
        self._down: tuple[float, Corner | None] | None = None
        self._armed_at: float | None = None

    def corner_of(self, x: float, y: float) -> Corner | None:
        c = self.spec.corner_px
        left, right = x < c, x >= self.width - c
        top, bottom = y < c, y >= self.height - c
        if top and left:
            return Corner.TOP_LEFT
        if top and right:
            return Corner.TOP_RIGHT
        if bottom and left:
            return Corner.BOTTOM_LEFT
        if bottom and right:
            return Corner.BOTTOM_RIGHT
        return None

    def press(self, t: float, x: float, y: float) -> None:
        self._down = (t, self.corner_of(x, y))

    def release(self, t: float, x: float, y: float) -> bool:
        if self._down is None:
            return False
        t0, corner = self._down
        self._down = None
        if corner is None or corner is not self.corner_of(x, y):
            self._armed_at = None  # a press anywhere else starts over
            return False
        if corner is self.spec.first and t - t0 >= self.spec.hold_s:
            self._armed_at = t
            return False
        armed = self._armed_at
        self._armed_at = None
        return corner is self.spec.second and armed is not None and t - armed <= self.spec.within_s
