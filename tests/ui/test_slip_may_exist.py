"""Issue 17, "a ticket whose slip may exist must stay servable", end to end through the real
screens and a real Terminal (virtual ESC/POS printer, simulated SAM reader, SQLite queue):
the paper runs out after the number was sent. The citizen is told the number is valid and
"如果小票已经打出，请保留并告诉工作人员"; staff see the number as 待核对 (maintenance panel and
`kiosk status`); a window calls and serves it; a staff reprint settles it as printed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.status import PaperState
from kiosk.commands.doctor import render_status
from kiosk.maintenance.status import StatusReport
from kiosk.queue.model import TicketState
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.status_sources import ticket_rows
from screens.dialog import Notice
from screens.maint.panel import tickets_lines
from screens.queue_flow import TicketTaken
from tests.ui.helpers import button, tap_widget
from tests.ui.terminal_rig import Rig, terminal_rig

KEEP = "如果小票已经打出，请保留并告诉工作人员"


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    with terminal_rig(tmp_path) as r:
        yield r


def take_c(rig: Rig) -> object:
    """综合咨询 from home, through 确认取号: the screen that answers."""
    tap_widget(rig.app, button(rig.app, "排队取号"))
    rig.pump(lambda: getattr(rig.app.top, "statuses", None) is not None and not rig.app.busy,
             what="the services loading")
    tap_widget(rig.app, button(rig.app, "C  综合咨询"))
    tap_widget(rig.app, button(rig.app, "确认取号"))
    rig.pump(lambda: not rig.app.busy and isinstance(rig.app.top, TicketTaken | Notice),
             what="the ticket being issued")
    return rig.app.top


def paper_seen(rig: Rig, paper: PaperState) -> None:
    assert rig.terminal.receipt is not None
    rig.terminal.receipt.status()                    # what the monitor does every 5 s
    rig.pump(lambda: any(r.device == "receipt_printer" and r.paper == paper.value
                         for r in rig.terminal.reports()), what=f"the printer reporting {paper}")


def incomplete_ticket(rig: Rig) -> TicketTaken:
    """Paper that runs out after n lines, for growing n, until the roll ends after the number
    went out (the body prints first, the number last)."""
    q = rig.terminal.queue
    assert q is not None
    q.repeat_guard_s = 0
    for n in range(6, 40):
        rig.printer.command("paper ok")
        paper_seen(rig, PaperState.FULL)       # the kiosk knows before anyone chooses
        rig.printer.command(f"paper out-after {n}")
        top = take_c(rig)
        if isinstance(top, TicketTaken) and top.incomplete:
            return top
        tap_widget(rig.app, button(rig.app, "知道了" if isinstance(top, Notice) else "完成"))
        tap_widget(rig.app, button(rig.app, "首页"))
    raise AssertionError("no paper-out offset left the number sent and the slip incomplete")


def test_a_slip_that_may_exist_stays_servable_and_staff_see_it(rig: Rig) -> None:
    taken = incomplete_ticket(rig)
    number = taken.ticket.number
    # The citizen: the number, that it is valid, and to keep whatever came out.
    said = taken.lines()[0]
    assert number in said and "仍然有效" in said and KEEP in said
    rig.app.invalidate()
    rig.app.step(0)
    q = rig.terminal.queue
    assert q is not None
    by_number = {t.number: t for t in q.list_today()}
    mine = by_number[number]
    assert mine.state is TicketState.VERIFY and mine.verify_reason.startswith("print failed")
    voided = [t.number for t in by_number.values() if t.state is TicketState.VOID]
    assert number not in voided and voided, "the earlier offsets (no number sent) were voided"

    # Staff: the maintenance panel and `kiosk status` list it as 待核对, apart from the void.
    rows = ticket_rows(q.store.services(), q.list_today())
    panel = "\n".join(line for line, _ok in tickets_lines(rows))
    assert f"待核对 1 张：{number}" in panel and "照常叫号" in panel
    report = StatusReport(version="t", hall="h", generated_at=time.time(), uptime_s=1.0,
                          devices=[], catalog={}, tickets_today=rows)
    assert f"待核对 1：{number}" in render_status(report.to_json())

    # A window serves it as any other number.
    store = q.store
    assert isinstance(store, SqliteQueueStore)
    store.login_window(2, "0207")                 # window 2 serves A and C
    called = store.call_next(2, "0207")
    assert called.number == number and called.state is TicketState.CALLED
    store.start(2, "0207")
    assert store.finish(2, "0207").state is TicketState.DONE


def test_a_staff_reprint_of_a_slip_that_may_exist_settles_it(rig: Rig) -> None:
    taken = incomplete_ticket(rig)
    number = taken.ticket.number
    tap_widget(rig.app, button(rig.app, "完成"))
    q = rig.terminal.queue
    assert q is not None
    rig.printer.command("paper ok")
    paper_seen(rig, PaperState.FULL)
    before = len(rig.printer.receipts)
    again = q.reprint(number)
    assert again.ok and again.ticket is not None
    assert again.ticket.state is TicketState.WAITING        # staff saw the slip come out
    # (the slip cut short by the paper-out is decoded when the next job starts)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        done = [r for r in rig.printer.receipts[before:] if r.complete]
        if done:
            break
        time.sleep(0.05)
    (slip,) = done
    text = "\n".join(slip.text)
    assert number in text and "补打" in text
    rows = ticket_rows(q.store.services(), q.list_today())
    assert not any(r["verify_numbers"] for r in rows)
