"""排队取号: services (people waiting and the expected wait) → ID card where the service needs it
→ confirm → printing → the number on screen (screens/ticket_taken.py) → back home.

Said before anyone chooses: a receipt printer that cannot print (no paper) disables every
service with the reason and a way forward (服务台). A closed service says when it opens. The
card read for a ticket serves that ticket only: it is forgotten when the flow ends in any way
(issued, refused, cancelled, 返回, 首页) and when it is lifted — the next ticket asks again.
The number counts only if the ticket came out (QueueService.take); this flow shows what
happened and locks the button while issuing. Every word is in screens/messages/queue.py.
"""

from __future__ import annotations

import logging
import math
from functools import partial
from typing import TYPE_CHECKING

import pygame

from devices.id_reader.record import IdCardRecord
from devices.status import DeviceState, StatusUpdate
from kiosk.queue.identity import CardInfo
from kiosk.queue.model import Ticket
from kiosk.queue.service import DECLARED_PRIORITIES, IssueResult, IssueStatus, ServiceStatus
from kiosk.terminal import Terminal
from kiosk.usage import Usage
from screens.busy import Busy, run_busy
from screens.card_prompt import CANCELLED, UNAVAILABLE_REASON, CardPrompt
from screens.chrome import Header
from screens.dialog import Confirm, Dialog
from screens.fonts import fontset
from screens.messages import queue as msg
from screens.screen import Screen
from screens.text import draw_wrapped, text_height
from screens.theme import Theme
from screens.ticket_taken import SHOW_TICKET_S, TicketTaken
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

__all__ = ["SHOW_TICKET_S", "ServicesScreen", "TicketTaken", "open_queue"]

log = logging.getLogger(__name__)


def two_lines(t: Theme, px: int) -> int:
    """Height a button needs for a label of `px` and its sublabel (Button's own sizes)."""
    sub = max(t.small, round(px * 0.6))
    return fontset(True).line_height(px) + fontset().line_height(sub) + t.gap


