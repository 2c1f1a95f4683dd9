"""Development mode only: "place a card" on the simulated ID reader from the screen (issue 5).

Shown only when [id_reader] sim_control names the simulator's control channel (the demo's
kiosk.toml does; a real kiosk leaves it empty, and then nothing here is ever drawn). The
picker asks the simulator for its cards (`list`) and sends `place N` or `remove`, each on a
worker thread: the UI never waits on the socket. The card then reaches the screen the normal
way, read by the real driver from the simulated reader, so the demo exercises the real path.
Labels say 开发 so nobody mistakes it for a citizen's button.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import pygame

from devices.sim.idreader_control import send_control
from screens.fonts import fontset
from screens.screen import Screen
from screens.text import draw_wrapped
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

LABEL = "模拟放卡（开发）"
SHORT = "模拟放卡"
SHORT_SUB = "开发模式"
TITLE = "模拟读卡器（开发模式）"


def dev_card_button(app: App, bottom: int, narrow: bool = False) -> Button | None:
    """A small button at the left whose bottom edge is `bottom`; None on a real kiosk.
    `narrow`: two lines (模拟放卡 / 开发模式), for the home screen's corner beside the
    centred 长者模式 switch."""
    if not app.cfg.id_reader.sim_control:
        return None
    t = app.theme
    open_it = partial(open_picker, app)
    if narrow:
        text = max(fontset(True).width(SHORT, t.small), fontset().width(SHORT_SUB, t.small))
        width = text + 2 * t.gap + t.mm(2)     # the button keeps a gap of padding each side
        return Button((t.margin, bottom - t.big_button_h, width, t.big_button_h), SHORT,
                      open_it, style="secondary", size=t.small, sublabel=SHORT_SUB)
    width = fontset().width(LABEL, t.small) + 2 * t.gap + t.mm(2)
    return Button((t.margin, bottom - t.target, width, t.target), LABEL, open_it,
                  style="secondary", size=t.small, bold=False)


def open_picker(app: App) -> None:
    app.push(DevCardPicker(app, app.cfg.id_reader.sim_control))


def parse_list(reply: str) -> list[tuple[str, str]]:
    """`ok 0:resident-elder 1:resident` → [("0", "resident-elder"), ("1", "resident")]."""
    if not reply.startswith("ok"):
        raise ValueError(reply)
    cards = []
    for item in reply[2:].split():
        index, _, label = item.partition(":")
        cards.append((index, label or index))
    return cards


class DevCardPicker(Screen[None]):
    """The simulator's cards, one button each, plus 拿走卡片 and 关闭."""

    opaque = False

    def __init__(self, app: App, url: str) -> None:
        super().__init__(app)
        self.url = url
        self.cards: list[tuple[str, str]] | None = None
        self.status = "正在读取模拟卡片…"
        self.card = pygame.Rect(0, 0, 0, 0)

    def on_enter(self) -> None:
        super().on_enter()
        self.run_worker(lambda: send_control(self.url, "list"), self._listed, self._failed)

    def _listed(self, reply: str) -> None:
        try:
            self.cards = parse_list(reply)
            self.status = f"控制通道 {self.url}"
        except ValueError:
            self.status = f"模拟读卡器答复：{reply}"
        self.layout()
        self.app.invalidate()

    def _failed(self, exc: BaseException) -> None:
        self.status = f"连不上模拟读卡器：{exc}"
        self.layout()
        self.app.invalidate()

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        rows = [(f"放上 {i}：{label}", f"place {i}") for i, label in self.cards or []]
        rows += [("拿走卡片", "remove"), ("关闭", "")]
        cw = min(w - 2 * t.margin, t.mm(200))
        head = fontset(True).line_height(t.title) + fontset().line_height(t.small) * 2
        ch = t.margin * 2 + head + t.gap + len(rows) * (t.button_h + t.gap)
        self.card = pygame.Rect((w - cw) // 2, max(t.margin, (h - ch) // 2), cw, ch)
        y = self.card.top + t.margin + head + t.gap
        self.widgets = []
        for label, command in rows:
            self.widgets.append(Button((self.card.left + t.margin, y, cw - 2 * t.margin,
                                        t.button_h), label, partial(self.send, command),
                                       style="secondary" if command else "primary",
                                       size=t.small))
            y += t.button_h + t.gap

    def send(self, command: str) -> None:
        """Close first: the card's CardRead must reach the screen below, not this one."""
        self.finish(None)
        if not command:
            return
        app, url = self.app, self.url

        def done(reply: str) -> None:
            if not reply.startswith("ok"):
                app.notice("模拟读卡器（开发）", f"{command}：{reply}")

        app.run_in_worker(lambda: send_control(url, command), done,
                          lambda exc: app.notice("模拟读卡器（开发）", f"{command}：{exc}"))

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        shade = pygame.Surface(self.app.size, pygame.SRCALPHA)
        shade.fill(t.colors.shade)
        surface.blit(shade, (0, 0))
        pygame.draw.rect(surface, t.colors.warn_bg, self.card, border_radius=t.radius * 2)
        inner = self.card.inflate(-2 * t.margin, -2 * t.margin)
        y = inner.top + draw_wrapped(surface, fontset(True), TITLE, t.title, inner,
                                     t.colors.warn_text)
        draw_wrapped(surface, fontset(), self.status, t.small,
                     pygame.Rect(inner.left, y, inner.width, t.small * 3), t.colors.muted,
                     max_lines=2)
        self.draw_widgets(surface)
