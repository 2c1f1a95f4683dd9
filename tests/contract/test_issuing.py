"""The kiosks' side of the contract: numbering, the hall's rules, idempotent requests, settling
a print (printed / verify / void) and recovery — through every door (conftest.py)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import datetime

import pytest

from kiosk.queue.model import IssueRequest, Priority, Refusal, TicketState
from kiosk.queue.owner import current_owner
from kiosk.queue.store import AllocationRefused, BadRequest, StoreConflict
from tests.contract.conftest import MakeRig
from tests.support.hall_env import Rig, sample_hall

HASH = "PERSONHASHAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"


def req(service: str = "C", **kw: object) -> IssueRequest:
    return IssueRequest(service=service, request_id=uuid.uuid4().hex, **kw)  # type: ignore[arg-type]


def issue(rig: Rig, service: str = "C", printed: bool = True, **kw: object):  # type: ignore[no-untyped-def]
    t = rig.store.issue(req(service, **kw))
    return rig.store.printed(t.ticket_id, uuid.uuid4().hex) if printed else t


def test_numbers_count_up_per_prefix_and_are_never_reused(rig: Rig) -> None:
    numbers = [issue(rig).number for _ in range(3)]
    assert numbers == ["C001", "C002", "C003"]
    assert issue(rig, "A", person_hash=HASH).number == "A001"
    rig.store.void(rig.store.find("C003").ticket_id, "staff", uuid.uuid4().hex)
    assert issue(rig).number == "C004", "a voided number is never handed out again"
    assert [t.number for t in rig.store.tickets()] == ["C001", "C002", "C003", "A001", "C004"]


def test_a_retried_request_issues_once_and_answers_the_same(rig: Rig) -> None:
    r = req()
    first = rig.store.issue(r)
    again = rig.store.issue(r)
    assert again.ticket_id == first.ticket_id and again.number == first.number
    assert len(rig.store.tickets()) == 1
    issued = [e for e in rig.store.events_after(0) if e.type.value == "ticket.issued"]
    assert len(issued) == 1, "one action, one event"
    p1 = rig.store.printed(first.ticket_id, "print-once-1")
    p2 = rig.store.printed(first.ticket_id, "print-once-1")
    assert p1 == p2 and p1.state is TicketState.WAITING


def test_what_an_issue_made_is_looked_up_by_its_request_id_without_acting(rig: Rig) -> None:
    r = req()
    assert rig.store.issued_by(r.request_id) is None, "nothing committed with that id"
    made = rig.store.issue(r)
    rig.store.printed(made.ticket_id, uuid.uuid4().hex)
    found = rig.store.issued_by(r.request_id)
    assert found is not None and found.ticket_id == made.ticket_id
    assert found.state is TicketState.WAITING, "as it is now, not as it was issued"
    assert len(rig.store.tickets()) == 1, "a look-up takes no number"


def test_a_request_id_reused_for_another_command_is_refused(rig: Rig) -> None:
    t = rig.store.issue(req())
    rid = uuid.uuid4().hex
    rig.store.printed(t.ticket_id, rid)
    with pytest.raises((StoreConflict, BadRequest)):
        rig.store.void(t.ticket_id, "staff", rid)
    assert rig.store.get(t.ticket_id).state is TicketState.WAITING


def test_refusals_write_nothing_and_use_no_number(make_rig: MakeRig) -> None:
    rig = make_rig(sample_hall(services=[
        {"name": "午间", "prefix": "C", "hours": ["08:30-12:00"], "daily_limit": 2},
        {"name": "社保", "prefix": "A", "requires_id": True, "hours": ["00:00-24:00"],
         "per_person_daily_limit": 2}],
        windows=[{"number": 1, "services": ["A", "C"]}]))
    before = rig.store.last_event_id()
    issue(rig)
    issue(rig)
    with pytest.raises(AllocationRefused) as limit:
        rig.store.issue(req())
    assert limit.value.reason is Refusal.DAILY_LIMIT
    with pytest.raises(AllocationRefused) as card:
        rig.store.issue(req("A"))
    assert card.value.reason is Refusal.NEEDS_CARD
    first = issue(rig, "A", person_hash=HASH)
    with pytest.raises(AllocationRefused) as waiting:
        rig.store.issue(req("A", person_hash=HASH))
    assert waiting.value.reason is Refusal.PERSON_WAITING
    rig.store.void(first.ticket_id, "staff", uuid.uuid4().hex)
    rig.clock.now = rig.clock.now.replace(hour=13)
    with pytest.raises(AllocationRefused) as closed:
        rig.store.issue(req())
    assert closed.value.reason is Refusal.CLOSED
    rig.store.set_service_open("A", False, uuid.uuid4().hex)
    with pytest.raises(AllocationRefused) as paused:
        rig.store.issue(req("A", person_hash=HASH))
    assert paused.value.reason is Refusal.PAUSED
    rig.store.set_service_open("A", None, uuid.uuid4().hex)
    assert issue(rig, "A", person_hash=HASH).number == "A002", "refusals used no number"
    kinds = [e.type.value for e in rig.store.events_after(before)]
    assert kinds.count("ticket.issued") == 4 and "ticket.void" in kinds


def test_the_per_person_daily_limit_counts_served_tickets(make_rig: MakeRig) -> None:
    rig = make_rig(sample_hall(services=[{"name": "社保", "prefix": "A", "requires_id": True,
                                          "hours": ["00:00-24:00"],
                                          "per_person_daily_limit": 1}],
                               windows=[{"number": 1, "services": ["A"]}]))
    issue(rig, "A", person_hash=HASH)
    rig.store.login_window(1, "1001")
    rig.store.call_next(1, "1001", uuid.uuid4().hex)
    rig.store.finish(1, "1001", "", uuid.uuid4().hex)
    with pytest.raises(AllocationRefused) as again:
        rig.store.issue(req("A", person_hash=HASH))
    assert again.value.reason is Refusal.PERSON_DAILY_LIMIT
    assert rig.store.issue(req("A", person_hash="OTHERPERSONHASH")).number == "A002"


def test_priority_comes_from_the_hall_rule_table(rig: Rig) -> None:
    ordinary = issue(rig)
    elder = issue(rig, age=71)
    declared = issue(rig, declared="残疾人")
    young = issue(rig, age=69)
    assert (ordinary.priority, elder.priority, declared.priority, young.priority) == (
        Priority.NONE, Priority.AGE, Priority.DECLARED, Priority.NONE)
    assert elder.declared == "老年人" and declared.declared == "残疾人"
    assert elder.people_ahead == 0, "a priority ticket passes the ordinary ones"
    assert declared.people_ahead == 1
    with pytest.raises(BadRequest):
        rig.store.issue(req(declared="总经理"))
    assert "残疾人" in rig.store.declared_classes()


def test_prefix_mode_gives_priority_tickets_their_own_numbers(make_rig: MakeRig) -> None:
    rig = make_rig(sample_hall(queue={"priority_mode": "prefix", "priority_prefix": "Y"}))
    assert issue(rig, age=80).number == "YC001"
    assert issue(rig).number == "C001"
    view = next(v for v in rig.store.services() if v.prefix == "C")
    assert view.number_prefixes == ("C", "YC")


def test_numbers_run_out_at_999_without_using_one(make_rig: MakeRig) -> None:
    rig = make_rig(sample_hall())
    day = rig.store.day().isoformat()
    rig.backend.transact("seed", lambda tx: tx.run(
        "INSERT INTO sequences (day, number_prefix, last_seq) VALUES (?, 'C', 998)", (day,)))
    assert issue(rig).number == "C999"
    with pytest.raises(AllocationRefused) as out:
        rig.store.issue(req())
    assert out.value.reason is Refusal.NUMBERS_EXHAUSTED
    assert [t.number for t in rig.store.tickets()] == ["C999"]


def test_settling_a_print(rig: Rig) -> None:
    t = rig.store.issue(req())
    assert t.state is TicketState.ISSUING and t.waiting
    v = rig.store.verify(t.ticket_id, "print failed after sending: REC_EMPTY",
                         uuid.uuid4().hex)
    assert v.state is TicketState.VERIFY and v.verify_reason.startswith("print failed")
    assert rig.store.verify(t.ticket_id, "again", uuid.uuid4().hex).verify_reason == \
        v.verify_reason
    w = rig.store.printed(t.ticket_id, uuid.uuid4().hex)
    assert w.state is TicketState.WAITING, "staff saw the slip: it is an ordinary ticket"
    u = rig.store.issue(req())
    voided = rig.store.void(u.ticket_id, "print failed: REC_EMPTY", uuid.uuid4().hex)
    assert voided.state is TicketState.VOID and voided.void_reason == "print failed: REC_EMPTY"
    assert rig.store.void(u.ticket_id, "again", uuid.uuid4().hex).void_reason == \
        voided.void_reason
    with pytest.raises(StoreConflict):
        rig.store.printed(u.ticket_id, uuid.uuid4().hex)


def _dead_owner() -> str:
    out = subprocess.run([sys.executable, "-c", "from kiosk.queue.owner import current_owner;"
                          "print(current_owner())"], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_recovery_keeps_a_slip_that_may_exist_servable(rig: Rig) -> None:
    dead = rig.store.issue(req(owner=_dead_owner()))
    live = rig.store.issue(req(owner=current_owner()))
    settled = rig.store.recover(current_owner() + "x")
    states = {t.ticket_id: t.state for t in rig.store.tickets()}
    assert [t.ticket_id for t in settled] == [dead.ticket_id]
    assert states[live.ticket_id] is TicketState.ISSUING, "a live printer's ticket is kept"
    assert states[dead.ticket_id] is TicketState.VERIFY
    assert rig.store.get(dead.ticket_id).verify_reason == "interrupted"


def test_a_kiosk_restarted_elsewhere_settles_what_it_left(rig: Rig) -> None:
    """The hall cannot look into another machine's processes: a kiosk that comes back with a
    new owner id settles the tickets it (by its enrolled name) left issuing."""
    t = rig.store.issue(req(owner="kiosk-pc/4242/99", kiosk="kiosk-test"))
    assert rig.store.recover("kiosk-pc/4242/99", "kiosk-test") == []   # the same process
    settled = rig.store.recover("kiosk-pc/5151/77", "kiosk-test")
    assert [x.ticket_id for x in settled] == [t.ticket_id]
    assert rig.store.get(t.ticket_id).state is TicketState.VERIFY


def test_the_halls_sweep_settles_an_old_issuing_ticket(rig: Rig) -> None:
    t = rig.store.issue(req(owner="otherhost/123/456"))
    assert rig.backend.recover("", "") == []
    rig.clock.advance(121)
    assert [x.ticket_id for x in rig.backend.recover("", "")] == [t.ticket_id]


def test_reset_voids_the_queue_and_numbering_goes_on(rig: Rig) -> None:
    issue(rig)
    issue(rig)
    voided = rig.store.reset("reset", uuid.uuid4().hex)
    assert sorted(t.number for t in voided) == ["C001", "C002"]
    assert all(t.state is TicketState.VOID for t in rig.store.tickets())
    assert issue(rig).number == "C003"


def test_the_queue_day_starts_at_the_reset_hour(rig: Rig) -> None:
    rig.clock.now = datetime(2026, 11, 24, 3, 59)
    late = issue(rig)
    rig.clock.now = datetime(2026, 11, 24, 4, 0)
    early = issue(rig)
    assert (late.day.isoformat(), late.number) == ("2026-11-23", "C001")
    assert (early.day.isoformat(), early.number) == ("2026-11-24", "C001")


def test_holding_and_the_queue_say_the_place_now(rig: Rig) -> None:
    issue(rig, "A", person_hash="SOMEONEELSEHASH")
    mine = issue(rig, "A", person_hash=HASH)
    held = rig.store.holding("A", HASH)
    assert held is not None and held.number == mine.number and held.people_ahead == 1
    assert rig.store.holding("A", "NOBODYHASH") is None
    assert [t.number for t in rig.store.queue("A")] == ["A001", "A002"]
    assert [t.people_ahead for t in rig.store.queue("A")] == [0, 1]
