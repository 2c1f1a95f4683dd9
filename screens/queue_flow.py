"""排队取号: services (people waiting and the expected wait; closed ones greyed with their
hours) → ID card where the service needs it → confirm → printing → "请取走您的号票" with the
number very large → back home by itself.

The number counts only if the ticket came out (QueueService.take prints inside its own
transaction rules); this flow only shows what happened, and locks the button while issuing.
"""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING

import pygame

from devices.id_reader.record import IdCardRecord
from devices.status import DeviceState
from kiosk.queue.identity import CardInfo
from kiosk.queue.service import DECLARED_PRIORITIES, IssueResult, IssueStatus, ServiceStatus
from kiosk.terminal import Terminal
from screens.busy import Busy, run_busy
from screens.card_prompt import CANCELLED, UNAVAILABLE_REASON, CardPrompt
from screens.chrome import Header
from screens.dialog import Confirm, Dialog
from screens.fonts import fontset
from screens.messages import queue as msg
from screens.messages.queue import CHOOSE, LOADING, NONE_OPEN
from screens.screen import Screen
from screens.text import draw_wrapped, text_height
from screens.theme import Theme
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

SHOW_TICKET_S = 20.0


def service_sublabel(s: ServiceStatus) -> str:
    if not s.available:
        return s.note or f"办理时间 {s.hours_text}"
    card = "，需带身份证" if s.requires_id else ""
    return f"等候 {s.waiting} 人，{s.wait_text}{card}"


def two_lines(t: Theme, px: int) -> int:
    """Height a button needs for a label of `px` and its sublabel (Button's own sizes)."""
    sub = max(t.small, round(px * 0.6))
    return fontset(True).line_height(px) + fontset().line_height(sub) + t.gap


