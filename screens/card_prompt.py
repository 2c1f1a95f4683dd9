""""请将身份证放在感应区": waits for the reader's CardRead event (delivered by the Terminal
through the app's inbox), with a pulsing card drawing, a countdown and 取消. Returns the
record, or None; `reason` then says why (CANCELLED, TIMED_OUT, UNAVAILABLE), so the flow can
stay quiet after 取消 and explain a time-out. A card serves one flow: every ticket asks for it
(the caller forgets it when its flow ends).

A card whose number fails its check digit (GB 11643) is refused here with a plain message and
the prompt waits for another: it is never used for a ticket.

A card lying on the reader before the prompt opened was already reported (the reader reads a
card once per presentation), so the hint asks to lift it and place it again.

In development mode ([id_reader] sim_control set) a small labelled button places one of the
simulator's cards (screens/dev_card.py); it is never there on a real kiosk."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from devices.id_reader.events import DEVICE as READER
from devices.id_reader.events import CardRead, CardReadFailed
from devices.id_reader.record import IdCardRecord
from devices.status import DeviceState, StatusUpdate
from screens.chrome import Header
from screens.dev_card import dev_card_button
from screens.fonts import fontset
from screens.messages import card as msg
from screens.screen import Screen
from screens.text import draw_wrapped
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

TIMEOUT_S = 30.0
PROMPT, HINT, OFFLINE_TITLE = msg.PROMPT, msg.HINT, msg.OFFLINE_TITLE
UNAVAILABLE, RETRY, BAD_NUMBER = msg.UNAVAILABLE, msg.RETRY, msg.BAD_NUMBER

CANCELLED = "cancelled"
TIMED_OUT = "timed_out"
UNAVAILABLE_REASON = "unavailable"
READ = "read"


class CardPrompt(Screen[IdCardRecord]):
    def __init__(self, app: App, purpose: str, reader_ok: bool = True) -> None:
        super().__init__(app)
        self.purpose = purpose
        self.started = app.clock()
        self.message = HINT if reader_ok else UNAVAILABLE
        self.reader_ok = reader_ok
        self.reason = "" if reader_ok else UNAVAILABLE_REASON
        self.phase = 0.0
        self.rejected = 0          # cards refused for a bad check digit

    def _close(self, reason: str, record: IdCardRecord | None = None) -> None:
        self.reason = reason
        self.finish(record)

    def cancel(self) -> None:
        self._close(CANCELLED if self.reader_ok else UNAVAILABLE_REASON)

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, self.purpose)
        header.back.on_tap = self.cancel
        self.cancel_button = Button((t.margin, h - t.margin - t.big_button_h, w - 2 * t.margin,
                                     t.big_button_h), msg.CANCEL if self.reader_ok else msg.BACK,
                                    self.cancel, style="secondary", size=t.title)
        self.top_y = header.rect.bottom + t.margin
        self.widgets = [*header.parts(), self.cancel_button]
        dev = dev_card_button(self.app, self.cancel_button.rect.top - t.gap)
        if dev is not None:
            self.widgets.append(dev)

    def remaining(self) -> int:
        return max(0, math.ceil(TIMEOUT_S - (self.app.clock() - self.started)))

    def on_message(self, message: object) -> None:
        if isinstance(message, CardRead):
            if message.record.id_number_valid:
                self._close(READ, message.record)
                return
            # A number whose check digit is wrong (a damaged or forged card): never used.
            self.message = BAD_NUMBER
            self.started = self.app.clock()
            self.rejected += 1
        if isinstance(message, CardReadFailed):
            self.message = RETRY
            self.started = self.app.clock()   # a fresh wait after a failed try
        elif isinstance(message, StatusUpdate) and message.device == READER:
            self._reader_changed(message.state is DeviceState.ONLINE)
        self.app.invalidate()

    def _reader_changed(self, online: bool) -> None:
        """A reader that drops out says so at once; one that comes back is used again."""
        if online == self.reader_ok:
            return
        self.reader_ok = online
        self.reason = "" if online else UNAVAILABLE_REASON
        self.message = HINT if online else UNAVAILABLE
        self.started = self.app.clock()
        self.layout()

    def update(self, dt: float) -> bool:
        super().update(dt)
        if not self.reader_ok:
            return False   # nothing moves and nothing times out: the citizen reads and leaves
        if self.remaining() == 0:
            self._close(TIMED_OUT)
            return False
        self.phase = (self.phase + dt) % 1.6
        self.app.invalidate()
        return True   # the pulse and the countdown move

    def draw(self, surface: pygame.Surface) -> None:
        t, (w, _h) = self.theme, self.app.size
        surface.fill(t.colors.bg)
        y = self.top_y
        y += draw_wrapped(surface, fontset(True), PROMPT if self.reader_ok else OFFLINE_TITLE,
                          t.title, pygame.Rect(t.margin, y, w - 2 * t.margin, t.title * 3),
                          t.colors.text, center=True) + t.margin
        if self.reader_ok:
            y = self._draw_card(surface, y)
        y += draw_wrapped(surface, fontset(), self.message, t.body,
                          pygame.Rect(t.margin, y, w - 2 * t.margin, t.body * 4),
                          t.colors.text, center=True) + t.gap
        if self.reader_ok:
            draw_wrapped(surface, fontset(), msg.seconds_left(self.remaining()), t.body,
                         pygame.Rect(t.margin, y, w - 2 * t.margin, t.body * 2),
                         t.colors.muted, center=True)
        self.draw_widgets(surface)

    def _draw_card(self, surface: pygame.Surface, y: int) -> int:
        """A card lifting over the reader's pad; returns the y below it. Not drawn while the
        reader is offline: the bare grey pad alone looked like a picture that failed."""
        t, (w, _h) = self.theme, self.app.size
        card_w, card_h = t.mm(86), t.mm(54)
        lift = round(t.mm(6) * abs(math.sin(self.phase / 1.6 * math.pi)))
        pad = pygame.Rect((w - card_w - t.mm(20)) // 2, y + card_h // 2, card_w + t.mm(20),
                          card_h)
        pygame.draw.rect(surface, t.colors.line, pad, border_radius=t.radius)
        card = pygame.Rect((w - card_w) // 2, y + card_h // 4 - lift, card_w, card_h)
        pygame.draw.rect(surface, t.colors.surface, card, border_radius=t.radius)
        pygame.draw.rect(surface, t.colors.primary, card, width=max(2, t.mm(0.8)),
                         border_radius=t.radius)
        photo = pygame.Rect(card.right - card_w // 3, card.top + card_h // 6,
                            card_w // 4, card_h // 2)
        pygame.draw.rect(surface, t.colors.pressed, photo)
        for i in range(3):
            ly = card.top + card_h // 5 + i * card_h // 5
            pygame.draw.line(surface, t.colors.line, (card.left + t.mm(6), ly),
                             (photo.left - t.mm(4), ly), max(2, t.mm(1)))
        return pad.bottom + t.margin
