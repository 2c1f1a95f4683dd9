"""The number on screen after 确认取号: very large, with how long and where; "请取回您的身份证"
until the card is lifted off the reader — also said aloud when the kiosk has a voice
(screens/kiosk_voice.py), again every REMIND_S while the card lies there; then home by
itself — the flow ends (its card is forgotten) but the visit goes on, so elder mode stays for
the next errand.

When the slip may be incomplete (IssueStatus.INCOMPLETE: the print failed after the number was
sent) the number is still valid: it is shown here with "如果小票已经打出，请保留并告诉工作人员",
so what the citizen holds is never a dead number."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from devices.id_reader.events import CardRemoved
from kiosk.queue.service import IssueResult, IssueStatus, ServiceStatus
from screens.fonts import fontset
from screens.messages import queue as msg
from screens.screen import Screen
from screens.text import draw_wrapped
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

SHOW_TICKET_S = 20.0
REMIND_S = 12.0      # while the card still lies on the reader, the reminder is said again …
REMINDERS = 3        # … at most this many times in all (the band on screen goes on showing it)


class TicketTaken(Screen[None]):
    def __init__(self, app: App, s: ServiceStatus, result: IssueResult,
                 card_on_reader: bool = False) -> None:
        super().__init__(app)
        assert result.ticket is not None
        self.service = s
        self.result = result
        self.ticket = result.ticket
        self.slip = result.slip
        self.incomplete = result.status is IssueStatus.INCOMPLETE
        self.card_on_reader = card_on_reader
        self.shown_at = app.clock()
        self._shown_left = -1
        self.said = 0                  # times 请取回您的身份证 was said aloud
        self._said_at = 0.0

    def on_enter(self) -> None:
        super().on_enter()
        if self.card_on_reader:
            self._remind()

    def _remind(self) -> None:
        """Say it (when this kiosk has a voice); the band on screen shows it regardless."""
        if self.app.actions.say(msg.TAKE_CARD_SPOKEN):
            self.said += 1
        self._said_at = self.app.clock()

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        self.done = Button((t.margin, h - t.margin - t.big_button_h, w - 2 * t.margin,
                            t.big_button_h), msg.DONE, self.app.go_home, size=t.title)
        self.widgets = [self.done]

    def on_message(self, message: object) -> None:
        if isinstance(message, CardRemoved) and self.card_on_reader:
            self.card_on_reader = False
            self.shown_at = self.app.clock()   # the countdown starts once the card is back
            self.app.invalidate()

    def seconds_left(self) -> int:
        return max(0, math.ceil(SHOW_TICKET_S - (self.app.clock() - self.shown_at)))

    def update(self, dt: float) -> bool:
        if self.card_on_reader and 0 < self.said < REMINDERS \
                and self.app.clock() - self._said_at >= REMIND_S:
            self._remind()
        if not self.card_on_reader:
            left = self.seconds_left()
            if left == 0:
                self.app.go_home()        # the flow is over; the visit (elder mode) is not
                return False
            if left != self._shown_left:
                self._shown_left = left
                self.app.invalidate()    # the countdown line
        return super().update(dt)

    def lines(self) -> list[str]:
        s, tk = self.service, self.ticket
        wait = self.slip.wait_text if self.slip is not None else ""
        priority = self.slip.priority if self.slip is not None else ""
        out = msg.ticket_lines(s.name, tk.people_ahead, wait, priority, s.where)
        if self.incomplete:
            out.insert(0, self.result.message)
        return out

    def draw(self, surface: pygame.Surface) -> None:
        t, (w, _h) = self.theme, self.app.size
        c = t.colors
        surface.fill(c.bg)
        y = t.margin * 2
        head = msg.INCOMPLETE_TITLE if self.incomplete else msg.TAKE_SLIP
        y += draw_wrapped(surface, fontset(True), head, t.title,
                          pygame.Rect(t.margin, y, w - 2 * t.margin, t.title * 2),
                          c.text, center=True) + t.margin
        big = min(t.mm(70), w // 4)
        y += draw_wrapped(surface, fontset(True), self.ticket.number, big,
                          pygame.Rect(t.margin, y, w - 2 * t.margin, big * 2),
                          c.accent, max_lines=1, center=True) + t.margin
        if self.card_on_reader:
            y += self._draw_take_card(surface, y) + t.margin
        for line in self.lines():
            y += draw_wrapped(surface, fontset(), line, t.body,
                              pygame.Rect(t.margin, y, w - 2 * t.margin, t.body * 4),
                              c.text, center=True) + t.gap
        if not self.card_on_reader:
            lh = fontset().line_height(t.body)
            draw_wrapped(surface, fontset(), msg.back_home_in(self.seconds_left()), t.body,
                         pygame.Rect(t.margin, self.done.rect.top - t.gap - lh,
                                     w - 2 * t.margin, lh), c.muted, max_lines=1, center=True)
        self.draw_widgets(surface)

    def _draw_take_card(self, surface: pygame.Surface, y: int) -> int:
        """A band the citizen cannot miss: the card is still on the reader."""
        t, (w, _h) = self.theme, self.app.size
        c = t.colors
        lh = fontset(True).line_height(t.title) + fontset().line_height(t.body)
        band = pygame.Rect(t.margin, y, w - 2 * t.margin, lh + 2 * t.margin)
        pygame.draw.rect(surface, c.primary, band, border_radius=t.radius)
        inner = band.inflate(-2 * t.margin, -2 * t.margin)
        dy = draw_wrapped(surface, fontset(True), msg.TAKE_CARD, t.title, inner, c.on_primary,
                          max_lines=1, center=True)
        draw_wrapped(surface, fontset(), msg.TAKE_CARD_HINT, t.body,
                     pygame.Rect(inner.left, inner.top + dy, inner.width, inner.height - dy),
                     c.on_primary, max_lines=1, center=True)
        return band.height
