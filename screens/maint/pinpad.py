"""The staff PIN pad, opened by the hidden corner gesture. Digits show as dots; the check
(scrypt, deliberately slow) runs off the UI thread; five wrong PINs lock entry."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import pygame

from kiosk.maintenance.mode import pin_gate, try_enter
from kiosk.maintenance.pin import PinCheck
from screens.chrome import Header
from screens.fonts import fontset
from screens.maint.common import StaffScreen
from screens.text import draw_wrapped
from screens.widgets.button import Button, Style

if TYPE_CHECKING:
    from screens.app import App

MAX_DIGITS = 12


class PinPad(StaffScreen[None]):
    def __init__(self, app: App, on_accepted: Callable[[], None]) -> None:
        super().__init__(app)
        self.on_accepted = on_accepted
        self.gate = pin_gate(app.cfg)
        self.digits = ""
        self.checking = False
        locked = self.gate.locked_for()
        self.message = (PinCheck(False, 0, locked).message if locked
                        else "请输入维护密码" if self.gate.configured
                        else "尚未设置维护密码，请技术人员运行 kiosk admin set-pin。")

    def layout(self) -> None:
        t, (w, _h) = self.theme, self.app.size
        header = Header(self.app, "工作人员维护")
        header.back.on_tap = self.leave
        header.home.on_tap = self.leave
        key = min(t.mm(40), (w - 2 * t.margin - 2 * t.gap) // 3)
        pad_w = key * 3 + t.gap * 2
        left = (w - pad_w) // 2
        self.dots_top = header.rect.bottom + t.margin
        top = self.dots_top + fontset().line_height(t.huge) + t.body * 3 + t.margin * 2
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "清除", "0", "确定"]
        self.keys: list[Button] = []
        for i, label in enumerate(labels):
            r, c = divmod(i, 3)
            rect = (left + c * (key + t.gap), top + r * (key + t.gap), key, key)
            action = (self.clear if label == "清除" else self.submit if label == "确定"
                      else partial(self.type, label))
            style: Style = "primary" if label == "确定" else "secondary"
            self.keys.append(Button(rect, label, action, style=style,
                                   size=t.title if label.isdigit() else t.body))
        self.widgets = [*header.parts(), *self.keys]
        self._enable()

    def _enable(self) -> None:
        open_ = self.gate.configured and not self.checking and not self.gate.locked_for()
        for k in getattr(self, "keys", []):
            k.enabled = open_

    def type(self, digit: str) -> None:
        if len(self.digits) < MAX_DIGITS:
            self.digits += digit
            self.app.invalidate()

    def clear(self) -> None:
        self.digits = ""
        self.app.invalidate()

    def submit(self) -> None:
        if not self.digits or self.checking:
            return
        pin, self.digits = self.digits, ""
        self.checking = True
        self.message = "正在核对…"
        self._enable()
        self.run_worker(lambda: try_enter(self.gate, pin), self.checked)

    def checked(self, result: PinCheck) -> None:
        self.checking = False
        self.message = result.message
        self._enable()
        self.app.invalidate()
        if result.accepted:
            self.on_accepted()

    def draw(self, surface: pygame.Surface) -> None:
        t, (w, _h) = self.theme, self.app.size
        surface.fill(t.colors.bg)
        dots = "●" * len(self.digits) if self.digits else "—"
        area = pygame.Rect(t.margin, self.dots_top, w - 2 * t.margin, t.huge * 2)
        used = draw_wrapped(surface, fontset(True), dots, t.huge, area, t.colors.text,
                            max_lines=1, center=True)
        draw_wrapped(surface, fontset(), self.message, t.body,
                     pygame.Rect(t.margin, self.dots_top + used + t.gap, w - 2 * t.margin,
                                 t.body * 3), t.colors.warn_text if "错误" in self.message
                     or "过多" in self.message else t.colors.text, center=True)
        self.draw_widgets(surface)
