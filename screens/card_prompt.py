""""请将身份证放在感应区": waits for the reader's CardRead event (delivered by the Terminal
through the app's inbox), with a pulsing card drawing, a countdown and 取消. Returns the
record, or None (cancelled, timed out, reader unavailable). A card already read in this visit
is used again without asking: the citizen should not have to present it twice."""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING

import pygame

from devices.id_reader.events import CardRead, CardReadFailed, ReaderStatusChanged
from devices.status import DeviceState
from screens.chrome import Header
from screens.fonts import fontset
from screens.screen import Screen
from screens.text import draw_wrapped
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

TIMEOUT_S = 30.0
PROMPT = "请将身份证放在感应区"
HINT = "身份证平放在下方的感应区上，读好之前请不要拿开。"


class CardPrompt(Screen):
    def __init__(self, app: App, purpose: str, reader_ok: bool = True) -> None:
        super().__init__(app)
        self.purpose = purpose
        self.started = app.clock()
        self.message = HINT if reader_ok else "身份证阅读器暂时无法使用，请到服务窗口办理。"
        self.reader_ok = reader_ok
        self.phase = 0.0

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, self.purpose)
        header.back.on_tap = partial(self.finish, None)
        self.cancel = Button((t.margin, h - t.margin - t.big_button_h, w - 2 * t.margin,
                              t.big_button_h), "取消", partial(self.finish, None),
                             style="secondary", size=t.title)
        self.top_y = header.rect.bottom + t.margin
        self.widgets = [*header.parts(), self.cancel]

    def remaining(self) -> int:
        return max(0, math.ceil(TIMEOUT_S - (self.app.clock() - self.started)))

    def on_message(self, message: object) -> None:
        if isinstance(message, CardRead):
            self.finish(message.record)
        elif isinstance(message, CardReadFailed):
            self.message = "没有读出来，请把身份证拿起来，再平放一次。"
            self.started = self.app.clock()   # a fresh wait after a failed try
        elif isinstance(message, ReaderStatusChanged) and message.state != DeviceState.ONLINE:
            self.reader_ok = False
            self.message = "身份证阅读器暂时无法使用，请到服务窗口办理。"
        self.app.invalidate()

    def update(self, dt: float) -> bool:
        super().update(dt)
        if self.reader_ok and self.remaining() == 0:
            self.finish(None)
            return False
        self.phase = (self.phase + dt) % 1.6
        self.app.invalidate()
        return True   # the pulse and the countdown move

    def draw(self, surface: pygame.Surface) -> None:
        t, (w, _h) = self.theme, self.app.size
        surface.fill(t.colors.bg)
        y = self.top_y
        y += draw_wrapped(surface, fontset(True), PROMPT if self.reader_ok else "无法读卡",
                          t.title, pygame.Rect(t.margin, y, w - 2 * t.margin, t.title * 3),
                          t.colors.text, center=True) + t.margin
        card_w, card_h = t.mm(86), t.mm(54)
        lift = round(t.mm(6) * abs(math.sin(self.phase / 1.6 * math.pi)))
        pad = pygame.Rect((w - card_w - t.mm(20)) // 2, y + card_h // 2, card_w + t.mm(20),
                          card_h)
        pygame.draw.rect(surface, t.colors.line, pad, border_radius=t.radius)
        card = pygame.Rect((w - card_w) // 2, y + card_h // 4 - lift, card_w, card_h)
        if self.reader_ok:
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
        y = pad.bottom + t.margin
        y += draw_wrapped(surface, fontset(), self.message, t.body,
                          pygame.Rect(t.margin, y, w - 2 * t.margin, t.body * 4),
                          t.colors.text, center=True) + t.gap
        if self.reader_ok:
            draw_wrapped(surface, fontset(), f"还剩 {self.remaining()} 秒", t.body,
                         pygame.Rect(t.margin, y, w - 2 * t.margin, t.body * 2),
                         t.colors.muted, center=True)
        self.draw_widgets(surface)
