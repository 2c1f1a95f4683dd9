"""QueueService on a real SQLite file: numbering, the day boundary, limits, priority, wait
ranges, double taps and failed prints. The printer is the FakePrinter of tests/queue_support."""

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
from kiosk.queue.model import Priority, Refusal, TicketState
from kiosk.queue.service import IssueStatus, QueueService
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.receipts.ticket import TicketSlip
from tests.queue_support import PAPER_OUT, Clock, FakePrinter, make_config, make_service

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


# -- numbering ------------------------------------------------------------------------------


def test_numbers_count_up_per_service_and_print_the_slip(queue: QueueService,
                                                         printer: FakePrinter) -> None:
    got = [queue.take("C").ticket for _ in range(3)] + [queue.take("A", card()).ticket]
    assert [t.number for t in got if t] == ["C001", "C002", "C003", "A001"]
    assert all(t is not None and t.state is TicketState.PRINTED for t in got)
    slip = printer.slips[-1]
    assert (slip.number, slip.service_name, slip.holder_masked) == ("A001", "社保医保", "王*明")
    assert slip.where == "一楼东侧等候区" and slip.counters == ("1号窗口", "2号窗口")
    assert printer.slips[2].people_ahead == 2


def test_service_by_letter_or_name_and_unknown_service_named(queue: QueueService) -> None:
    assert queue.take("c").ticket is not None
    r = queue.take("综合咨询")
    assert r.ticket is not None and r.ticket.number == "C002"
    with pytest.raises(QueueError, match=r"no service 'Z'.*A 社保医保"):
        queue.take("Z")


def test_voided_numbers_are_not_reused(queue: QueueService) -> None:
    queue.take("C")
    queue.void("C001")
    assert queue.take("C").ticket.number == "C002"  # type: ignore[union-attr]


# -- daily reset -----------------------------------------------------------------------------


def test_numbering_restarts_at_the_reset_hour_not_at_midnight(queue: QueueService,
                                                              clock: Clock) -> None:
    clock.now = datetime(2026, 11, 23, 23, 30)
    assert queue.take("C").ticket.number == "C001"  # type: ignore[union-attr]
    clock.now = datetime(2026, 11, 24, 3, 59)       # still the 23rd's queue day (reset 04:00)
    t = queue.take("C").ticket
    assert t is not None and t.number == "C002" and t.day == date(2026, 11, 23)
    clock.now = datetime(2026, 11, 24, 4, 0)
    t = queue.take("C").ticket
    assert t is not None and t.number == "C001" and t.day == date(2026, 11, 24)
    assert numbers(queue) == ["C001"]               # list_today is the new day only


# -- limits ----------------------------------------------------------------------------------


def test_closed_by_hours_is_refused_with_the_hours(tmp_path: Path, clock: Clock) -> None:
    cfg = make_config(tmp_path, [{"name": "民政救助", "prefix": "B", "counters": ["3号窗口"],
                                  "hours": ["08:30-12:00", "14:00-17:30"]}])
    q = make_service(cfg, clock)
    clock.now = MORNING.replace(hour=12, minute=30)
    r = q.take("B")
    assert r.status is IssueStatus.REFUSED and r.refusal is Refusal.CLOSED
    assert "08:30-12:00、14:00-17:30" in r.message
    (status,) = q.overview()
    assert not status.is_open and not status.available and "14:00-17:30" in status.note
    clock.now = MORNING.replace(hour=14)
    assert q.take("B").ok
    q.close()


def test_staff_override_closes_and_reopens_for_the_day(queue: QueueService,
                                                       clock: Clock) -> None:
    queue.set_service_open("C", False)
    r = queue.take("C")
    assert r.refusal is Refusal.CLOSED and r.ticket is None
    assert r.message == "综合咨询今天暂停取号，请咨询大厅工作人员。"
    assert [s.note for s in queue.overview() if s.prefix == "C"] == ["今日暂停取号"]
    queue.set_service_open("C", None)
    assert queue.take("C").ok
    queue.set_service_open("C", False)
    clock.now = MORNING + timedelta(days=1)         # the override was for that day only
    assert queue.take("C").ok