class ServicesScreen(Screen[None]):
    def __init__(self, app: App, terminal: Terminal, preselect: str = "") -> None:
        super().__init__(app)
        self.terminal = terminal
        self.preselect = preselect    # 去取号 from a guide: that service, once it has loaded
        self.statuses: list[ServiceStatus] | None = None
        self.declared = ""
        self.issuing = False
        self.printer_words = ""       # the receipt printer's trouble, "" when it can print
        self.lifted_at_read = 0       # session.cards_lifted when this ticket's card was read

    def on_enter(self) -> None:
        self.app.session.forget_card()     # a card read for an earlier flow is not reused
        self.printer_words = self._printer_trouble()
        super().on_enter()
        self.reload()

    def on_exit(self) -> None:
        self.app.session.forget_card()     # 返回, 首页, the visit's end: the card goes
        super().on_exit()

    def on_resume(self) -> None:
        self.reload()

    def _printer_trouble(self) -> str:
        if self.terminal.receipt is None:
            return msg.NOT_CONNECTED
        for r in self.terminal.reports():
            if r.device == "receipt_printer" and r.enabled and not r.ok:
                return r.words
        return ""

    def on_message(self, message: object) -> None:
        if isinstance(message, StatusUpdate) and message.device == "receipt_printer":
            words = self._printer_trouble()
            if words != self.printer_words:
                self.printer_words = words
                self.layout()
                self.app.invalidate()

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
        self.app.notice(msg.QUEUE_DOWN_TITLE, msg.QUEUE_DOWN)

    def _loaded(self, statuses: list[ServiceStatus]) -> None:
        self.statuses = statuses
        self.layout()
        self.app.invalidate()
        chosen = next((s for s in statuses if s.prefix == self.preselect), None)
        self.preselect = ""
        if chosen is not None:
            self.choose(chosen)

    def heading(self) -> str:
        if self.printer_words:
            return msg.printer_down(self.printer_words)
        return msg.LOADING if self.statuses is None else msg.CHOOSE if self.statuses \
            else msg.NONE_OPEN

    def draw(self, surface: pygame.Surface) -> None:
        """The line above the services: what to do, or why there is nothing to choose."""
        t, (w, _h) = self.theme, self.app.size
        surface.fill(t.colors.bg)
        color = t.colors.warn_text if self.printer_words else t.colors.text
        draw_wrapped(surface, fontset(True) if self.printer_words else fontset(), self.heading(),
                     t.body, pygame.Rect(t.margin, self.text_top, w - 2 * t.margin,
                                         self.text_h), color, center=True)
        self.draw_widgets(surface)

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, msg.TITLE)
        self.widgets = [*header.parts()]
        self.text_top = header.rect.bottom + t.margin
        self.text_h = text_height(fontset(True), self.heading(), t.body, w - 2 * t.margin)
        y = self.text_top + self.text_h + t.margin
        statuses = self.statuses or []
        room = h - t.margin - t.button_h - t.gap - y      # above the priority button
        cols, bh = self._grid(len(statuses), room)
        px = t.title if bh >= two_lines(t, t.title) else t.body
        bw = (w - 2 * t.margin - (cols - 1) * t.gap) // cols
        for i, s in enumerate(statuses):
            r, c = divmod(i, cols)
            usable = s.available and not self.printer_words
            b = Button((t.margin + c * (bw + t.gap), y + r * (bh + t.gap), bw, bh),
                       f"{s.prefix}  {s.name}", partial(self.choose, s),
                       style="primary" if usable else "secondary", size=px,
                       sublabel=msg.printer_down_sub() if self.printer_words and s.available
                       else msg.sublabel(s))
            # A closed service can still be tapped: it says when it opens.
            b.enabled = not self.issuing and not self.printer_words
            self.widgets.append(b)
        label = msg.chosen_priority(self.declared) if self.declared else msg.PRIORITY_BUTTON
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
        options: list[tuple[str, str | None]] = [(p, p) for p in DECLARED_PRIORITIES]
        options.append((msg.PRIORITY_NONE, ""))
        self.app.push(PriorityChoice(self.app, msg.PRIORITY_TITLE, msg.PRIORITY_ASK, options),
                      on_result=self._priority_chosen)

    def _priority_chosen(self, value: str | None) -> None:
        if value is not None:
            self.declared = value
            self.layout()
            self.app.invalidate()

    # ---- the flow ---------------------------------------------------------------------------
    def choose(self, s: ServiceStatus) -> None:
        if self.issuing or self.printer_words:
            return
        if not s.available:
            now = self.terminal.queue.clock() if self.terminal.queue is not None else None
            if now is not None:
                self.app.notice(msg.CLOSED_TITLE, msg.closed_text(s, now))
            return
        if s.requires_id:
            self.app.session.forget_card()   # never a card read for someone else's ticket
            reader = self.terminal.reader
            ok = reader is not None and reader.status().state is DeviceState.ONLINE
            prompt = CardPrompt(self.app, msg.card_purpose(s.name), ok)
            self.app.push(prompt, on_result=partial(self._card_read, s, prompt))
            return
        self.confirm(s)

    def _card_read(self, s: ServiceStatus, prompt: CardPrompt, record: IdCardRecord | None) -> None:
        if record is None:
            if prompt.reason not in (CANCELLED, UNAVAILABLE_REASON):   # it told them already
                self.app.notice(msg.NO_CARD_TITLE, msg.needs_card(s.name))
            return
        self.app.session.card = record   # for this ticket only
        self.lifted_at_read = self.app.session.cards_lifted
        q = self.terminal.queue
        if q is None:
            self.confirm(s)
            return
        info = CardInfo.from_record(record)
        # Before 确认: a person who already holds this service's number is told which, and
        # how many are ahead of it now — not asked to confirm a ticket the hall would refuse.
        run_busy(self, Busy(self.app, msg.CHECKING_TITLE, msg.CHECKING),
                 lambda: q.holding(s.prefix, info), partial(self._holding, s),
                 partial(self._holding_unknown, s))

    def _holding(self, s: ServiceStatus, held: Ticket | None) -> None:
        if held is None:
            self.confirm(s)
            return
        self.app.session.forget_card()           # this flow ends here: no ticket to take
        q = self.terminal.queue
        wait = q.wait_text_for(s.prefix, held.people_ahead) if q is not None else ""
        self.app.notice(msg.HOLDING_TITLE, msg.holding_text(s.name, held, wait, s.where))

    def _holding_unknown(self, s: ServiceStatus, exc: BaseException) -> None:
        """The hall could not say (the link is down): ask to confirm; the hall's own rule
        still refuses a second ticket when it issues."""
        log.warning("holding check for %s failed: %s", s.prefix, type(exc).__name__)
        self.confirm(s)

    def confirm(self, s: ServiceStatus) -> None:
        card = self.app.session.card
        holder = card.masked_name if card is not None and s.requires_id else ""
        dialog = Confirm(self.app, msg.CONFIRM_TITLE, msg.confirm_text(s, holder, self.declared),
                         yes=msg.CONFIRM_YES)
        dialog.personal = bool(holder)          # hidden behind the idle warning
        self.app.push(dialog, on_result=partial(self._confirmed, s))

    def _confirmed(self, s: ServiceStatus, yes: bool | None) -> None:
        if not yes or self.issuing or self.terminal.queue is None:
            self.app.session.forget_card()      # 取消: this flow's card is not kept
            return
        self.issuing = True
        self.layout()
        busy = Busy(self.app, msg.PRINTING_TITLE, msg.PRINTING)
        card = self.app.session.card
        info = CardInfo.from_record(card) if (card is not None and s.requires_id) else None
        self.app.session.forget_card()          # CardInfo holds what the queue needs
        q = self.terminal.queue
        declared = self.declared

        def done(result: IssueResult) -> None:
            self.issuing = False
            self.layout()
            # 请取回您的身份证 only for a card still lying there (not lifted while printing)
            on_reader = info is not None and self.app.session.cards_lifted == self.lifted_at_read
            self._issued(s, result, card_on_reader=on_reader)

        def failed(exc: BaseException) -> None:
            self.issuing = False
            self.layout()
            self.app.notice(msg.NOT_TAKEN_TITLE, msg.NOT_TAKEN)

        run_busy(self, busy, lambda: q.take(s.prefix, info, declared), done, failed)

    def _issued(self, s: ServiceStatus, result: IssueResult, card_on_reader: bool) -> None:
        if result.status is IssueStatus.BUSY:
            return   # a second tap while the first prints: the first one's result shows
        usage = self.terminal.usage
        if result.ok:
            usage.add(Usage.TICKET_ISSUED)
        elif result.status in (IssueStatus.PRINT_FAILED, IssueStatus.INCOMPLETE):
            usage.add(Usage.TICKET_FAILED)
        if result.ticket is not None and result.status in (IssueStatus.ISSUED,
                                                           IssueStatus.INCOMPLETE):
            self.app.push(TicketTaken(self.app, s, result, card_on_reader))
            return
        self.app.notice(msg.NOT_TAKEN_TITLE, result.message)
        self.reload()


class PriorityChoice(Dialog[str]):
    """The answers in rows of two (side by side, long ones wrap in elder mode)."""

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


def open_queue(app: App, terminal: Terminal, preselect: str = "") -> None:
    if terminal.queue is None:
        app.notice(msg.QUEUE_DOWN_TITLE, msg.QUEUE_DOWN)
        return
    app.push(ServicesScreen(app, terminal, preselect))
