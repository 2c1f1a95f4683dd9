"""The kiosk's QueueService on a real SQLite hall store: what it sends, what it prints, how a
print settles the ticket (printed / verify / void), double taps, reprints, staff actions.
The hall's rules themselves are tested once for every store in tests/contract. The printer is
the FakePrinter of tests/queue_support."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from devices.outcome import JobOutcome
from kiosk.config import Config
from kiosk.errors import QueueError
from kiosk.queue.identity import CardInfo
from kiosk.queue.model import IssueRequest, Priority, Refusal, TicketState
from kiosk.queue.service import IssueStatus, QueueService
from kiosk.queue.waittime import wait_text
from kiosk.receipts.ticket import TicketSlip
from tests.queue_support import (
    PAPER_OUT,
    Clock,
    FakePrinter,
    make_config,
    make_service,
    make_store,
)

MORNING = datetime(2026, 11, 23, 9, 0)


def card(id_number: str = "110105196001011234", birth: date = date(1960, 1, 1),
         name: str = "王*明") -> CardInfo:
    return CardInfo(id_number=id_number, birth_date=birth, masked_name=name)


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def clock() -> Clock:
    return Clock(MORNING)


@pytest.fixture
def printer() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def queue(cfg: Config, clock: Clock, printer: FakePrinter) -> Iterator[QueueService]:
    svc = make_service(cfg, clock, printer)
    yield svc
    svc.close()


def numbers(q: QueueService) -> list[str]:
    return [t.number for t in q.list_today()]


# -- issuing ---------------------------------------------------------------------------------


def test_numbers_count_up_and_the_slip_says_where_and_how_long(queue: QueueService,
                                                               printer: FakePrinter) -> None:
    first = queue.take("C")
    second = queue.take("综合咨询")
    assert (first.status, second.status) == (IssueStatus.ISSUED, IssueStatus.ISSUED)
    assert numbers(queue) == ["C001", "C002"]
    assert [t.state for t in queue.list_today()] == [TicketState.WAITING] * 2
    slip = printer.slips[-1]
    assert (slip.number, slip.service_name, slip.people_ahead) == ("C002", "综合咨询", 1)
    assert slip.counters == ("5号窗口",) and slip.wait_text == wait_text(1, 5.0)
    assert first.message == "请取走您的号票。"


def test_service_by_letter_or_name_and_unknown_service_named(queue: QueueService) -> None:
    assert queue.service("a").name == "社保医保"
    assert queue.service("综合咨询").prefix == "C"
    with pytest.raises(QueueError, match="no service 'Z'; expected one of: A 社保医保, C 综合咨询"):
        queue.take("Z")


def test_the_overview_comes_from_the_hall(queue: QueueService) -> None:
    queue.take("C")
    rows = {s.prefix: s for s in queue.overview()}
    assert rows["C"].waiting == 1 and rows["C"].available
    assert rows["C"].wait_text == wait_text(1, 5.0) == "约 5 分钟以内"
    assert rows["A"].requires_id and rows["A"].where == "一楼东侧等候区"
    queue.set_service_open("C", False)
    rows = {s.prefix: s for s in queue.overview()}
    assert not rows["C"].available and rows["C"].note == "今日暂停取号"
    assert queue.overrides() == {"C": False}
    refused = queue.take("C")
    assert refused.status is IssueStatus.REFUSED and refused.refusal is Refusal.PAUSED
    assert refused.message == "综合咨询今天暂停取号，请咨询大厅工作人员。"


def test_closed_by_hours_says_the_hours(tmp_path: Path, clock: Clock) -> None:
    cfg = make_config(tmp_path, [{"name": "农业", "prefix": "D", "counters": ["4号窗口"],
                                  "hours": ["08:30-12:00"]}])
    clock.now = clock.now.replace(hour=13)
    q = make_service(cfg, clock)
    r = q.take("D")
    assert r.status is IssueStatus.REFUSED and r.refusal is Refusal.CLOSED
    assert r.message == "农业现在不能取号（办理时间 08:30-12:00），请在办理时间内再来。"
    assert q.overview()[0].note == "办理时间 08:30-12:00"
    q.close()


def test_a_card_is_needed_and_one_waiting_ticket_per_person(queue: QueueService) -> None:
    r = queue.take("A")
    assert r.refusal is Refusal.NEEDS_CARD and "需要身份证" in r.message
    assert queue.take("A", card()).ok
    again = queue.take("A", card())
    assert again.refusal is Refusal.PERSON_WAITING
    assert again.message == "您已经取过社保医保的号，还在等候中，请留意叫号。"
    assert queue.take("A", card("110105196001015678")).ok


def test_holding_before_confirm_says_the_number_and_the_place(queue: QueueService) -> None:
    queue.take("A", card("110105196001015678"))
    mine = queue.take("A", card()).ticket
    held = queue.holding("A", card())
    assert held is not None and mine is not None
    assert held.number == mine.number and held.people_ahead == 1
    assert queue.holding("A", card("11010519700101999X")) is None
    assert queue.holding("C", card()) is None, "no hash is kept for services without a card"


def test_a_card_for_a_service_without_id_only_gives_age_priority(queue: QueueService,
                                                                 printer: FakePrinter) -> None:
    old = card(birth=date(1940, 5, 1))
    assert queue.take("C", old).ticket.priority is Priority.AGE  # type: ignore[union-attr]
    assert queue.take("C", old).ok, "no per-person rule without the card requirement"
    assert printer.slips[-1].holder_masked == "", "no name on a slip that needed no card"
    assert printer.slips[-1].priority == "老年人优先"


def test_age_priority_from_the_card_passes_ordinary_tickets(queue: QueueService,
                                                            printer: FakePrinter) -> None:
    queue.take("A", card("110105196001015678", birth=date(1980, 1, 1)))
    r = queue.take("A", card(birth=date(1950, 11, 23)))       # 76 today
    assert r.ticket is not None and r.ticket.priority is Priority.AGE
    assert printer.slips[-1].people_ahead == 0
    assert printer.slips[-1].holder_masked == "王*明"


def test_declared_priority_is_marked_for_staff_to_verify(queue: QueueService,
                                                         printer: FakePrinter) -> None:
    r = queue.take("C", None, "军人")
    assert r.ticket is not None and r.ticket.priority is Priority.DECLARED
    assert printer.slips[-1].priority == "军人优先（待工作人员核验）"
    assert "带婴幼儿" in queue.declared_classes()
    bad = queue.take("C", None, "总经理")
    assert bad.status is IssueStatus.ERROR and "总经理" in bad.detail


def test_one_wait_rule_for_the_list_the_slip_and_a_reprint(queue: QueueService,
                                                           printer: FakePrinter) -> None:
    for _ in range(4):
        queue.take("C")
    listed = next(s for s in queue.overview() if s.prefix == "C")
    assert listed.wait_text == queue.wait_text_for("C", 4) == "约 15–25 分钟"
    assert printer.slips[-1].wait_text == queue.wait_text_for("C", 3)
    queue.reprint("C004")
    assert printer.slips[-1].wait_text == queue.wait_text_for("C", 3)


def test_double_tap_issues_one_ticket(queue: QueueService, printer: FakePrinter) -> None:
    printer.gate = threading.Event()
    results = []
    first = threading.Thread(target=lambda: results.append(queue.take("C")))
    first.start()
    assert printer.started.wait(5)                  # the first is printing now
    second = queue.take("C")                        # the second tap
    printer.gate.set()
    first.join(5)
    assert second.status is IssueStatus.BUSY and second.ticket is None
    assert [r.status for r in results] == [IssueStatus.ISSUED]
    assert numbers(queue) == ["C001"]


def test_repeat_tap_right_after_issue_is_ignored(cfg: Config, clock: Clock) -> None:
    q = make_service(cfg, clock, repeat_guard_s=60)
    assert q.take("C").ok
    assert q.take("C").status is IssueStatus.BUSY
    assert q.take("A", card()).ok                   # another service is not a repeat
    assert numbers(q) == ["C001", "A001"]
    q.close()


def test_nothing_printed_voids_the_number_and_says_so(queue: QueueService,
                                                       printer: FakePrinter) -> None:
    printer.fail = PAPER_OUT                         # refused before a byte was sent
    r = queue.take("C")
    assert r.status is IssueStatus.PRINT_FAILED
    assert r.ticket is not None and r.ticket.state is TicketState.VOID
    assert r.ticket.void_reason == "print failed: REC_EMPTY"
    assert r.message.startswith("打印机缺纸。") and "作废" in r.message
    printer.fail = None
    assert queue.take("C").ticket.number == "C002"  # type: ignore[union-attr]
    assert [t.state for t in queue.list_today()] == [TicketState.VOID, TicketState.WAITING]


def test_a_print_that_failed_after_sending_keeps_the_number_servable(
        queue: QueueService, printer: FakePrinter) -> None:
    printer.fail = JobOutcome(ok=False, detail="REC_EMPTY (after sending)",
                              message="打印机缺纸。", bytes_sent=312)
    r = queue.take("C")
    assert r.status is IssueStatus.INCOMPLETE and not r.ok
    assert r.ticket is not None and r.ticket.state is TicketState.VERIFY
    assert "after sending" in r.ticket.verify_reason
    assert "C001 仍然有效" in r.message
    assert r.message.endswith("如果小票已经打出，请保留并告诉工作人员。")
    assert queue.store.queue("C")[0].number == "C001", "a window will call it"


def test_a_printer_that_raises_may_have_printed(cfg: Config, clock: Clock) -> None:
    def exploding_fake_printer(slip: TicketSlip) -> JobOutcome:
        raise OSError("connection reset (tcp://127.0.0.1:1)")

    q = QueueService(cfg, make_store(cfg, clock), exploding_fake_printer)
    q.open()
    r = q.take("C")
    assert r.status is IssueStatus.INCOMPLETE
    assert r.ticket is not None and "connection reset" in r.ticket.verify_reason
    q.close()


def test_the_state_is_read_again_before_voiding(cfg: Config, clock: Clock) -> None:
    """Between the failed print and the void, the hall settled the ticket (its sweep, or the
    kiosk's own retry): the kiosk must not void what is no longer issuing."""
    store = make_store(cfg, clock)

    def printer_while_the_hall_settles(slip: TicketSlip) -> JobOutcome:
        store.verify(slip.ticket_id, "interrupted")
        return PAPER_OUT

    q = QueueService(cfg, store, printer_while_the_hall_settles)
    q.open()
    r = q.take("C")
    assert r.status is IssueStatus.INCOMPLETE and r.ticket.state is TicketState.VERIFY  # type: ignore[union-attr]
    assert [t.state for t in q.list_today()] == [TicketState.VERIFY]
    q.close()


def test_a_hall_lost_after_printing_leaves_the_number_valid(cfg: Config, clock: Clock) -> None:
    store = make_store(cfg, clock)

    def printer_then_the_hall_goes(slip: TicketSlip) -> JobOutcome:
        store.close()                                # the store is gone after the print
        return JobOutcome(ok=True, bytes_sent=900)

    q = QueueService(cfg, store, printer_then_the_hall_goes)
    q.open()
    r = q.take("C")
    assert r.ok and "hall not told" in r.detail
    store.open()
    assert q.list_today()[0].state is TicketState.ISSUING   # the hall has not heard yet …
    q.overview()                                     # … the kiosk tells it when it can
    assert q.list_today()[0].state is TicketState.WAITING and q.settle_pending() == 0
    q.close()


def test_a_kiosk_that_never_comes_back_leaves_verify(cfg: Config, clock: Clock) -> None:
    store = make_store(cfg, clock)
    store.open()
    ticket = store.issue(IssueRequest(service="C", request_id="never-settled",
                                      owner="gone-host/1/2"))
    clock.now += timedelta(minutes=3)                # the hall's sweep, two minutes on
    assert [t.ticket_id for t in store.recover("", "")] == [ticket.ticket_id]
    assert store.get(ticket.ticket_id).state is TicketState.VERIFY  # type: ignore[union-attr]


# -- staff -----------------------------------------------------------------------------------


def test_reprint_marks_the_slip_and_recounts_people_ahead(queue: QueueService,
                                                          printer: FakePrinter) -> None:
    for _ in range(3):
        queue.take("C")
    queue.store.login_window(5, "1001")              # type: ignore[attr-defined]
    queue.store.call_next(5, "1001", "call-c001")   # type: ignore[attr-defined]
    r = queue.reprint("c003")
    assert r.ok and printer.slips[-1].reprint and printer.slips[-1].number == "C003"
    assert printer.slips[-1].people_ahead == 1      # C001 is at the window now
    queue.void("C002")
    with pytest.raises(QueueError, match="C002 is void"):
        queue.reprint("C002")
    with pytest.raises(QueueError, match="no ticket 'C404'"):
        queue.void("C404")


def test_reset_today_voids_waiting_and_keeps_numbering(queue: QueueService) -> None:
    for _ in range(3):
        queue.take("C")
    queue.store.login_window(5, "1001")              # type: ignore[attr-defined]
    queue.store.call_next(5, "1001", "call-c001")   # type: ignore[attr-defined]
    assert [t.number for t in queue.reset_today()] == ["C002", "C003"]
    assert queue.take("C").ticket.number == "C004"  # type: ignore[union-attr]


def test_card_repr_hides_the_number() -> None:
    c = card()
    assert "110105" not in repr(c) and "1960" not in repr(c) and "王*明" in repr(c)


def test_store_or_secret_failure_is_a_plain_error_not_a_crash(tmp_path: Path,
                                                              clock: Clock) -> None:
    cfg = make_config(tmp_path, secret_file="var/secret-is-a-folder")
    (tmp_path / "var" / "secret-is-a-folder").mkdir(parents=True)
    q = QueueService(cfg, make_store(cfg, clock), FakePrinter())
    q.store.open()                                  # the store works; the secret cannot be read
    r = q.take("A", card())
    assert r.status is IssueStatus.ERROR and "secret-is-a-folder" in r.detail
    assert r.message == "抱歉，暂时无法取号，请联系大厅工作人员。"
    q.store.close()                                 # now the store is gone too
    r = q.take("C")
    assert r.status is IssueStatus.ERROR and "not open" in r.detail
    assert r.message == "取号系统暂时无法使用，请联系大厅工作人员。"


def test_staff_actions_for_maintenance_mode(queue: QueueService, printer: FakePrinter) -> None:
    from kiosk.maintenance.queue_actions import QueueStaffActions

    staff = QueueStaffActions(queue)
    queue.take("C")
    queue.take("C")
    r = staff.reprint_ticket("c001")
    assert (r.ok, r.message) == (True, "C001 已补打，请取走号票。")
    assert printer.slips[-1].reprint and len(printer.slips) == 3
    assert staff.void_ticket("C002").message == "C002 已作废。"
    bad = staff.void_ticket("C404")
    assert not bad.ok and bad.message == "C404：没有找到这个号，请核对号码。"
    r = staff.set_service_open("C", False)
    assert r.ok and r.message == "C 综合咨询：今日暂停取号。"
    toggles = {t.prefix: t for t in staff.services()}
    assert toggles["C"].override is False and not toggles["C"].open_now
    assert toggles["A"].override is None and toggles["A"].open_now
    assert staff.reset_queue().message.startswith("已作废今天仍在等候的 1 张号票")
    assert not staff.set_service_open("Z", True).ok


def test_card_info_from_the_readers_record(queue: QueueService, printer: FakePrinter) -> None:
    from devices.id_reader.record import CardType, IdCardRecord

    record = IdCardRecord(card_type=CardType.RESIDENT, name="王小明", sex_code="1", sex="男",
                          birth=date(1950, 3, 8), id_number="110105195003081234",
                          id_number_valid=True, valid_from=date(2015, 1, 1), valid_to=None,
                          address="示例县青山镇人民路1号")
    info = CardInfo.from_record(record)
    assert info.masked_name == "王*明" and "王小明" not in repr(info)
    t = queue.take("A", info).ticket
    assert t is not None and t.priority is Priority.AGE      # 76 on the test's day
    assert printer.slips[-1].holder_masked == "王*明"


def test_one_wait_range_rule() -> None:
    """Issue 17: "约 5 分钟以内", "约 5–15 分钟" and "约 10 分钟以内" read on one screen for the
    same people ahead. Now: one "以内" (5 minutes), otherwise ranges, never shrinking."""
    import re

    from kiosk.queue.waittime import wait_text

    shape = re.compile(r"^(无需等待|约 5 分钟以内|约 (\d+)–(\d+) 分钟|2 小时以上)$")
    for per_ticket in (0.5, 1.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 20.0):
        last = (0, 0)
        for ahead in range(0, 80):
            text = wait_text(ahead, per_ticket)
            m = shape.match(text)
            assert m, (ahead, per_ticket, text)
            if text == "2 小时以上":
                bounds = (120, 10**6)
            elif m.group(2):
                bounds = (int(m.group(2)), int(m.group(3)))
                assert bounds[0] < bounds[1]
            else:
                bounds = (0, 5) if "5 分钟以内" in text else (0, 0)
            assert bounds >= last, (ahead, per_ticket, text, last)
            assert bounds[0] >= last[0] and bounds[1] >= last[1], (ahead, per_ticket, text)
            last = bounds
    assert wait_text(1, 4.6) != "约 10 分钟以内"          # the old rule's odd one out


def test_a_reprint_says_the_figures_of_now(queue: QueueService, printer: FakePrinter) -> None:
    """A staff reprint must not copy the original "前面没有人等候": who is ahead *now*."""
    queue.repeat_guard_s = 0
    for _ in range(3):
        assert queue.take("C").ok                     # C001 (0 ahead) … C003 (2 ahead)
    store = queue.store
    store.login_window(5, "1001")                   # type: ignore[attr-defined]
    store.call_next(5, "1001", "call-c001")         # type: ignore[attr-defined]
    store.finish(5, "1001", "", "finish-c001")      # type: ignore[attr-defined]
    assert queue.reprint("C003").ok
    again = printer.slips[-1]
    assert again.reprint and again.number == "C003" and again.people_ahead == 1
    first = printer.slips[2]
    assert first.people_ahead == 2
    from kiosk.queue.waittime import wait_text

    assert again.wait_text == wait_text(1, first.people_ahead and 5.0)  # typical 5 min, 1 window


def test_a_reprint_counts_priority_tickets_that_came_later(queue: QueueService,
                                                           printer: FakePrinter) -> None:
    """A priority ticket taken after C001 is called before it: the reprint says so."""
    queue.repeat_guard_s = 0
    assert queue.take("C").ok                          # C001: nobody ahead when taken
    assert queue.take("C", declared_priority="老年人").ok   # served first
    assert queue.reprint("C001").ok
    assert printer.slips[-1].people_ahead == 1
    assert printer.slips[0].people_ahead == 0