class ServicesScreen(Screen[None]):
    def __init__(self, app: App, terminal: Terminal) -> None:
        super().__init__(app)
        self.terminal = terminal
        self.statuses: list[ServiceStatus] | None = None
        self.declared = ""
        self.issuing = False

    def on_enter(self) -> None:
        super().on_enter()
        self.reload()

    def on_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        q = self.terminal.queue
        if q is None:
            self.statuses = []
            self.layout()
            return
        self.run_worker(q.overview, self._loaded, self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        self.statuses = []
        self.layout()
        self.app.notice(msg.CANNOT_TAKE_TITLE, msg.QUEUE_UNAVAILABLE)

    def _loaded(self, statuses: list[ServiceStatus]) -> None:
        self.statuses = statuses
        self.layout()
        self.app.invalidate()

    def draw(self, surface: pygame.Surface) -> None:
        """The line above the services: what to do, or why there is nothing to choose."""
        t, (w, _h) = self.theme, self.app.size
        surface.fill(t.colors.bg)
        text = (LOADING if self.statuses is None else CHOOSE if self.statuses else NONE_OPEN)
        draw_wrapped(surface, fontset(), text, t.body,
                     pygame.Rect(t.margin, self.text_top, w - 2 * t.margin, t.body * 3),
                     t.colors.text, max_lines=2, center=True)
        self.draw_widgets(surface)

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, "排队取号")
        self.widgets = [*header.parts()]
        self.text_top = header.rect.bottom + t.margin
        y = self.text_top + fontset().line_height(t.body) + t.margin
        statuses = self.statuses or []
        room = h - t.margin - t.button_h - t.gap - y      # above the priority button
        cols, bh = self._grid(len(statuses), room)
        px = t.title if bh >= two_lines(t, t.title) else t.body
        bw = (w - 2 * t.margin - (cols - 1) * t.gap) // cols
        for i, s in enumerate(statuses):
            r, c = divmod(i, cols)
            b = Button((t.margin + c * (bw + t.gap), y + r * (bh + t.gap), bw, bh),
                       f"{s.prefix}  {s.name}", partial(self.choose, s),
                       style="primary" if s.available else "secondary", size=px,
                       sublabel=service_sublabel(s))
            b.enabled = s.available and not self.issuing
            self.widgets.append(b)
        label = (f"已选：{self.declared}优先（取号后请向工作人员出示证件）" if self.declared
                 else "需要优先照顾？（残疾人、军人、孕妇）")
        self.priority = Button((t.margin, h - t.margin - t.button_h, w - 2 * t.margin,
                                t.button_h), label, self.ask_priority, style="secondary")
        self.priority.selected = bool(self.declared)
        self.widgets.append(self.priority)

    def _grid(self, n: int, room: int) -> tuple[int, int]:
        """Columns and button height: one column of big buttons while they fit; a hall with
        many services gets shorter buttons, then two columns, never buttons off-screen."""
        t = self.theme
        bh = t.big_button_h
        for cols in (1, 2):
            rows = max(1, math.ceil(n / cols))
            bh = min(t.big_button_h, (room + t.gap) // rows - t.gap)
            if bh >= two_lines(t, t.body):
                return cols, bh
        return 2, max(t.target, bh)

    def ask_priority(self) -> None:
        options = [(p, p) for p in DECLARED_PRIORITIES] + [("不需要", "")]
        self.app.push(PriorityChoice(self.app, "优先照顾", "请选择您的情况。取号后请向工作人员"
                                     "出示相关证件，由工作人员核验。", list(options)),
                      on_result=self._priority_chosen)

    def _priority_chosen(self, value: str | None) -> None:
        if value is not None:
            self.declared = value
            self.layout()
            self.app.invalidate()

    # ---- the flow ---------------------------------------------------------------------------
    def choose(self, s: ServiceStatus) -> None:
        if self.issuing:
            return
        card = self.app.session.card
        if s.requires_id and card is None:
            reader = self.terminal.reader
            ok = reader is not None and reader.status().state is DeviceState.ONLINE
            prompt = CardPrompt(self.app, f"{s.name} 取号", ok)
            self.app.push(prompt, on_result=partial(self._card_read, s, prompt))
            return
        self.confirm(s)

    def _card_read(self, s: ServiceStatus, prompt: CardPrompt, record: IdCardRecord | None) -> None:
        if record is None:
            if prompt.reason not in (CANCELLED, UNAVAILABLE_REASON):   # it told them already
                self.app.notice(msg.CARD_NOT_READ_TITLE, msg.CARD_NEEDED.format(service=s.name))
            return
        self.app.session.card = record   # wiped with the visit
        self.confirm(s)

    def confirm(self, s: ServiceStatus) -> None:
        card = self.app.session.card
        who = f"\n持证人：{card.masked_name}" if card is not None and s.requires_id else ""
        pri = f"\n优先：{self.declared}（待工作人员核验）" if self.declared else ""
        text = (f"业务：{s.prefix} {s.name}\n前面等候：{s.waiting} 人，{s.wait_text}"
                f"{who}{pri}")
        self.app.push(Confirm(self.app, "确认取号", text, yes="确认取号"),
                      on_result=partial(self._confirmed, s))

    def _confirmed(self, s: ServiceStatus, yes: bool | None) -> None:
        if not yes or self.issuing or self.terminal.queue is None:
            return
        self.issuing = True
        self.layout()
        busy = Busy(self.app, "正在打印号票", "请稍候，打印好后请从出纸口取走。")
        card = self.app.session.card
        info = CardInfo.from_record(card) if (card is not None and s.requires_id) else None
        q = self.terminal.queue
        declared = self.declared

        def done(result: IssueResult) -> None:
            self.issuing = False
            self.layout()
            self._issued(s, result)

        def failed(exc: BaseException) -> None:
            self.issuing = False
            self.layout()
            self.app.notice(msg.TAKE_FAILED_TITLE, msg.TAKE_FAILED)

        run_busy(self, busy, lambda: q.take(s.prefix, info, declared), done, failed)

    def _issued(self, s: ServiceStatus, result: IssueResult) -> None:
        if result.status is IssueStatus.BUSY:
            return   # a second tap while the first prints: the first one's result shows
        if not result.ok or result.ticket is None:
            self.app.notice("取号没有成功", result.message)
            self.reload()
            return
        self.app.push(TicketTaken(self.app, s, result))


class PriorityChoice(Dialog[str]):
    """Four answers in two rows: side by side, 残疾人 and 不需要 wrap in elder mode."""

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        cw = min(w - 2 * t.margin, t.mm(200))
        inner = cw - 2 * t.margin
        rows = math.ceil(len(self.choices) / 2)
        grid_h = rows * t.big_button_h + (rows - 1) * t.gap
        ch = (t.margin * 3 + text_height(fontset(True), self.title, t.title, inner) + t.gap
              + text_height(fontset(), self.message, t.body, inner) + grid_h)
        self.card = pygame.Rect((w - cw) // 2, (h - ch) // 2, cw, ch)
        bw = (inner - t.gap) // 2
        top = self.card.bottom - t.margin - grid_h
        self.widgets = []
        for i, (label, result) in enumerate(self.choices):
            r, c = divmod(i, 2)
            rect = (self.card.left + t.margin + c * (bw + t.gap),
                    top + r * (t.big_button_h + t.gap), bw, t.big_button_h)
            self.widgets.append(Button(rect, label, partial(self.finish, result),
                                       style="secondary" if result else "primary",
                                       size=t.title))
        self.shade = pygame.Surface((w, h), pygame.SRCALPHA)
        self.shade.fill(t.colors.shade)


class TicketTaken(Screen[None]):
    """The number, very large; then home by itself with the visit wiped."""

    def __init__(self, app: App, s: ServiceStatus, result: IssueResult) -> None:
        super().__init__(app)
        assert result.ticket is not None
        self.service = s
        self.ticket = result.ticket
        self.slip = result.slip
        self.shown_at = app.clock()
        self._shown_left = -1

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        self.done = Button((t.margin, h - t.margin - t.big_button_h, w - 2 * t.margin,
                            t.big_button_h), "完成", self.app.end_session, size=t.title)
        self.widgets = [self.done]

    def seconds_left(self) -> int:
        return max(0, math.ceil(SHOW_TICKET_S - (self.app.clock() - self.shown_at)))

    def update(self, dt: float) -> bool:
        left = self.seconds_left()
        if left == 0:
            self.app.end_session()
            return False
        if left != self._shown_left:
            self._shown_left = left
            self.app.invalidate()    # the countdown line
        return super().update(dt)

    def lines(self) -> list[str]:
        s, tk = self.service, self.ticket
        ahead = (f"前面还有 {tk.people_ahead} 人" if tk.people_ahead
                 else "前面没有人等候，请留意叫号")
        out = [f"{s.name}", ahead]
        if self.slip is not None:
            if tk.people_ahead:
                out[1] += f"，预计等候{self.slip.wait_text}"
            if self.slip.priority:
                out.append(self.slip.priority)
        if s.where:
            out.append(f"请到{s.where}等候叫号")
        out.append(msg.KEEP_TICKET)
        return out

    def draw(self, surface: pygame.Surface) -> None:
        t, (w, _h) = self.theme, self.app.size
        surface.fill(t.colors.bg)
        y = t.margin * 2
        y += draw_wrapped(surface, fontset(True), "请取走您的号票", t.title,
                          pygame.Rect(t.margin, y, w - 2 * t.margin, t.title * 2),
                          t.colors.text, center=True) + t.margin
        big = min(t.mm(70), w // 4)
        y += draw_wrapped(surface, fontset(True), self.ticket.number, big,
                          pygame.Rect(t.margin, y, w - 2 * t.margin, big * 2),
                          t.colors.accent, max_lines=1, center=True) + t.margin
        for line in self.lines():
            y += draw_wrapped(surface, fontset(), line, t.body,
                              pygame.Rect(t.margin, y, w - 2 * t.margin, t.body * 3),
                              t.colors.text, center=True) + t.gap
        lh = fontset().line_height(t.body)
        draw_wrapped(surface, fontset(), f"{self.seconds_left()} 秒后自动回到首页", t.body,
                     pygame.Rect(t.margin, self.done.rect.top - t.gap - lh, w - 2 * t.margin,
                                 lh), t.colors.muted, max_lines=1, center=True)
        self.draw_widgets(surface)


def open_queue(app: App, terminal: Terminal) -> None:
    if terminal.queue is None:
        app.notice(msg.CANNOT_TAKE_TITLE, msg.QUEUE_UNAVAILABLE)
        return
    app.push(ServicesScreen(app, terminal))
