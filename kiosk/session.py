"""One citizen's visit: what the kiosk knows about the person in front of it, and when they
left. The UI owns one Session. No pygame here: the idle rules are pure functions of a clock,
and the lifetimes below are plain methods, so both are testable without a screen.

What a visit is (decided here, tested in tests/unit/test_session.py and, through the real
screens, tests/ui/test_visit_wipe.py):

- `card`, the ID card read: serves one flow (the ticket it was read for). Forgotten when
  that flow ends in any way (issued, refused, cancelled, 返回, 首页), when the card is lifted
  off the reader, and when the visit ends. The next ticket asks for the card again.
- `extra`, a flow's personal objects (the copy flow's scans): one flow. Wiped (their own
  `wipe()` first) when the flow closes, on 首页, and when the visit ends.
- `query`, the search text: one search. 首页 starts a fresh search; 返回 keeps it.
- `elder_mode` (大字): the whole visit, across tickets and flows, until the visit ends.
- `viewed`, the guides opened: the whole visit.

The visit ends with 结束办理 (home), or the idle time-out; the idle time is longer in elder mode.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from devices.id_reader.events import CardRemoved
from devices.id_reader.record import IdCardRecord


class IdleState(Enum):
    ACTIVE = "active"        # someone touched the screen recently
    WARNING = "warning"      # the countdown is showing
    EXPIRED = "expired"      # the visit is over: wipe and go back to the attract screen


@dataclass
class _Visit:
    """Everything that belongs to one person; replaced whole by `end()`."""

    elder_mode: bool
    card: IdCardRecord | None = None    # the current flow's card (masked wherever shown)
    query: str = ""                     # the current search's text
    viewed: list[str] = field(default_factory=list)   # item codes opened in this visit
    extra: dict[str, Any] = field(default_factory=dict)  # flows' per-flow personal objects


def _wipe(held: object) -> None:
    wipe = getattr(held, "wipe", None)
    if callable(wipe):
        wipe()


class Session:
    """The current visit and its idle timer."""

    def __init__(self, idle_timeout_s: float, warning_s: float, elder_default: bool = False,
                 clock: Callable[[], float] = time.monotonic,
                 elder_idle_timeout_s: float | None = None) -> None:
        self.normal_idle_timeout_s = idle_timeout_s
        self.elder_idle_timeout_s = (idle_timeout_s if elder_idle_timeout_s is None
                                     else max(idle_timeout_s, elder_idle_timeout_s))
        self.warning_s = warning_s
        self.elder_default = elder_default
        self._clock = clock
        self._visit = _Visit(elder_mode=elder_default)
        self._last_touch = clock()
        self.visits_ended = 0
        self.cards_forgotten = 0
        self.cards_lifted = 0          # CardRemoved events seen: "is that card still there?"

    def __repr__(self) -> str:
        # Never show the card holder, not even in a traceback.
        return (f"Session(elder_mode={self.elder_mode}, card={'yes' if self.card else 'no'}, "
                f"viewed={len(self._visit.viewed)})")

    # ---- the visit's state ---------------------------------------------------------------
    @property
    def idle_timeout_s(self) -> float:
        """Seconds without a touch before the warning: longer in elder mode (a six-item
        material list takes more than a minute to read at 80)."""
        return self.elder_idle_timeout_s if self.elder_mode else self.normal_idle_timeout_s

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

    # ---- lifetimes -----------------------------------------------------------------------
    def forget_card(self) -> None:
        """The flow the card was read for is over (or the card was lifted): drop it."""
        card, self._visit.card = self._visit.card, None
        if card is not None:
            _wipe(card)
            self.cards_forgotten += 1

    def end_flows(self) -> None:
        """首页: every flow is left. The card and the flows' personal objects go, and the
        next search starts empty; elder mode and the guides viewed stay for the visit."""
        self.forget_card()
        for held in list(self._visit.extra.values()):
            _wipe(held)
        self._visit.extra.clear()
        self._visit.query = ""

    def device_event(self, event: object) -> None:
        """Every device event passes here first (the App calls it): a lifted card is gone."""
        if isinstance(event, CardRemoved):
            self.cards_lifted += 1
            self.forget_card()

    def end(self) -> None:
        """Wipe the visit. Every per-visit object in `extra` (e.g. the copy flow's scans) gets
        a chance to scrub itself first (its own `wipe()`, if it has one), then every reference
        is dropped — the card record's too (it is immutable: dropping it is the wipe)."""
        for held in (self._visit.card, *self._visit.extra.values()):
            _wipe(held)
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
