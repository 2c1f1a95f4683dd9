"""The windows' side of the contract and the event log, through every door: the order of
service (priority, anti-starvation, the window's service order, transfers), one open ticket
per window, 重呼 / 开始 / 过号 / 转移 / 完成 / 暂停, and gap-free events in commit order."""

from __future__ import annotations

import uuid

import pytest

from kiosk.queue.model import EventType, IssueRequest, TicketState, WindowState
from kiosk.queue.store import StoreConflict
from tests.contract.conftest import MakeRig
from tests.support.hall_env import Rig, sample_hall


def rid() -> str:
    return uuid.uuid4().hex


def take(rig: Rig, service: str = "C", **kw: object) -> str:
    t = rig.store.issue(IssueRequest(service=service, request_id=rid(), **kw))  # type: ignore[arg-type]
    return str(rig.store.printed(t.ticket_id, rid()).number)


def serve_one(rig: Rig, window: int, staff: str) -> str:
    t = rig.store.call_next(window, staff, rid())
    rig.store.finish(window, staff, "", rid())
    return str(t.number)


def test_priority_first_then_one_ordinary_after_k_in_a_row(make_rig: MakeRig) -> None:
    rig = make_rig(sample_hall(queue={"priority_run": 2}))
    ordinary = [take(rig) for _ in range(3)]                        # C001-C003
    elders = [take(rig, age=80) for _ in range(4)]                  # C004-C007
    rig.store.login_window(4, "1001")
    called = [serve_one(rig, 4, "1001") for _ in range(7)]
    assert called == [elders[0], elders[1], ordinary[0], elders[2], elders[3], ordinary[1],
                      ordinary[2]]
    assert [t.number for t in rig.store.queue("C")] == []


def test_the_queue_lists_the_order_the_windows_will_call(make_rig: MakeRig) -> None:
    rig = make_rig(sample_hall(queue={"priority_run": 2}))
    for age in (None, None, 75, 75, 75):
        take(rig, age=age)
    predicted = [t.number for t in rig.store.queue("C")]
    rig.store.login_window(4, "1001")
    assert [serve_one(rig, 4, "1001") for _ in range(5)] == predicted


def test_a_window_calls_its_services_in_its_order(rig: Rig) -> None:
    a, c = take(rig, "A", person_hash="PERSONAHASH"), take(rig, "C")
    rig.store.login_window(5, "1001")          # window 5 serves C, then A
    rig.store.login_window(2, "1002")          # window 2 serves A, then C
    assert rig.store.call_next(2, "1002", rid()).number == a
    assert rig.store.call_next(5, "1001", rid()).number == c


def test_a_window_holds_one_ticket(rig: Rig) -> None:
    first, second = take(rig), take(rig)
    rig.store.login_window(4, "1001")
    assert rig.store.call_next(4, "1001", rid()).number == first
    with pytest.raises(StoreConflict) as busy:
        rig.store.call_next(4, "1001", rid())
    assert busy.value.code == "window_busy"
    t = rig.store.call_next(4, "1001", rid(), close_open="done")
    assert t.number == second
    assert rig.store.find(first).state is TicketState.DONE
    assert rig.store.window(4).state is WindowState.SERVING
    assert rig.store.window(4).ticket.number == second


def test_nobody_waiting_and_a_retried_call_acts_once(rig: Rig) -> None:
    rig.store.login_window(4, "1001")
    with pytest.raises(StoreConflict) as empty:
        rig.store.call_next(4, "1001", rid())
    assert empty.value.code == "nobody_waiting"
    take(rig)
    take(rig)
    again = rid()
    one = rig.store.call_next(4, "1001", again)
    two = rig.store.call_next(4, "1001", again)     # a double click, a retry
    assert one == two
    assert rig.store.find("C002").state is TicketState.WAITING
    calls = [e for e in rig.store.events_after(0) if e.type is EventType.CALLED]
    assert len(calls) == 1


def test_only_the_logged_in_staff_acts_and_a_window_has_one_person(rig: Rig) -> None:
    take(rig)
    rig.store.login_window(4, "1001")
    with pytest.raises(StoreConflict) as other:
        rig.store.login_window(4, "1002")
    assert other.value.code in ("window_in_use", "forbidden")
    with pytest.raises(StoreConflict) as twice:
        rig.store.login_window(6, "1001")
    assert twice.value.code == "staff_elsewhere"


def test_recall_counts_calls_and_keeps_its_interval(rig: Rig) -> None:
    take(rig)
    rig.store.login_window(4, "1001")
    rig.store.call_next(4, "1001", rid())
    with pytest.raises(StoreConflict) as soon:
        rig.store.recall(4, "1001", rid())
    assert soon.value.code == "too_soon" and soon.value.info["retry_after_s"] >= 1
    rig.clock.advance(11)
    assert rig.store.recall(4, "1001", rid()).calls == 2
    kinds = [e.type for e in rig.store.events_after(0)]
    assert kinds.count(EventType.RECALLED) == 1


def test_serving_and_finishing_with_the_case_number(rig: Rig) -> None:
    take(rig)
    rig.store.login_window(4, "1001")
    rig.store.call_next(4, "1001", rid())
    rig.clock.advance(30)
    s = rig.store.start(4, "1001", rid())
    assert s.state is TicketState.SERVING
    rig.clock.advance(300)
    d = rig.store.finish(4, "1001", "BJ-2026-0001", rid())
    assert (d.state, d.case_no, d.staff, d.window) == (TicketState.DONE, "BJ-2026-0001",
                                                       "1001", 4)
    assert rig.store.window(4).state is WindowState.OPEN


