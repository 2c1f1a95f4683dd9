"""The display's model of the hall: fed by a snapshot and events, honest when the link is down,
and deciding which calls are spoken (once, and only while they are news)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from kiosk.calls.board import Board
from kiosk.calls.events import parse_event
from kiosk.calls.feed import sse_messages
from kiosk.calls.follow import Follower
from kiosk.speech.announcer import AnnouncementQueue

TZ = timezone(timedelta(hours=8))
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=TZ)


class Clock:
    def __init__(self) -> None:
        self.now = NOON

    def __call__(self) -> datetime:
        return self.now


def snapshot(**extra: Any) -> dict[str, Any]:
    return {"hall": "清河镇便民服务中心", "last_event_id": 10,
            "windows": [{"number": 1, "name": "1号窗口", "state": "open", "services": ["A"]},
                        {"number": 3, "name": "3号窗口", "state": "paused", "reason": "午休"}],
            "services": [{"prefix": "A", "name": "社保医保", "waiting": 4},
                         {"prefix": "B", "name": "民政救助", "waiting": 0}],
            "recent_calls": [{"event_id": 9, "number": "A003", "window": 1}], **extra}


def called(eid: int, number: str, window: int, at: datetime = NOON, recall: bool = False,
           **extra: Any) -> Any:
    return parse_event({"id": eid, "type": "ticket.recalled" if recall else "ticket.called",
                        "at": at.isoformat(), "ticket": {"id": f"t-{number}", "number": number,
                                                         "service": number[0]},
                        "window": {"number": window, "name": f"{window}号窗口"}, **extra})


def follower(clock: Clock) -> tuple[Follower, AnnouncementQueue]:
    q = AnnouncementQueue()
    return Follower(Board(), q, speak_max_age_s=30, wall_clock=clock), q


def test_a_board_that_never_heard_from_the_service_shows_no_counts() -> None:
    board = Board()
    assert not board.known and board.total_waiting() is None
    board.link_lost(NOON)
    assert board.stale_text == "叫号信息暂时无法更新（12:00）"


def test_snapshot_then_events_in_order() -> None:
    clock = Clock()
    f, q = follower(clock)
    f.snapshot(snapshot())
    b = f.board
    assert b.known and b.live and b.last_event_id == 10 and b.total_waiting() == 4
    assert q.pending() == []                 # calls in the snapshot are old news
    f.event(called(11, "A004", 1, waiting={"A": 3}))
    assert b.calls[0].number == "A004" and b.windows[1].current is not None
    assert b.services["A"].waiting == 3
    f.event(called(11, "A004", 1))           # replayed after a reconnect: nothing changes
    assert len(q.pending()) == 1
    f.event(parse_event({"id": 12, "type": "ticket.serving", "ticket": {"id": "t-A004",
                         "number": "A004"}, "window": {"number": 1}}))
    assert "t-A004" in b.serving
    f.event(parse_event({"id": 13, "type": "ticket.done", "staff": "1023", "ticket": {
        "id": "t-A004", "number": "A004"}, "window": {"number": 1}}))
    assert b.windows[1].current is None and b.finished[1].ticket.number == "A004"
    assert b.finished[1].staff == "1023"
    f.event(parse_event({"id": 14, "type": "window.resumed", "window": {"number": 3}}))
    assert b.windows[3].state == "open" and b.windows[3].reason == ""
    f.event(parse_event({"id": 15, "type": "window.paused", "reason": "临时离开",
                         "window": {"number": 1}}))
    assert b.windows[1].state == "paused" and b.windows[1].reason == "临时离开"
    f.event(parse_event({"id": 16, "type": "something.new", "window": {"number": 1}}))
    assert b.last_event_id == 16


def test_the_newest_call_per_window_for_the_big_panel() -> None:
    f, _ = follower(Clock())
    f.snapshot(snapshot(recent_calls=[]))
    for eid, (number, window) in enumerate([("A001", 1), ("B001", 2), ("A002", 1)], 11):
        f.event(called(eid, number, window))
    assert [c.number for c in f.board.newest_per_window(3)] == ["A002", "B001"]
    assert [c.number for c in f.board.calls] == ["A002", "B001", "A001"]


def test_a_recall_is_spoken_again_and_says_so() -> None:
    f, q = follower(Clock())
    f.snapshot(snapshot())
    f.event(called(11, "A004", 1))
    f.event(called(12, "A004", 1, recall=True))
    items = q.pending()
    assert len(items) == 1 and items[0].call is not None and items[0].call.recall
    assert f.board.calls[0].recall and len([c for c in f.board.calls if c.number == "A004"]) == 1


def test_old_calls_replayed_after_an_outage_are_shown_but_not_spoken() -> None:
    clock = Clock()
    f, q = follower(clock)
    f.snapshot(snapshot())
    f.lost()
    assert f.board.stale_text == "叫号信息暂时无法更新（12:00）"
    assert f.board.services["A"].waiting == 4          # the last state stays, never "0 人"
    clock.now = NOON + timedelta(minutes=5)
    f.event(called(11, "A004", 1, at=NOON + timedelta(minutes=1)))    # 4 minutes old
    f.event(called(12, "A005", 2, at=NOON + timedelta(minutes=4, seconds=50)))  # 10 s old
    assert f.board.live and f.board.stale_text == ""
    assert [a.call.number for a in q.pending() if a.call] == ["A005"]
    assert f.board.calls[0].number == "A005" and f.board.calls[1].number == "A004"
    assert (f.spoken_keys, f.quiet_keys) == (1, 1)


def test_age_is_judged_on_the_service_clock() -> None:
    """The display PC's clock is 2 minutes slow; the keep-alives tell it the service's time."""
    clock = Clock()
    f, q = follower(clock)
    f.snapshot(snapshot(now=(NOON + timedelta(minutes=2)).isoformat()))
    f.event(called(11, "A004", 1, at=NOON + timedelta(minutes=2)))
    assert len(q.pending()) == 1


def test_sse_parsing() -> None:
    lines = iter([": keep-alive", "id: 5", "event: ticket.called", 'data: {"a":', "data: 1}",
                  "", "event: ping", 'data: {"now": "x"}', "", ""])
    msgs = list(sse_messages(lines))
    assert msgs[0] is None
    assert msgs[1] is not None and (msgs[1].id, msgs[1].event, msgs[1].data) == (
        "5", "ticket.called", '{"a":\n1}')
    assert msgs[2] is not None and msgs[2].event == "ping"
    assert len(msgs) == 3


def test_flat_events_as_the_log_stores_them() -> None:
    ev = parse_event({"id": 3, "type": "ticket.recalled", "at": NOON.isoformat(),
                      "ticket_id": "t1", "number": "A001", "service": "A", "window": 4,
                      "staff": "1023", "data": {"calls": 2, "waiting": {"A": 5}}})
    assert ev.ticket is not None and (ev.ticket.id, ev.ticket.number, ev.ticket.calls) == (
        "t1", "A001", 2)
    assert ev.window is not None and (ev.window.number, ev.window.name) == (4, "4号窗口")
    assert ev.recall and ev.data["waiting"] == {"A": 5} and ev.data["staff"] == "1023"


def test_the_hall_services_snapshot_shape() -> None:
    """/api/state as hall/api.py builds it: windows with `ticket`, services with `is_open`,
    recent calls as flat event rows, oldest first."""
    b = Board()
    b.load_snapshot({"last_event_id": 20, "hall": "清河镇", "windows": [
        {"number": 2, "name": "2号窗口", "services": ["A"], "state": "serving",
         "paused_reason": "", "staff": "1001",
         "ticket": {"ticket_id": "t9", "number": "A009", "service_prefix": "A",
                    "state": "serving"}}],
        "services": [{"prefix": "A", "name": "社保医保", "is_open": False, "waiting": 2}],
        "recent_calls": [
            {"id": 5, "type": "ticket.called", "number": "A008", "window": 1, "at": None},
            {"id": 7, "type": "ticket.called", "number": "A009", "window": 2},
            {"id": 9, "type": "ticket.recalled", "number": "A009", "window": 2}]}, NOON)
    w = b.windows[2]
    assert w.current is not None and (w.current.id, w.current.service) == ("t9", "A")
    assert "t9" in b.serving and w.staff == "1001"
    assert not b.services["A"].open and b.services["A"].waiting == 2
    assert [(c.event_id, c.number, c.recall) for c in b.calls] == [(9, "A009", True),
                                                                  (5, "A008", False)]
