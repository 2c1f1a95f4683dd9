"""排队取号 through the real UI (SDL dummy driver, synthesised taps) against a real Terminal: the
virtual ESC/POS printer and the simulated SAM reader on ephemeral TCP ports, the queue in a
SQLite file under tmp. Set QUEUE_SHOTS=DIR to keep a PNG of each step."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from devices.sim.idcards import SAMPLE_CARDS
from kiosk.queue.model import TicketState
from screens.busy import Busy
from screens.card_prompt import CANCELLED, TIMED_OUT, CardPrompt
from screens.dialog import Confirm, Notice
from screens.fonts import fontset
from screens.messages.card import UNAVAILABLE
from screens.queue_flow import SHOW_TICKET_S, ServicesScreen, TicketTaken
from screens.text import wrap
from screens.widgets.button import Button
from tests.ui.helpers import button, on_top, tap, touch_down, touch_up
from tests.ui.layout_check import layout_problems
from tests.ui.terminal_rig import Rig, terminal_rig

RESIDENT = SAMPLE_CARDS[1]          # 李样例 (the card labelled "resident")


def shot(rig: Rig, name: str) -> None:
    """Keep a PNG of the current screen when QUEUE_SHOTS names a folder."""
    folder = os.environ.get("QUEUE_SHOTS")
    if not folder:
        return
    rig.app.invalidate()
    rig.app.step(0)
    Path(folder).mkdir(parents=True, exist_ok=True)
    pygame.image.save(rig.app.surface, str(Path(folder) / f"{name}.png"))


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    with terminal_rig(tmp_path) as r:
        yield r


def open_services(rig: Rig) -> ServicesScreen:
    tap(rig.app, *button(rig.app, "排队取号").rect.center)
    screen = rig.app.top
    assert isinstance(screen, ServicesScreen)
    rig.pump(lambda: screen.statuses is not None, what="the services loading")
    rig.app.step(0)
    return screen


def svc(rig: Rig, label: str) -> Button:
    b = button(rig.app, label)
    assert isinstance(b, Button)
    return b


def choose(rig: Rig, label: str) -> None:
    tap(rig.app, *button(rig.app, label).rect.center)


def take_with_card(rig: Rig, card: str = "resident", prefix: str = "A") -> None:
    choose(rig, {"A": "A  社保医保", "B": "B  民政救助"}[prefix])
    assert isinstance(rig.app.top, CardPrompt)
    rig.sim.place(card)
    rig.pump(lambda: isinstance(rig.app.top, Confirm), what="the card being read")


def confirm(rig: Rig) -> None:
    tap(rig.app, *button(rig.app, "确认取号").rect.center)
    rig.pump(lambda: not rig.app.busy and isinstance(rig.app.top, TicketTaken | Notice),
             what="the ticket being issued")


def test_services_show_waiting_counts_and_closed_hours(rig: Rig) -> None:
    q = rig.terminal.queue
    assert q is not None
    q.repeat_guard_s = 0          # citizens in a row at the counter's kiosk
    assert all(q.take("C").ok for _ in range(8))    # C: five windows, 1 minute a ticket
    rig.receipts(8)
    open_services(rig)
    shot(rig, "01-services")
    c = svc(rig, "C  综合咨询")
    assert c.sublabel.startswith("等候 8 人，约 ")          # a range, never one number
    assert "–" in c.sublabel and c.sublabel.endswith("分钟")
    a = svc(rig, "A  社保医保")
    assert a.sublabel == "等候 0 人，无需等待，需带身份证" and a.enabled
    d = svc(rig, "D  农业农村与建房")       # mornings only; the rig's clock says 15:00
    assert d.style == "secondary" and d.sublabel == "办理时间 08:30-12:00"
    tap(rig.app, *d.rect.center)                          # greyed, but it says when it opens
    notice = rig.app.top
    assert isinstance(notice, Notice)
    assert "办理时间已过" in notice.message and "明天 8:30 以后" in notice.message
    shot(rig, "01b-closed-says-when")


def test_card_service_full_visit_prints_masked_ticket_and_goes_home(rig: Rig) -> None:
    open_services(rig)
    choose(rig, "A  社保医保")
    prompt = rig.app.top
    assert isinstance(prompt, CardPrompt) and prompt.reader_ok
    rig.clock.advance(0.8)
    shot(rig, "02-card-prompt")
    rig.sim.place("resident")
    rig.pump(lambda: isinstance(rig.app.top, Confirm), what="the card being read")
    dialog = rig.app.top
    assert isinstance(dialog, Confirm)
    assert "持证人：李*例" in dialog.message and "李样例" not in dialog.message
    shot(rig, "03-confirm")
    confirm(rig)
    taken = rig.app.top
    assert isinstance(taken, TicketTaken) and taken.ticket.number == "A001"
    shot(rig, "04-ticket-taken")
    (receipt,) = rig.receipts(1)
    text = "\n".join(receipt.text)
    assert receipt.complete and "A001" in text and "李*例" in text
    for secret in (RESIDENT["name"], RESIDENT["id_number"], RESIDENT["birth"],
                   RESIDENT["id_number"][-4:] + " "):
        assert secret not in text
    (ticket,) = rig.terminal.queue.list_today()  # type: ignore[union-attr]
    assert ticket.state is TicketState.WAITING and ticket.number == "A001"
    assert rig.app.session.card is None          # the card served this ticket: forgotten
    assert taken.card_on_reader                  # 请取回您的身份证, until it is lifted
    rig.clock.advance(SHOW_TICKET_S + 5)
    rig.app.step(0)
    assert on_top(rig.app, taken)                # the reminder stays while the card lies there
    rig.sim.remove()
    rig.pump(lambda: not taken.card_on_reader, what="the card being lifted")
    shot(rig, "04b-card-lifted")
    rig.clock.advance(SHOW_TICKET_S - 1)
    rig.app.step(0)
    assert rig.app.top is taken                              # still showing the number
    rig.clock.advance(1.5)
    rig.app.step(0)
    assert rig.app.top.is_home and len(rig.app.stack) == 1   # home by itself
    assert rig.app.session.card is None


def test_double_tap_on_confirm_issues_one_ticket(rig: Rig) -> None:
    open_services(rig)
    choose(rig, "C  综合咨询")
    assert isinstance(rig.app.top, Confirm)
    x, y = button(rig.app, "确认取号").rect.center
    for _ in range(2):                 # both taps land before the loop turns once
        touch_down(rig.app, x, y)
        touch_up(rig.app, x, y)
    rig.app.step(0)
    rig.pump(lambda: isinstance(rig.app.top, TicketTaken) and not rig.app.busy,
             what="the ticket")
    assert len(rig.receipts(2, timeout_s=0.5)) == 1
    assert [t.number for t in rig.terminal.queue.list_today()] == ["C001"]  # type: ignore


def test_paper_out_voids_the_ticket_and_says_so(rig: Rig) -> None:
    rig.printer.command("paper out")
    screen = open_services(rig)
    choose(rig, "C  综合咨询")
    confirm(rig)
    notice = rig.app.top
    assert isinstance(notice, Notice) and notice.title == "取号没有成功"
    assert "缺纸" in notice.message and "作废" in notice.message
    assert "Error" not in notice.message and "print" not in notice.message
    assert notice.message.count("请联系大厅工作人员") == 1          # said once
    shot(rig, "05-paper-out")
    (ticket,) = rig.terminal.queue.list_today()  # type: ignore[union-attr]
    assert ticket.state is TicketState.VOID
    tap(rig.app, *button(rig.app, "知道了").rect.center)
    rig.pump(lambda: not rig.app.busy and screen.statuses is not None, what="reload")
    assert svc(rig, "C  综合咨询").sublabel.startswith("等候 0 人")  # nothing counted
    assert rig.receipts(1, timeout_s=0.2) == []


def test_card_prompt_times_out_and_explains(rig: Rig) -> None:
    open_services(rig)
    choose(rig, "B  民政救助")
    prompt = rig.app.top
    assert isinstance(prompt, CardPrompt)
    rig.clock.advance(29)
    rig.app.step(0)
    assert on_top(rig.app, prompt) and prompt.remaining() == 1
    rig.clock.advance(1.5)
    rig.app.step(0)
    assert prompt.reason == TIMED_OUT
    notice = rig.app.top
    assert isinstance(notice, Notice) and notice.title == "没有读到身份证"
    assert rig.app.session.card is None and rig.terminal.queue.list_today() == []  # type: ignore


def test_card_prompt_cancel_returns_quietly(rig: Rig) -> None:
    open_services(rig)
    choose(rig, "A  社保医保")
    prompt = rig.app.top
    assert isinstance(prompt, CardPrompt)
    tap(rig.app, *button(rig.app, "取消").rect.center)
    assert prompt.reason == CANCELLED
    assert isinstance(rig.app.top, ServicesScreen)          # no "没有读到" notice after 取消
    rig.sim.place("resident")                               # a card placed now is not used
    rig.pump(lambda: rig.app.busy is False, what="idle")
    assert rig.app.session.card is None


def test_card_read_once_is_used_again_in_the_visit(rig: Rig) -> None:
    open_services(rig)
    take_with_card(rig, "resident-elder")
    assert "王*试" in rig.app.top.message                 # type: ignore[attr-defined]
    confirm(rig)
    taken = rig.app.top
    assert isinstance(taken, TicketTaken)
    assert taken.slip is not None and taken.slip.priority == "老年人优先"   # born 1949
    tap(rig.app, *button(rig.app, "完成").rect.center)
    assert rig.app.session.card is None                       # 完成 ends the visit too


def test_reader_offline_prompt_says_so(tmp_path: Path) -> None:
    with terminal_rig(tmp_path, reader=False) as rig:
        open_services(rig)
        choose(rig, "A  社保医保")
        prompt = rig.app.top
        assert isinstance(prompt, CardPrompt) and not prompt.reader_ok
        assert prompt.message == UNAVAILABLE
        shot(rig, "06-reader-offline")
        # No reader pad without a card on it: the bare grey box looked like a broken picture.
        app = rig.app
        app.draw()
        pad = app.theme.colors.line
        w, h = app.size
        greys = sum(app.surface.get_at((x, y))[:3] == pad
                    for x in range(0, w, 8) for y in range(0, h // 2, 8))
        assert greys < 20, greys
        rig.clock.advance(45)                      # past the prompt's 30 s, not the visit's
        rig.app.step(0)
        assert rig.app.top is prompt                 # it does not time out into a notice
        tap(rig.app, *button(rig.app, "返回").rect.center)
        assert isinstance(rig.app.top, ServicesScreen)     # and says nothing twice


def test_reader_unplugged_while_waiting(rig: Rig) -> None:
    open_services(rig)
    choose(rig, "A  社保医保")
    prompt = rig.app.top
    assert isinstance(prompt, CardPrompt) and prompt.reader_ok
    rig.line.unplug(0)
    rig.pump(lambda: not prompt.reader_ok, timeout_s=8, what="the prompt noticing")
    assert prompt.message == UNAVAILABLE


def test_elder_mode_screens(tmp_path: Path) -> None:
    with terminal_rig(tmp_path, elder=True) as rig:
        open_services(rig)
        shot(rig, "elder-01-services")
        app = rig.app
        assert layout_problems(app.top, app.theme, app.size) == []
        choose(rig, "A  社保医保")
        assert isinstance(rig.app.top, CardPrompt)
        shot(rig, "elder-01a-card-prompt")
        assert layout_problems(app.top, app.theme, app.size) == []
        rig.sim.place("resident")
        rig.pump(lambda: isinstance(rig.app.top, Confirm), what="the card being read")
        shot(rig, "elder-02-confirm")
        assert layout_problems(app.top, app.theme, app.size) == []
        confirm(rig)
        assert isinstance(rig.app.top, TicketTaken)
        shot(rig, "elder-03-ticket-taken")
        assert layout_problems(app.top, app.theme, app.size) == []


def test_declared_priority_is_marked_on_the_ticket(tmp_path: Path) -> None:
    with terminal_rig(tmp_path, elder=True) as rig:
        open_services(rig)
        tap(rig.app, *button(rig.app, "需要优先照顾？（老年人、残疾人等）").rect.center)
        shot(rig, "elder-00-priority")
        t = rig.app.theme
        for w in rig.app.top.widgets:            # two rows: no label wraps in elder mode
            assert isinstance(w, Button)
            assert len(wrap(fontset(True), w.label, w.size, w.rect.width - 2 * t.gap)) == 1
        tap(rig.app, *button(rig.app, "孕妇").rect.center)
        assert button(rig.app, "已选：孕妇优先（取号后请向工作人员出示证件）").selected
        choose(rig, "C  综合咨询")
        assert "优先：孕妇（待工作人员核验）" in rig.app.top.message  # type: ignore[attr-defined]
        confirm(rig)
        (receipt,) = rig.receipts(1)
        assert any("孕妇优先" in line for line in receipt.text)
        (ticket,) = rig.terminal.queue.list_today()  # type: ignore[union-attr]
        assert ticket.declared == "孕妇"


def test_many_services_stay_on_screen(tmp_path: Path) -> None:
    with terminal_rig(tmp_path, size=(1920, 1080), elder=True, services=9) as rig:
        open_services(rig)
        shot(rig, "elder-landscape-many-services")
        services = [w for w in rig.app.top.widgets if "  " in str(getattr(w, "label", ""))]
        assert len(services) == 9
        screen = rig.app.surface.get_rect()
        for a, b in zip(rig.app.top.widgets, rig.app.top.widgets[1:], strict=False):
            assert screen.contains(a.rect) and screen.contains(b.rect)
        bottoms = [w.rect for w in services]
        assert all(not r.colliderect(button(rig.app, "需要优先照顾？（老年人、残疾人等）").rect)
                   for r in bottoms)
        assert all(r.height >= rig.app.theme.target for r in bottoms)


def test_printing_shows_progress_at_once(rig: Rig) -> None:
    rig.printer.command("baud 9600")            # a slow serial printer: ~0.7 s per ticket
    open_services(rig)
    choose(rig, "C  综合咨询")
    x, y = button(rig.app, "确认取号").rect.center
    touch_down(rig.app, x, y)
    rig.app.step(0)
    touch_up(rig.app, x, y)
    rig.app.step(0)                             # one turn after the tap: progress, not a freeze
    busy = rig.app.top
    assert isinstance(busy, Busy) and busy.title == "正在打印号票"
    assert rig.app.busy                          # the print runs on a worker meanwhile
    shot(rig, "04a-printing")
    rig.pump(lambda: isinstance(rig.app.top, TicketTaken) and not rig.app.busy,
             what="the ticket")
    assert all(not isinstance(s, Busy) for s, _ in rig.app.stack)


def test_a_printer_that_never_answers_is_explained_while_the_citizen_waits(
        tmp_path: Path) -> None:
    """Issue 13: the printer takes the connection and never answers. The busy card says so
    (instead of only 请稍候) and the wait ends once, with a plain answer."""
    with terminal_rig(tmp_path, printer_timeout_s=2.0) as rig:
        rig.printer.command("silent")
        open_services(rig)
        choose(rig, "C  综合咨询")
        x, y = button(rig.app, "确认取号").rect.center
        touch_down(rig.app, x, y)
        rig.app.step(0)
        touch_up(rig.app, x, y)
        rig.app.step(0)
        busy = rig.app.top
        assert isinstance(busy, Busy) and busy.title == "正在打印号票"
        rig.pump(lambda: "打印机没有应答" in busy.message, what="the busy card explaining")
        assert busy.message == "打印机没有应答，正在等待，最多约2秒…"
        shot(rig, "04b-printer-silent")
        rig.pump(lambda: isinstance(rig.app.top, Notice) and not rig.app.busy,
                 what="the answer")
        notice = rig.app.top
        assert isinstance(notice, Notice) and notice.title == "取号没有成功"
        assert "打印机暂时无法连接" in notice.message