def test_daily_limit_counts_issued_not_voided(tmp_path: Path, clock: Clock) -> None:
    cfg = make_config(tmp_path, [{"name": "综合咨询", "prefix": "C", "counters": ["5号窗口"],
                                  "hours": ["00:00-23:59"], "daily_limit": 2}])
    printer = FakePrinter()
    q = make_service(cfg, clock, printer)
    assert q.take("C").ok
    printer.fail = PAPER_OUT
    assert q.take("C").status is IssueStatus.PRINT_FAILED  # C002 void: not counted
    printer.fail = None
    assert q.take("C").ticket.number == "C003"  # type: ignore[union-attr]
    r = q.take("C")
    assert r.refusal is Refusal.DAILY_LIMIT and "已经取完" in r.message
    assert [s.available for s in q.overview()] == [False]
    q.close()


def test_card_required_and_one_waiting_ticket_per_person(queue: QueueService) -> None:
    r = queue.take("A")
    assert r.refusal is Refusal.NEEDS_CARD and "身份证" in r.message
    assert queue.take("A", card()).ok
    r = queue.take("A", card())
    assert r.refusal is Refusal.PERSON_WAITING and "等候中" in r.message
    assert queue.take("A", card(id_number="110105196001015678")).ok  # another person


def test_per_person_daily_limit_after_the_first_is_done(queue: QueueService) -> None:
    assert queue.take("A", card()).ok
    queue.call("A001", "1号窗口")
    queue.finish("A001")
    r = queue.take("A", card())                     # limit 1 per day: done still counts
    assert r.refusal is Refusal.PERSON_DAILY_LIMIT and "上限" in r.message
    assert numbers(queue) == ["A001"]


def test_card_for_a_service_without_id_is_not_hashed_or_limited(queue: QueueService) -> None:
    assert queue.take("C", card()).ok
    assert queue.take("C", card()).ok               # no per-person rule without requires_id


# -- priority --------------------------------------------------------------------------------


def test_priority_from_age_on_the_card(queue: QueueService, printer: FakePrinter,
                                       clock: Clock) -> None:
    today = clock.now.date()
    seventy_today = card("110105195611231234", date(1956, 11, 23))
    seventy_tomorrow = card("110105195611245678", date(1956, 11, 24))
    young = queue.take("A", seventy_tomorrow).ticket
    old = queue.take("A", seventy_today).ticket
    assert young is not None and young.priority is Priority.NONE
    assert old is not None and old.priority is Priority.AGE
    assert old.people_ahead == 0                    # priority waits only behind priority
    assert printer.slips[-1].priority == "老年人优先"
    assert today == date(2026, 11, 23)


def test_priority_prefix_mode_has_its_own_numbers(tmp_path: Path, clock: Clock) -> None:
    cfg = make_config(tmp_path, priority_mode="prefix", priority_prefix="Y", priority_age=70)
    q = make_service(cfg, clock)
    assert q.take("C").ticket.number == "C001"  # type: ignore[union-attr]
    t = q.take("C", card(birth=date(1940, 5, 1))).ticket
    assert t is not None and t.number == "YC001" and t.service_prefix == "C"
    assert q.take("C").ticket.number == "C002"  # type: ignore[union-attr]
    q.close()


def test_declared_priority_is_marked_for_staff_to_verify(queue: QueueService,
                                                         printer: FakePrinter) -> None:
    t = queue.take("C", declared_priority="孕妇").ticket
    assert t is not None and t.priority is Priority.DECLARED and t.declared == "孕妇"
    assert printer.slips[-1].priority == "孕妇优先（待工作人员核验）"
    with pytest.raises(QueueError, match="declared priority '老板'"):
        queue.take("C", declared_priority="老板")


# -- wait estimate ---------------------------------------------------------------------------


