"""One citizen's visit: what the kiosk knows about the person in front of it, and when they
left. The UI owns one Session; when the visit ends (idle time-out, or 结束) `end()` wipes every
personal field so the next citizen can never see the previous one's data.

No pygame here: the idle rules are pure functions of a clock, so they are testable without a
screen, and the ID-card flow (another issue) stores its record here without touching the UI.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from devices.id_reader.record import IdCardRecord


class IdleState(Enum):
    ACTIVE = "active"        # someone touched the screen recently
    WARNING = "warning"      # the countdown is showing
    EXPIRED = "expired"      # the visit is over: wipe and go back to the attract screen


@dataclass
class _Visit:
    """Everything that belongs to one person; replaced whole by `end()`."""

    elder_mode: bool
    card: IdCardRecord | None = None    # the ID card record (masked wherever it is shown)
    query: str = ""                     # last search text
    viewed: list[str] = field(default_factory=list)   # item codes opened in this visit
    extra: dict[str, Any] = field(default_factory=dict)  # other flows' per-visit state


class Session:
    """The current visit and its idle timer."""

    def __init__(self, idle_timeout_s: float, warning_s: float, elder_default: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_timeout_s = idle_timeout_s
        self.warning_s = warning_s
        self.elder_default = elder_default
        self._clock = clock
        self._visit = _Visit(elder_mode=elder_default)
        self._last_touch = clock()
        self.visits_ended = 0

    def __repr__(self) -> str:
        # Never show the card holder, not even in a traceback.
        return (f"Session(elder_mode={self.elder_mode}, card={'yes' if self.card else 'no'}, "
                f"viewed={len(self._visit.viewed)})")

    # ---- the visit's state ---------------------------------------------------------------
    @property
    def elder_mode(self) -> bool:
        return self._visit.elder_mode

    @elder_mode.setter
    def elder_mode(self, on: bool) -> None:
        self._visit.elder_mode = on

    @property
    def card(self) -> IdCardRecord | None:
        return self._visit.card

    @card.setter
    def card(self, record: IdCardRecord | None) -> None:
        self._visit.card = record

    @property
    def query(self) -> str:
        return self._visit.query

    @query.setter
    def query(self, text: str) -> None:
        self._visit.query = text

    @property
    def viewed(self) -> list[str]:
        return self._visit.viewed

    @property
    def extra(self) -> dict[str, Any]:
        return self._visit.extra

    def is_blank(self) -> bool:
        """True when nothing of this visit would be lost by ending it."""
        return self._visit == _Visit(elder_mode=self.elder_default)

    def end(self) -> None:
        """Wipe the visit. Every per-visit object in `extra` (e.g. the copy flow's scans) gets
        a chance to scrub itself first (its own `wipe()`, if it has one), then every reference
        is dropped — the card record's too (it is immutable: dropping it is the wipe)."""
        for held in self._visit.extra.values():
            wipe = getattr(held, "wipe", None)
            if callable(wipe):
                wipe()
        self._visit.extra.clear()
        self._visit.viewed.clear()
        self._visit = _Visit(elder_mode=self.elder_default)
        self._last_touch = self._clock()
        self.visits_ended += 1

    # ---- idle timer -----------------------------------------------------------------------
    def touch(self) -> None:
        """The citizen did something: restart the idle timer."""
        self._last_touch = self._clock()

    def idle_s(self) -> float:
        return self._clock() - self._last_touch

    def idle_state(self) -> IdleState:
        idle = self.idle_s()
        if idle < self.idle_timeout_s:
            return IdleState.ACTIVE
        if idle < self.idle_timeout_s + self.warning_s:
            return IdleState.WARNING
        return IdleState.EXPIRED

    def seconds_left(self) -> float:
        """Seconds until the visit ends (the countdown the warning shows)."""
        return max(0.0, self.idle_timeout_s + self.warning_s - self.idle_s())

    def seconds_to_next_state(self) -> float:
        """How long the UI may sleep before the idle state can change."""
        idle = self.idle_s()
        if idle < self.idle_timeout_s:
            return self.idle_timeout_s - idle
        return max(0.0, self.idle_timeout_s + self.warning_s - idle)
