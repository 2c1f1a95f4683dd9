"""Issue 17 through the real screens and a real Terminal (virtual printer, simulated SAM reader,
SQLite queue; tests/ui/terminal_rig.py): what one person leaves behind, numbers a citizen holds,
and no dead ends in the queue flow."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pygame
import pytest

from devices.status import PaperState
from kiosk.queue.identity import CardInfo
from kiosk.queue.model import TicketState
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.speech.pcm import read_wav
from kiosk.speech.player import WavFilePlayer
from screens.busy import Busy
from screens.card_prompt import BAD_NUMBER, CardPrompt
from screens.dialog import Confirm, Notice
from screens.guide import GuideScreen
from screens.home import HomeScreen
from screens.idle import IdleWarning
from screens.messages import queue as qmsg
from screens.messages import visit as vmsg
from screens.queue_flow import ServicesScreen, TicketTaken
from screens.ticket_taken import REMIND_S
from screens.widgets.button import Button
from tests.ui.helpers import button, on_top, tap_widget, touch_down, touch_up
from tests.ui.layout_check import layout_problems
from tests.ui.terminal_rig import Rig, terminal_rig


def shot(rig: Rig, name: str) -> None:
    folder = os.environ.get("QUEUE_SHOTS")
    if not folder:
        return
    for _ in range(12):               # a list renders one new tile per frame
        rig.app.invalidate()
        rig.app.step(0)
    Path(folder).mkdir(parents=True, exist_ok=True)
    pygame.image.save(rig.app.surface, str(Path(folder) / f"{name}.png"))


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    with terminal_rig(tmp_path) as r:
        yield r


def services(rig: Rig) -> ServicesScreen:
    if not isinstance(rig.app.top, ServicesScreen):
        tap_widget(rig.app, button(rig.app, "排队取号"))
    screen = rig.app.top
    assert isinstance(screen, ServicesScreen)
    rig.pump(lambda: screen.statuses is not None and not rig.app.busy,
             what="the services loading")
    return screen


def choose(rig: Rig, label: str) -> None:
    tap_widget(rig.app, button(rig.app, label))


def read_card(rig: Rig, card: str = "resident") -> None:
    assert isinstance(rig.app.top, CardPrompt), type(rig.app.top).__name__
    rig.sim.place(card)
    rig.pump(lambda: isinstance(rig.app.top, Confirm), what="the card being read")


def confirm(rig: Rig) -> None:
    tap_widget(rig.app, button(rig.app, "确认取号"))
    rig.pump(lambda: not rig.app.busy and isinstance(rig.app.top, TicketTaken | Notice),
             what="the ticket being issued")


def home(rig: Rig) -> None:
    tap_widget(rig.app, button(rig.app, "首页"))
    assert rig.app.top.is_home


# ---- what one person leaves behind ---------------------------------------------------------

def test_a_cancelled_ticket_leaves_no_card_for_the_next_person(rig: Rig) -> None:
    """李*例 reads her card, cancels, goes home and lifts the card; the next person taps 民政救助
    with nothing on the reader: the kiosk asks for a card, it never issues in her name."""
    services(rig)
    choose(rig, "A  社保医保")
    read_card(rig)
    tap_widget(rig.app, button(rig.app, "取消"))
    assert rig.app.session.card is None
    home(rig)
    rig.sim.remove()
    services(rig)
    choose(rig, "B  民政救助")
    assert isinstance(rig.app.top, CardPrompt)
    assert rig.terminal.queue is not None and rig.terminal.queue.list_today() == []


def test_every_ticket_asks_for_the_card_again(rig: Rig) -> None:
    services(rig)
    choose(rig, "A  社保医保")
    read_card(rig)
    confirm(rig)
    assert isinstance(rig.app.top, TicketTaken) and rig.app.session.card is None
    tap_widget(rig.app, button(rig.app, "完成"))
    services(rig)
    choose(rig, "B  民政救助")
    assert isinstance(rig.app.top, CardPrompt)     # not the previous ticket's card


def test_a_card_lifted_before_confirming_is_not_used(rig: Rig) -> None:
    services(rig)
    choose(rig, "A  社保医保")
    read_card(rig)
    rig.sim.remove()
    rig.pump(lambda: rig.app.session.card is None, what="the lifted card being forgotten")
    confirm(rig)
    assert isinstance(rig.app.top, Notice)          # refused: needs a card
    assert rig.terminal.queue is not None
    assert [t for t in rig.terminal.queue.list_today() if t.state is not TicketState.VOID] == []


def test_a_card_with_a_bad_check_digit_is_refused(rig: Rig) -> None:
    services(rig)
    choose(rig, "A  社保医保")
    prompt = rig.app.top
    assert isinstance(prompt, CardPrompt)
    rig.sim.place("resident-bad-check")
    rig.pump(lambda: prompt.rejected == 1, what="the card being refused")
    assert on_top(rig.app, prompt) and prompt.message == BAD_NUMBER
    assert rig.app.session.card is None
    shot(rig, "visit-bad-check-digit")
    rig.sim.remove()
    rig.sim.place("resident")                        # a good card is then accepted
    rig.pump(lambda: isinstance(rig.app.top, Confirm), what="the good card")


def test_take_back_your_card_until_it_is_lifted(rig: Rig) -> None:
    services(rig)
    choose(rig, "A  社保医保")
    read_card(rig)
    confirm(rig)
    taken = rig.app.top
    assert isinstance(taken, TicketTaken) and taken.card_on_reader
    shot(rig, "visit-take-back-card")
    rig.sim.remove()
    rig.pump(lambda: not taken.card_on_reader, what="the card being lifted")
    services_no_card = rig.app.top
    assert services_no_card is taken


def test_take_back_your_card_is_said_aloud_until_it_is_lifted(tmp_path: Path) -> None:
    """The reminder goes through the kiosk's real speech (voice pack + offline synthesiser)
    into WAV files: what the announcer played is checked, sample by sample, not a mock."""
    with terminal_rig(tmp_path, voice=True) as rig:
        voice = rig.voice
        assert voice is not None
        services(rig)
        choose(rig, "A  社保医保")
        read_card(rig)
        assert list(voice.spoken) == []               # nothing said before the ticket
        confirm(rig)
        taken = rig.app.top
        assert isinstance(taken, TicketTaken) and taken.card_on_reader
        assert voice.wait_idle(30), "the reminder was not spoken"
        (said,) = voice.spoken
        assert said.announcement.text == "请取回您的身份证。"
        assert said.rendering.sequence == ["synth:请取回您的身份证。"]
        assert 0.8 < said.rendering.seconds < 6.0      # a short sentence, not a click
        player = voice.player
        assert isinstance(player, WavFilePlayer)
        ((_at, wav),) = player.played
        heard = read_wav(wav)
        assert heard.data == said.rendering.pcm.data   # what was written is what was rendered
        assert heard.peak() > 3000 and heard.rms() > 300     # a voice, not silence
        rig.clock.advance(REMIND_S + 0.5)              # still there: said again
        rig.app.step(0)
        assert voice.wait_idle(30) and len(voice.spoken) == 2
        rig.sim.remove()
        rig.pump(lambda: not taken.card_on_reader, what="the card being lifted")
        rig.clock.advance(REMIND_S * 2)
        rig.app.step(0)
        assert voice.wait_idle(5) and len(voice.spoken) == 2   # lifted: no more reminders


def test_a_card_lifted_while_the_slip_prints_is_not_asked_for(tmp_path: Path) -> None:
    """She picks her card up while the slow printer works: the number shows without
    请取回您的身份证 (shown or said) — the countdown home starts at once."""
    with terminal_rig(tmp_path, voice=True) as rig:
        rig.printer.command("baud 2400")             # a slow serial printer: seconds a slip
        services(rig)
        choose(rig, "A  社保医保")
        read_card(rig)
        x, y = button(rig.app, "确认取号").rect.center
        touch_down(rig.app, x, y)                    # a tap, without waiting for the print
        rig.app.step(0)
        touch_up(rig.app, x, y)
        rig.app.step(0)
        top = rig.app.top
        assert isinstance(top, Busy), type(top).__name__
        rig.lift_card()                              # the CardRemoved reaches the Busy card
        rig.pump(lambda: not rig.app.busy and isinstance(rig.app.top, TicketTaken),
                 timeout_s=30, what="the ticket")
        taken = rig.app.top
        assert isinstance(taken, TicketTaken) and not taken.card_on_reader
        assert rig.voice is not None and rig.voice.wait_idle(5)
        assert list(rig.voice.spoken) == [] and taken.said == 0


def test_elder_mode_lasts_the_visit_after_a_ticket(rig: Rig) -> None:
    tap_widget(rig.app, button(rig.app, "长者模式 / 大字"))
    services(rig)
    choose(rig, "C  综合咨询")
    confirm(rig)
    tap_widget(rig.app, button(rig.app, "完成"))
    assert rig.app.top.is_home and rig.app.session.elder_mode and rig.app.theme.elder


def test_end_visit_wipes_it(rig: Rig) -> None:
    assert not any(getattr(w, "label", "") == vmsg.END_VISIT for w in rig.app.top.widgets)
    tap_widget(rig.app, button(rig.app, "长者模式 / 大字"))
    shot(rig, "visit-home-end-visit")
    assert layout_problems(rig.app.top, rig.app.theme, rig.app.size) == []
    tap_widget(rig.app, button(rig.app, vmsg.END_VISIT))
    assert rig.app.session.is_blank() and not rig.app.theme.elder
    assert isinstance(rig.app.top, Notice) and rig.app.top.title == vmsg.ENDED_TITLE
    assert rig.app.session.visits_ended == 1


def test_idle_warning_covers_personal_content(rig: Rig) -> None:
    services(rig)
    choose(rig, "A  社保医保")
    read_card(rig)                                   # the confirm dialog shows 持证人
    rig.pump(lambda: not rig.app.busy, what="the services reload")
    rig.clock.advance(rig.app.session.idle_timeout_s + 1)
    rig.app.step(0)
    warning = rig.app.top
    assert isinstance(warning, IdleWarning) and warning.covers_personal()
    rig.app.invalidate()
    rig.app.step(0)
    shown = pygame.image.tobytes(rig.app.surface, "RGB")
    alone = pygame.Surface(rig.app.size)
    alone.fill((255, 0, 255))                        # whatever lies below must not matter
    warning.draw(alone)
    assert pygame.image.tobytes(alone, "RGB") == shown
    shot(rig, "visit-idle-covers")


# ---- numbers a citizen holds, and the ways forward -----------------------------------------

def _printer_reports(rig: Rig, paper: PaperState) -> None:
    assert rig.terminal.receipt is not None
    rig.terminal.receipt.status()                    # what the monitor does every 5 s
    rig.pump(lambda: any(r.device == "receipt_printer" and r.paper == paper.value
                         for r in rig.terminal.reports()), what=f"the printer reporting {paper}")


def test_paper_out_is_shown_before_anyone_chooses(rig: Rig) -> None:
    rig.printer.command("paper out")
    _printer_reports(rig, PaperState.OUT)
    screen = services(rig)
    assert "服务台" in screen.heading() and "没纸" in screen.heading()
    buttons = [w for w in screen.widgets
               if isinstance(w, Button) and "  " in w.label]
    assert buttons and not any(b.enabled for b in buttons)
    shot(rig, "visit-paper-out-up-front")
    assert layout_problems(screen, rig.app.theme, rig.app.size) == []
    rig.printer.command("paper ok")
    _printer_reports(rig, PaperState.FULL)
    rig.app.step(0)
    assert "服务台" not in screen.heading()
    assert button(rig.app, "C  综合咨询").enabled


def test_a_number_sent_before_the_paper_ran_out_stays_valid_and_is_shown(rig: Rig) -> None:
    q = rig.terminal.queue
    assert q is not None
    q.repeat_guard_s = 0
    seen: set[str] = set()
    for n in range(6, 40):                           # paper out after n printed lines
        rig.printer.command("paper ok")
        rig.printer.command(f"paper out-after {n}")
        services(rig)
        choose(rig, "C  综合咨询")
        confirm(rig)
        top = rig.app.top
        if isinstance(top, TicketTaken) and top.incomplete:
            assert qmsg.INCOMPLETE_TITLE and "请保留并告诉工作人员" in top.lines()[0]
            assert top.ticket.number in top.lines()[0]
            live = {t.number: t.state for t in q.list_today()}
            assert live[top.ticket.number] is not TicketState.VOID
            shot(rig, "visit-slip-incomplete")
            seen.add("incomplete")
            break
        seen.add(type(top).__name__)
        tap_widget(rig.app, button(rig.app, "知道了" if isinstance(top, Notice) else "完成"))
        if isinstance(rig.app.top, HomeScreen):
            continue
    assert "incomplete" in seen, seen


def test_a_held_number_is_said_before_confirm_with_the_people_ahead(rig: Rig) -> None:
    """Someone else is ahead; 李*例 took A002 and comes back for 社保医保: before any 确认 she
    is told her number, that 1 person (not herself) is ahead, and that staff reprint a lost
    slip — and nothing is issued or asked."""
    q = rig.terminal.queue
    assert q is not None
    q.repeat_guard_s = 0
    other = CardInfo(id_number="110105196001015678", birth_date=date(1980, 1, 1),
                     masked_name="张*")
    assert q.take("A", other).ok
    rig.receipts(1)
    services(rig)
    choose(rig, "A  社保医保")
    read_card(rig)
    confirm(rig)
    assert isinstance(rig.app.top, TicketTaken) and rig.app.top.ticket.number == "A002"
    lift_card(rig)
    tap_widget(rig.app, button(rig.app, "完成"))
    services(rig)
    choose(rig, "A  社保医保")
    assert isinstance(rig.app.top, CardPrompt)
    rig.sim.place("resident")
    rig.pump(lambda: isinstance(rig.app.top, Notice | Confirm) and not rig.app.busy,
             what="the card being read and checked")
    notice = rig.app.top
    assert isinstance(notice, Notice), f"{type(notice).__name__}: asked to confirm again"
    assert notice.title == "您已经取过号了"
    assert "A002" in notice.message
    assert "前面还有 1 人" in notice.message          # 张*, not herself
    assert "补打" in notice.message and "服务台" in notice.message
    assert rig.app.session.card is None               # the flow ended: the card is forgotten
    shot(rig, "visit-already-holding")
    assert layout_problems(notice, rig.app.theme, rig.app.size) == []
    assert [t.number for t in q.list_today()] == ["A001", "A002"]
    tap_widget(rig.app, button(rig.app, "知道了"))
    assert isinstance(rig.app.top, ServicesScreen)


def test_a_held_number_at_a_window_says_where_to_go(rig: Rig) -> None:
    """Window 2 has called her number when she comes back to the kiosk: go there."""
    q = rig.terminal.queue
    assert q is not None
    services(rig)
    choose(rig, "A  社保医保")
    read_card(rig)
    confirm(rig)
    lift_card(rig)
    tap_widget(rig.app, button(rig.app, "完成"))
    store = q.store
    assert isinstance(store, SqliteQueueStore)
    store.login_window(2, "0207")
    assert store.call_next(2, "0207").number == "A001"
    services(rig)
    choose(rig, "A  社保医保")
    rig.sim.place("resident")
    rig.pump(lambda: isinstance(rig.app.top, Notice | Confirm) and not rig.app.busy,
             what="the card being read and checked")
    notice = rig.app.top
    assert isinstance(notice, Notice) and "A001" in notice.message
    assert "已经叫到您的号了，请到2号窗口办理" in notice.message


def lift_card(rig: Rig) -> None:
    taken = rig.app.top
    assert isinstance(taken, TicketTaken)
    rig.sim.remove()
    rig.pump(lambda: not taken.card_on_reader, what="the card being lifted")


def test_elderly_and_others_can_declare_priority(rig: Rig) -> None:
    services(rig)
    tap_widget(rig.app, button(rig.app, qmsg.PRIORITY_BUTTON))
    labels = {str(getattr(w, "label", "")) for w in rig.app.top.widgets}
    assert {"老年人", "行动不便", "带婴幼儿", "残疾人", "孕妇", "军人"} <= labels
    shot(rig, "visit-priority-choices")
    assert layout_problems(rig.app.top, rig.app.theme, rig.app.size) == []
    tap_widget(rig.app, button(rig.app, "老年人"))
    choose(rig, "C  综合咨询")
    confirm(rig)
    (receipt,) = rig.receipts(1)
    assert any("老年人优先" in line for line in receipt.text)


def test_home_says_when_the_whole_queue_is_closed(rig: Rig) -> None:
    q = rig.terminal.queue
    assert q is not None
    q.clock = lambda: datetime(2026, 11, 23, 19, 30)     # after hours: the kiosk's clock …
    q.store.clock = q.clock  # type: ignore[attr-defined]  # … and the hall's, which decides

    services(rig)
    home(rig)
    screen = rig.app.top
    assert isinstance(screen, HomeScreen)
    rig.pump(lambda: screen.queue_note != "", what="the closed queue on home")
    assert button(rig.app, "排队取号").sublabel == vmsg.QUEUE_CLOSED_SUB
    cfg = rig.app.cfg.hall
    assert "不是办理时间" in screen.queue_note
    assert cfg.phone in screen.queue_note and cfg.hours in screen.queue_note
    shot(rig, "visit-home-queue-closed")
    assert layout_problems(screen, rig.app.theme, rig.app.size) == []


def test_the_wait_reads_the_same_on_list_confirm_screen_and_slip(rig: Rig) -> None:
    q = rig.terminal.queue
    assert q is not None
    q.repeat_guard_s = 0
    for _ in range(8):                                   # C: five windows, 1 minute a ticket
        assert q.take("C").ok
    rig.receipts(8)
    services(rig)
    sub = button(rig.app, "C  综合咨询").sublabel           # "等候 8 人，约 5–10 分钟"
    wait = sub.split("，", 1)[1]
    assert wait.startswith("约 ") and wait.endswith("分钟")
    choose(rig, "C  综合咨询")
    dialog = rig.app.top
    assert isinstance(dialog, Confirm) and wait in dialog.message
    confirm(rig)
    taken = rig.app.top
    assert isinstance(taken, TicketTaken) and any(wait in line for line in taken.lines())
    slip = "\n".join(rig.receipts(9)[-1].text)
    assert f"预计等候：{wait.replace('–', '-')}" in slip


# ---- from a guide to its queue, and the guide's printer state --------------------------------

def open_guide(rig: Rig, code: str = "T-0001") -> GuideScreen:
    rig.app.push(GuideScreen(rig.app, code))
    rig.app.step(0)
    screen = rig.app.top
    assert isinstance(screen, GuideScreen)
    return screen


def test_a_guide_leads_to_its_queue_service(rig: Rig) -> None:
    guide = open_guide(rig)                         # 民政: 3号窗口 → B 民政救助
    go = button(rig.app, "去取号：民政救助（3号窗口）")
    shot(rig, "visit-guide-take-ticket")
    assert layout_problems(guide, rig.app.theme, rig.app.size) == []
    tap_widget(rig.app, go)
    rig.pump(lambda: isinstance(rig.app.top, CardPrompt), what="民政救助's card prompt")
    assert rig.app.top.purpose == "民政救助 取号"    # type: ignore[attr-defined]
    assert rig.terminal.usage.today()["guide_viewed"] == 1


def test_paper_out_is_said_on_the_print_button_before_printing(rig: Rig) -> None:
    rig.printer.command("paper out")
    _printer_reports(rig, PaperState.OUT)
    open_guide(rig)
    b = button(rig.app, "打印办事指南")
    assert b.sublabel == "凭条打印机暂时不能用" and b.style == "secondary"
    tap_widget(rig.app, b)
    notice = rig.app.top
    assert isinstance(notice, Notice) and "没纸" in notice.message and "服务台" in notice.message
    assert rig.printer.receipts == []
    assert rig.terminal.usage.today()["print_failed"] == 0   # nothing was sent


@pytest.mark.parametrize("size,elder", [((1080, 1920), True), ((1920, 1080), False),
                                        ((1920, 1080), True)],
                         ids=["portrait-elder", "landscape", "landscape-elder"])
def test_the_guide_with_take_ticket_fits(tmp_path: Path, size: tuple[int, int],
                                         elder: bool) -> None:
    with terminal_rig(tmp_path, size=size, elder=elder) as rig:
        guide = open_guide(rig)
        assert guide.ticket is not None
        shot(rig, f"visit-guide-{size[0]}-{'elder' if elder else 'normal'}")
        assert layout_problems(guide, rig.app.theme, rig.app.size) == []
