"""Home / attract screen: the hall's name, the date and time, the four big choices and the
长者模式 (大字) switch; while a visit is under way, 结束办理 beside it wipes the visit. An idle
kiosk returns here with the visit wiped. When no queue service takes numbers now, 排队取号
says so with the hall's hours and phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from screens.dev_card import dev_card_button
from screens.fonts import fontset
from screens.messages import visit as msg
from screens.screen import Screen
from screens.text import draw_wrapped, text_height
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

WEEKDAYS = msg.WEEKDAYS


def now_text(now: dt.datetime) -> tuple[str, str]:
    """('14:05', '2026年11月23日 星期一')"""
    return now.strftime("%H:%M"), msg.date_text(now)


class HomeScreen(Screen[None]):
    is_home = True

    def __init__(self, app: App, wall_clock: Callable[[], dt.datetime] = dt.datetime.now
                 ) -> None:
        super().__init__(app)
        self.wall_clock = wall_clock
        self._shown = ""
        self.queue_note = ""           # "" while tickets can be taken
        self._note_minute = ""

    def band_height(self) -> int:
        t = self.theme
        note = (text_height(fontset(), self.queue_note, t.body, self.app.size[0] - 2 * t.margin)
                + t.gap if self.queue_note else 0)
        return (t.margin * 3 + fontset(True).line_height(t.title)
                + fontset(True).line_height(t.huge) + fontset().line_height(t.body) + note)

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        a = self.app.actions
        self._top = self.band_height() + t.margin
        bottom = h - t.margin - t.big_button_h - t.margin  # the elder switch's row
        cols = 2 if t.landscape else 1
        rows = 4 // cols
        gw = w - 2 * t.margin
        cell_w = (gw - t.gap * (cols - 1)) // cols
        cap = t.mm(60 if cols == 2 else 75)
        cell_h = min((bottom - self._top - t.gap * (rows - 1)) // rows, cap)
        y0 = self._top + (bottom - self._top - rows * cell_h - (rows - 1) * t.gap) // 2
        actions: list[Callable[[], None]] = [self._browse, a.take_ticket, a.forms, a.copy]
        self.widgets = []
        for i, ((label, sub), fn) in enumerate(zip(msg.HOME_CHOICES, actions, strict=True)):
            r, c = divmod(i, cols)
            rect = (t.margin + c * (cell_w + t.gap), y0 + r * (cell_h + t.gap), cell_w, cell_h)
            if i == 1 and self.queue_note:          # 排队取号: no service open now
                sub = msg.QUEUE_CLOSED_SUB
            self.widgets.append(Button(rect, label, fn, size=t.huge * 3 // 4, sublabel=sub))
        on = t.elder
        row = pygame.Rect(t.margin, h - t.margin - t.big_button_h, gw, t.big_button_h)
        ew = min(gw, t.mm(200))
        self.end = None
        if not self.app.session.is_blank():    # something of this visit to wipe
            ew = (gw - t.gap) // 2
            self.end = Button((row.right - ew, row.top, ew, row.height), msg.END_VISIT,
                              self._end_visit, size=t.title, sublabel=msg.END_VISIT_SUB)
        left = row.left if self.end is not None else (w - ew) // 2
        short = self.end is not None           # half a row: the short words
        self.elder = Button((left, row.top, ew, row.height),
                            (msg.ELDER_ON_SHORT if short else msg.ELDER_ON) if on
                            else msg.ELDER_OFF,
                            self._toggle_elder, style="secondary", size=t.title,
                            sublabel=msg.ELDER_ON_SUB if on else msg.ELDER_OFF_SUB)
        self.elder.selected = on
        self.widgets.append(self.elder)
        if self.end is not None:
            self.widgets.append(self.end)
        dev = dev_card_button(self.app, h - t.margin, narrow=True)   # development mode only
        if dev is not None and dev.rect.right + t.gap <= self.elder.rect.left:
            self.widgets.append(dev)

    def _browse(self) -> None:
        from screens.browse import BrowseScreen

        self.app.push(BrowseScreen(self.app))

    def _toggle_elder(self) -> None:
        self.app.set_elder(not self.app.session.elder_mode)
        self.layout()                  # 结束办理 appears once the visit has something

    def _end_visit(self) -> None:
        self.app.end_session()
        self.app.notice(msg.ENDED_TITLE, msg.ENDED)

    def on_enter(self) -> None:
        super().on_enter()
        self._check_queue()

    def on_resume(self) -> None:
        self.layout()                  # the visit may have ended (or begun) meanwhile
        self._check_queue()

    def _check_queue(self) -> None:
        self._note_minute = self.wall_clock().strftime("%Y%m%d%H%M")
        self.run_worker(self.app.actions.queue_note, self._queue_noted, lambda exc: None)

    def _queue_noted(self, note: str) -> None:
        if note != self.queue_note:
            self.queue_note = note
            self.layout()
            self.app.invalidate()

    def update(self, dt_s: float) -> bool:
        minute = self.wall_clock().strftime("%Y%m%d%H%M")
        if minute != self._shown:
            self.app.invalidate()  # the clock shows minutes: redraw once a minute, no more
        if minute != self._note_minute:
            self._check_queue()    # services open and close by the clock
        return super().update(dt_s)

    def draw(self, surface: pygame.Surface) -> None:
        t, (w, _) = self.theme, self.app.size
        c = t.colors
        surface.fill(c.bg)
        band = pygame.Rect(0, 0, w, self.band_height())
        pygame.draw.rect(surface, c.primary, band)
        now = self.wall_clock()
        self._shown = now.strftime("%Y%m%d%H%M")
        hhmm, date = now_text(now)
        inner = band.inflate(-2 * t.margin, 0)
        y = band.top + t.margin
        y += draw_wrapped(surface, fontset(True), self.app.cfg.hall.name, t.title,
                          pygame.Rect(inner.left, y, inner.width, band.height), c.on_primary,
                          max_lines=2, center=True)
        y += t.gap
        y += draw_wrapped(surface, fontset(True), hhmm, t.huge,
                          pygame.Rect(inner.left, y, inner.width, t.huge * 2), c.on_primary,
                          center=True)
        y += draw_wrapped(surface, fontset(), date, t.body,
                          pygame.Rect(inner.left, y, inner.width, t.body * 2), c.on_primary,
                          center=True)
        if self.queue_note:                    # the whole queue is closed: hours and phone
            draw_wrapped(surface, fontset(), self.queue_note, t.body,
                         pygame.Rect(inner.left, y + t.gap, inner.width, band.bottom - y),
                         c.on_primary, center=True)
        self.draw_widgets(surface)
