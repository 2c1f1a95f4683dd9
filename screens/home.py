"""Home / attract screen: the hall's name, the date and time, the four big choices and the
长者模式 (大字) switch. An idle kiosk returns here with the visit wiped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from screens.dev_card import dev_card_button
from screens.fonts import fontset
from screens.screen import Screen
from screens.text import draw_wrapped
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

WEEKDAYS = "一二三四五六日"


def now_text(now: dt.datetime) -> tuple[str, str]:
    """('14:05', '2026年11月23日 星期一')"""
    return (now.strftime("%H:%M"),
            f"{now.year}年{now.month}月{now.day}日 星期{WEEKDAYS[now.weekday()]}")


class HomeScreen(Screen[None]):
    is_home = True

    def __init__(self, app: App, wall_clock: Callable[[], dt.datetime] = dt.datetime.now
                 ) -> None:
        super().__init__(app)
        self.wall_clock = wall_clock
        self._shown = ""

    def band_height(self) -> int:
        t = self.theme
        return (t.margin * 3 + fontset(True).line_height(t.title)
                + fontset(True).line_height(t.huge) + fontset().line_height(t.body))

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
        choices: list[tuple[str, str, Callable[[], None]]] = [
            ("办事指南查询", "查找要带的材料和办理流程", self._browse),
            ("排队取号", "取一张排队小票", a.take_ticket),
            ("表格打印", "打印空白申请表", a.forms),
            ("复印", "复印证件和材料", a.copy),
        ]
        self.widgets = []
        for i, (label, sub, fn) in enumerate(choices):
            r, c = divmod(i, cols)
            rect = (t.margin + c * (cell_w + t.gap), y0 + r * (cell_h + t.gap), cell_w, cell_h)
            self.widgets.append(Button(rect, label, fn, size=t.huge * 3 // 4, sublabel=sub))
        ew = min(gw, t.mm(200))
        on = t.elder
        self.elder = Button(((w - ew) // 2, h - t.margin - t.big_button_h, ew, t.big_button_h),
                            "长者模式（大字）已开启" if on else "长者模式 / 大字",
                            self._toggle_elder, style="secondary", size=t.title,
                            sublabel="再点一次恢复普通字号" if on else "字更大，按钮更大")
        self.elder.selected = on
        self.widgets.append(self.elder)
        dev = dev_card_button(self.app, h - t.margin, narrow=True)   # development mode only
        if dev is not None and dev.rect.right + t.gap <= self.elder.rect.left:
            self.widgets.append(dev)

    def _browse(self) -> None:
        from screens.browse import BrowseScreen

        self.app.push(BrowseScreen(self.app))

    def _toggle_elder(self) -> None:
        self.app.set_elder(not self.app.session.elder_mode)

    def update(self, dt_s: float) -> bool:
        minute = self.wall_clock().strftime("%Y%m%d%H%M")
        if minute != self._shown:
            self.app.invalidate()  # the clock shows minutes: redraw once a minute, no more
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
        draw_wrapped(surface, fontset(), date, t.body,
                     pygame.Rect(inner.left, y, inner.width, t.body * 2), c.on_primary,
                     center=True)
        self.draw_widgets(surface)