def test_no_show_goes_back_n_places_then_void(make_rig: MakeRig) -> None:
    rig = make_rig(sample_hall(no_show={"policy": "back", "places": 2, "max_no_shows": 2}))
    numbers = [take(rig) for _ in range(5)]
    rig.store.login_window(4, "1001")
    assert rig.store.call_next(4, "1001", rid()).number == numbers[0]
    back = rig.store.no_show(4, "1001", rid())
    assert back.state is TicketState.NO_SHOW and back.no_shows == 1
    assert [t.number for t in rig.store.queue("C")] == [numbers[1], numbers[2], numbers[0],
                                                         numbers[3], numbers[4]]
    assert [serve_one(rig, 4, "1001") for _ in range(2)] == numbers[1:3]
    assert rig.store.call_next(4, "1001", rid()).number == numbers[0]
    voided = rig.store.no_show(4, "1001", rid())
    assert voided.state is TicketState.VOID and voided.void_reason == "no_show"


def test_no_show_to_the_end(make_rig: MakeRig) -> None:
    rig = make_rig(sample_hall(no_show={"policy": "end", "max_no_shows": 3}))
    numbers = [take(rig) for _ in range(3)]
    rig.store.login_window(4, "1001")
    rig.store.call_next(4, "1001", rid())
    rig.store.no_show(4, "1001", rid())
    assert [t.number for t in rig.store.queue("C")] == [numbers[1], numbers[2], numbers[0]]


def test_transfer_keeps_the_number(rig: Rig) -> None:
    first = take(rig, "C")
    take(rig, "A", person_hash="PERSONAHASH")
    rig.store.login_window(4, "1001")
    rig.store.login_window(1, "1002")
    rig.store.call_next(4, "1001", rid())
    moved = rig.store.transfer(4, "1001", service="A", request_id=rid())
    assert (moved.number, moved.service_prefix, moved.state) == (first, "A",
                                                                 TicketState.TRANSFERRED)
    assert rig.store.call_next(1, "1002", rid()).number == first, "front of the new queue"
    rig.store.finish(1, "1002", "", rid())
    second = take(rig, "C")
    rig.store.call_next(4, "1001", rid())
    to_window = rig.store.transfer(4, "1001", to_window=6, request_id=rid())
    assert to_window.window == 6 and to_window.number == second
    rig.store.login_window(6, "1003")
    assert rig.store.call_next(6, "1003", rid()).number == second


def test_pause_with_a_reason_refuses_calls_until_resumed(rig: Rig) -> None:
    take(rig)
    rig.store.login_window(4, "1001")
    paused = rig.store.pause(4, "1001", "临时离开", rid())
    assert (paused.state, paused.paused_reason) == (WindowState.PAUSED, "临时离开")
    with pytest.raises(StoreConflict) as refused:
        rig.store.call_next(4, "1001", rid())
    assert refused.value.code == "window_paused"
    assert rig.store.resume(4, "1001", rid()).state is WindowState.OPEN
    assert rig.store.call_next(4, "1001", rid()).number == "C001"
    with pytest.raises(StoreConflict):
        rig.store.logout_window(4, "1001", rid())          # still holds C001


def test_events_are_gap_free_in_commit_order_and_name_who(rig: Rig) -> None:
    take(rig)
    rig.store.login_window(4, "1001")
    rig.store.call_next(4, "1001", rid())
    rig.store.start(4, "1001", rid())
    rig.store.finish(4, "1001", "", rid())
    events = rig.store.events_after(0)
    assert [e.id for e in events] == list(range(1, len(events) + 1))
    assert [e.type for e in events] == [EventType.ISSUED, EventType.PRINTED,
                                        EventType.WINDOW_OPENED, EventType.CALLED,
                                        EventType.SERVING, EventType.DONE]
    called = events[3]
    assert (called.window, called.staff, called.number) == (4, "1001", "C001")
    assert called.data["window"] == {"number": 4, "name": "4号窗口"}
    assert called.data["ticket"]["service_name"] == "综合咨询"
    assert called.request_id, "every event names the request that made it"
    assert rig.store.events_after(3) == events[3:]
    assert rig.store.last_event_id() == events[-1].id


def test_the_wait_estimate_uses_open_windows_and_todays_handling(rig: Rig) -> None:
    def rate() -> tuple[float, str, int]:
        v = next(v for v in rig.store.services() if v.prefix == "C")
        return v.minutes_per_ticket, v.estimate_basis, v.open_windows

    assert rate() == (5.0 / 4, "typical/configured", 0)     # C: windows 2, 4, 5, 6
    rig.store.login_window(4, "1001")
    assert rate() == (5.0, "typical/open", 1)
    for _ in range(3):
        take(rig)
        rig.store.call_next(4, "1001", rid())
        rig.store.start(4, "1001", rid())
        rig.clock.advance(120)                               # 2 minutes each, today
        rig.store.finish(4, "1001", "", rid())
    assert rate() == (2.0, "observed/open", 1)
    rig.store.pause(4, "1001", "午休", rid())
    assert rate()[2] == 0, "a paused window does not serve"