def test_wait_is_a_range_from_people_ahead_and_counters(queue: QueueService,
                                                        printer: FakePrinter) -> None:
    assert [s.wait_text for s in queue.overview()] == ["无需等待", "无需等待"]
    for _ in range(4):
        queue.take("C")                             # 5 min/ticket, one counter
    assert printer.slips[0].wait_text == "无需等待"
    assert printer.slips[3].people_ahead == 3
    assert printer.slips[3].wait_text == "约 10–20 分钟"  # 3 × 5 = 15 min
    c = next(s for s in queue.overview() if s.prefix == "C")
    assert (c.waiting, c.wait_text) == (4, "约 15–25 分钟")  # the next one: 4 × 5 = 20 min


def test_observed_handling_time_replaces_the_typical_one(queue: QueueService,
                                                         clock: Clock) -> None:
    for _ in range(6):
        queue.take("C")
    for n in ("C001", "C002", "C003"):               # counters take 20 min each, not 5
        queue.call(n, "5号窗口")
        clock.now += timedelta(minutes=20)
        queue.finish(n)
    c = next(s for s in queue.overview() if s.prefix == "C")
    assert c.waiting == 3 and c.wait_text == "约 50–70 分钟"  # 3 × 20 min


# -- double tap and failed prints ------------------------------------------------------------


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


def test_failed_print_voids_the_number_and_says_so(queue: QueueService,
                                                   printer: FakePrinter) -> None:
    printer.fail = PAPER_OUT
    r = queue.take("C")
    assert r.status is IssueStatus.PRINT_FAILED
    assert r.ticket is not None and r.ticket.state is TicketState.VOID
    assert r.ticket.void_reason == "print failed: REC_EMPTY"
    assert r.message.startswith("打印机缺纸。") and "作废" in r.message
    printer.fail = None
    assert queue.take("C").ticket.number == "C002"  # type: ignore[union-attr]
    assert [t.state for t in queue.list_today()] == [TicketState.VOID, TicketState.PRINTED]


def test_a_printer_that_raises_still_voids(cfg: Config, clock: Clock) -> None:
    def exploding_fake_printer(slip: TicketSlip) -> JobOutcome:
        raise OSError("connection refused (tcp://127.0.0.1:1)")

    q = QueueService(cfg, SqliteQueueStore(cfg.path(cfg.queue.db)), exploding_fake_printer,
                     clock=clock)
    q.open()
    r = q.take("C")
    assert r.status is IssueStatus.PRINT_FAILED
    assert r.ticket is not None and "connection refused" in r.ticket.void_reason
    q.close()


# -- staff -----------------------------------------------------------------------------------


def test_reprint_marks_the_slip_and_recounts_people_ahead(queue: QueueService,
                                                          printer: FakePrinter) -> None:
    for _ in range(3):
        queue.take("C")
    queue.call("C001", "5号窗口")
    r = queue.reprint("c003")
    assert r.ok and printer.slips[-1].reprint and printer.slips[-1].number == "C003"
    assert printer.slips[-1].people_ahead == 1      # C001 is at the counter now
    queue.void("C002")
    with pytest.raises(QueueError, match="C002 is void"):
        queue.reprint("C002")
    with pytest.raises(QueueError, match="no ticket 'C404'"):
        queue.void("C404")


def test_reset_today_voids_waiting_and_keeps_numbering(queue: QueueService) -> None:
    for _ in range(3):
        queue.take("C")
    queue.call("C001", "5号窗口")
    assert [t.number for t in queue.reset_today()] == ["C002", "C003"]
    assert queue.take("C").ticket.number == "C004"  # type: ignore[union-attr]


def test_card_repr_hides_the_number() -> None:
    c = card()
    assert "110105" not in repr(c) and "1960" not in repr(c) and "王*明" in repr(c)


def test_store_or_secret_failure_is_a_plain_error_not_a_crash(tmp_path: Path,
                                                              clock: Clock) -> None:
    cfg = make_config(tmp_path, secret_file="var/secret-is-a-folder")
    (tmp_path / "var" / "secret-is-a-folder").mkdir(parents=True)
    q = QueueService(cfg, SqliteQueueStore(cfg.path(cfg.queue.db)), FakePrinter(), clock=clock)
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
    queue.call("C001", "5号窗口")
    queue.finish("C001")
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
