"""The visit object: idle states from a clock, and a wipe that leaves nothing behind."""

from __future__ import annotations

from kiosk.session import IdleState, Session
from tests.support.cards import card_record


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


class Scans:
    """Another flow's per-visit state with its own wipe (e.g. the copy flow's scans)."""

    def __init__(self) -> None:
        self.pages = ["page-001.png"]

    def wipe(self) -> None:
        self.pages.clear()


def test_idle_states_follow_the_clock() -> None:
    clock = Clock()
    s = Session(60, 30, clock=clock)
    assert s.idle_state() is IdleState.ACTIVE and s.seconds_to_next_state() == 60
    clock.t = 59.9
    assert s.idle_state() is IdleState.ACTIVE
    clock.t = 60
    assert s.idle_state() is IdleState.WARNING and s.seconds_left() == 30
    clock.t = 85
    assert s.seconds_left() == 5 and s.seconds_to_next_state() == 5
    s.touch()
    assert s.idle_state() is IdleState.ACTIVE
    clock.t = 85 + 90
    assert s.idle_state() is IdleState.EXPIRED and s.seconds_left() == 0


def test_end_wipes_everything_and_calls_the_flows_own_wipe() -> None:
    clock = Clock()
    s = Session(60, 30, elder_default=False, clock=clock)
    s.card = card_record()
    scans = Scans()
    s.elder_mode = True
    s.query = "db"
    s.viewed.append("T-0001")
    s.extra["ticket"] = "A007"
    s.extra["copy"] = scans
    assert not s.is_blank()
    s.end()
    assert scans.pages == []
    assert s.card is None and s.query == "" and s.viewed == [] and s.extra == {}
    assert not s.elder_mode and s.is_blank() and s.visits_ended == 1


def test_repr_never_shows_the_card_holder() -> None:
    s = Session(60, 30)
    s.card = card_record()
    text = repr(s) + str(s)
    assert "王" not in text and "1101" not in text and "card=yes" in text


def test_elder_default_survives_the_wipe() -> None:
    s = Session(60, 30, elder_default=True)
    s.elder_mode = False
    s.end()
    assert s.elder_mode
