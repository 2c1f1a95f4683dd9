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


# ---- what a visit is: each part's lifetime (kiosk/session.py's table) ----------------------

def _full_visit(s: Session) -> Scans:
    s.card = card_record()
    s.elder_mode = True
    s.query = "dibao"
    s.viewed.append("QH-MZ-02")
    scans = Scans()
    s.extra["copy"] = scans
    return scans


def test_forget_card_drops_only_the_card() -> None:
    s = Session(60, 30)
    _full_visit(s)
    s.forget_card()
    assert s.card is None and s.cards_forgotten == 1
    assert s.elder_mode and s.query == "dibao" and s.viewed == ["QH-MZ-02"] and s.extra


def test_home_ends_every_flow_but_keeps_elder_mode_and_viewed() -> None:
    s = Session(60, 30)
    scans = _full_visit(s)
    s.end_flows()
    assert s.card is None
    assert s.extra == {} and scans.pages == []
    assert s.query == ""                    # 首页 starts a fresh search
    assert s.elder_mode and s.viewed == ["QH-MZ-02"]


def test_a_lifted_card_is_forgotten() -> None:
    from devices.id_reader.events import CardReadFailed, CardRemoved

    s = Session(60, 30)
    _full_visit(s)
    card = s.card
    s.device_event(CardReadFailed("timeout"))
    assert s.card is card and card is not None
    s.device_event(CardRemoved())
    assert s.card is None


def test_elder_mode_has_the_longer_idle_time() -> None:
    clock = Clock()
    s = Session(60, 30, clock=clock, elder_idle_timeout_s=150)
    clock.t = 61
    assert s.idle_state() is IdleState.WARNING
    s.elder_mode = True
    assert s.idle_timeout_s == 150 and s.idle_state() is IdleState.ACTIVE
    clock.t = 151
    assert s.idle_state() is IdleState.WARNING
    assert Session(60, 30, elder_idle_timeout_s=30).elder_idle_timeout_s == 60  # never shorter
