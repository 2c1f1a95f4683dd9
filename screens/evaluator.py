"""The evaluator (评价器) at one window: after 完成 it asks the citizen to rate the service on
the five levels, with big buttons and a spoken prompt; on 不满意 / 非常不满意 it asks for the
reason (服务效率 / 服务水平 / 服务态度, and common causes if they like); then thanks them.
It sends the ticket, the window and the levels — nothing about the person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame

from kiosk.calls.board import Board, Finished
from kiosk.calls.rating import BAD_LEVELS, CAUSE_LABELS, LEVELS, REASONS, Rating, RatingError
from kiosk.errors import citizen_message_of
from screens.board_base import BoardScreen, BoardSource
from screens.board_draw import draw_band, draw_line, draw_paragraph, draw_stale
from screens.faces import FaceButton
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

THANKS_S = 6.0
PROMPT = "请您对本次服务进行评价"
REASON_PROMPT = "请选择不满意的原因"
THANKS = "谢谢您的评价"
SHORT = {5: "非常\n满意", 4: "满意", 3: "基本\n满意", 2: "不满意", 1: "非常\n不满意"}


class EvaluatorScreen(BoardScreen):
    def __init__(self, app: App, source: BoardSource, window: int,
                 submit: Callable[[Rating], Any], say: Callable[[str], None] = lambda s: None,
                 timeout_s: float = 60.0) -> None:
        super().__init__(app, source)
        self.window = window
        self.submit = submit
        self.say = say
        self.timeout_s = timeout_s
        self.mode = "welcome"           # welcome | rate | reasons | sending | failed | thanks
        self.ticket: Finished | None = None
        self.level = 0
        self.reasons: set[str] = set()
        self.causes: set[str] = set()
        self.message = ""
        self.sent: list[Rating] = []
        self._since = app.clock()
        self._seen_done = 0

    # ---- following the window --------------------------------------------------------------
    def on_board(self, board: Board) -> None:
        first = not self._had_board
        self._had_board = self._had_board or board.known
        done = board.finished.get(self.window)
        if done is None or done.event_id <= self._seen_done:
            return
        self._seen_done = done.event_id
        if first or self.mode not in ("welcome", "thanks"):
            return        # at start, or someone is still rating: not a new prompt
        self.ticket = done
        self._go("rate")

    def _go(self, mode: str) -> None:
        self.mode = mode
        self._since = self.app.clock()
        if mode == "rate":
            self.level, self.reasons, self.causes = 0, set(), set()
            self.say(PROMPT)
        elif mode == "reasons":
            self.say(REASON_PROMPT)
        elif mode == "thanks":
            self.say(THANKS)
        elif mode == "welcome":
            self.ticket = None
        self.layout()
        self.app.invalidate()

    def update(self, dt_s: float) -> bool:
        moving = super().update(dt_s)
        age = self.app.clock() - self._since
        if (self.mode == "thanks" and age > THANKS_S) or (
                self.mode in ("rate", "reasons", "failed") and age > self.timeout_s):
            self._go("welcome")
        return moving

    # ---- actions ---------------------------------------------------------------------------
    def choose(self, level: int) -> None:
        self.level = level
        self.app.invalidate()
        if level in BAD_LEVELS:
            self._go("reasons")
        else:
            self._send()

    def toggle(self, group: set[str], key: str) -> None:
        group.symmetric_difference_update({key})
        self._since = self.app.clock()
        self.layout()
        self.app.invalidate()

    def _send(self) -> None:
        assert self.ticket is not None
        rating = Rating(self.ticket.ticket.id, self.level, tuple(sorted(self.reasons)),
                        tuple(sorted(self.causes)), "evaluator", self.window)
        self._go("sending")
        self.run_worker(lambda: self.submit(rating), lambda _r: self._sent(rating),
                               self._failed)

    def _sent(self, rating: Rating) -> None:
        self.sent.append(rating)
        self._go("thanks")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, RatingError) and "already" in str(exc):
            self._go("thanks")
            return
        self.message = citizen_message_of(exc, "评价没有提交成功，请再试一次。")
        self._go("failed")

    # ---- layout ----------------------------------------------------------------------------
    def _band_h(self) -> int:
        return round(self.app.size[1] * 0.11)

    def layout(self) -> None:
        builder = {"rate": self._rate_widgets, "reasons": self._reason_widgets,
                   "failed": self._failed_widgets}.get(self.mode)
        self.widgets = builder() if builder else []

    def _content(self) -> pygame.Rect:
        t, (w, h) = self.theme, self.app.size
        top = self._band_h() + t.margin + round(h * 0.16)
        return pygame.Rect(t.margin, top, w - 2 * t.margin, h - top - t.margin)

    def _rate_widgets(self) -> list[Any]:
        t, area = self.theme, self._content()
        n = len(LEVELS)
        bw = (area.width - (n - 1) * t.gap) // n
        px = min(t.small, int((bw - 2 * t.gap) / 3.2))   # 不满意: three characters a line
        return [FaceButton((area.left + i * (bw + t.gap), area.top, bw, area.height),
                           SHORT[level], level, self._chooser(level),
                           size=px)
                for i, level in enumerate(sorted(LEVELS, reverse=True))]

    def _chooser(self, level: int) -> Callable[[], None]:
        return lambda: self.choose(level)

    def _reason_widgets(self) -> list[Any]:
        t, area = self.theme, self._content()
        bottom_h = t.button_h
        free = area.height - bottom_h - 3 * t.gap
        causes_h = max(2 * t.target + t.gap, round(free * 0.55))
        reasons = pygame.Rect(area.left, area.top, area.width, max(t.target, free - causes_h))
        causes = pygame.Rect(area.left, reasons.bottom + t.gap, area.width, causes_h)
        out: list[Any] = [*self._toggle_grid(REASONS, self.reasons, reasons, t.body, 1),
                          *self._toggle_grid(CAUSE_LABELS, self.causes, causes, t.small, 2)]
        y = area.bottom - bottom_h
        half = (area.width - t.gap) // 2
        back = Button((area.left, y, half, bottom_h), "重新选择", lambda: self._go("rate"),
                      style="secondary", size=t.body)
        send = Button((area.left + half + t.gap, y, half, bottom_h), "提交评价", self._send,
                      size=t.body)
        send.enabled = bool(self.reasons)
        return [*out, back, send]

    def _toggle_grid(self, names: dict[str, str], chosen: set[str], rect: pygame.Rect,
                     px: int, rows: int) -> list[Button]:
        """Toggle buttons in `rows` rows, each label on one line (✓ when chosen)."""
        t = self.theme
        per_row = -(-len(names) // rows)
        bw = (rect.width - (per_row - 1) * t.gap) // per_row
        bh = (rect.height - (rows - 1) * t.gap) // rows
        longest = max(len(label) + 1.3 for label in names.values())
        px = min(px, int((bw - 2 * t.gap) / longest), int(bh / 1.6))
        out = []
        for i, (key, label) in enumerate(names.items()):
            r, col = divmod(i, per_row)
            b = Button((rect.left + col * (bw + t.gap), rect.top + r * (bh + t.gap), bw, bh),
                       ("✓" if key in chosen else "") + label,
                       self._toggler(chosen, key), style="secondary", size=px)
            b.selected = key in chosen
            out.append(b)
        return out

    def _toggler(self, group: set[str], key: str) -> Callable[[], None]:
        return lambda: self.toggle(group, key)

    def _failed_widgets(self) -> list[Any]:
        t, area = self.theme, self._content()
        half = (area.width - t.gap) // 2
        y = area.bottom - t.big_button_h
        return [Button((area.left, y, half, t.big_button_h), "不评价了",
                       lambda: self._go("welcome"), style="secondary", size=t.body),
                Button((area.left + half + t.gap, y, half, t.big_button_h), "再试一次",
                       self._send, size=t.body)]

    # ---- drawing ---------------------------------------------------------------------------
    def draw_board(self, surface: pygame.Surface, board: Board) -> None:
        t, (w, h) = self.theme, self.app.size
        view = board.windows.get(self.window)
        name = view.name if view is not None else f"{self.window}号窗口"
        staff = (self.ticket.staff if self.ticket else "") or (view.staff if view else "")
        title = f"{name} · 工号 {staff}" if staff else name
        band = pygame.Rect(0, 0, w, self._band_h())
        draw_band(surface, t, band, title, self.now(), round(band.height * 0.5))
        head = pygame.Rect(t.margin, band.bottom + t.margin, w - 2 * t.margin, round(h * 0.14))
        c = t.colors
        texts = {
            "rate": f"{self.ticket.ticket.number}号，{PROMPT}" if self.ticket else PROMPT,
            "reasons": "请选择不满意的原因（可多选），下面一行可不选",
            "sending": "正在提交，请稍候",
            "failed": self.message,
            "thanks": f"{THANKS}！",
        }
        if self.mode in texts:
            draw_line(surface, texts[self.mode], t.title, head, c.text, align="center")
        if self.mode == "welcome":
            self._welcome(surface, pygame.Rect(t.margin, band.bottom, w - 2 * t.margin,
                                               h - band.bottom))
        elif self.mode == "thanks" and self.level:
            draw_line(surface, f"您的评价：{LEVELS[self.level]}", t.body,
                      pygame.Rect(head.left, head.bottom + t.margin, head.width, t.body * 2),
                      c.muted, bold=False, align="center")
        if board.stale_text and self.mode == "welcome":
            bh = round(h * 0.1)
            draw_stale(surface, t, pygame.Rect(0, h - bh, w, bh), board.stale_text,
                       round(bh * 0.5))

    def _welcome(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        t, c = self.theme, self.theme.colors
        y = rect.top + round(rect.height * 0.18)
        draw_line(surface, "欢迎您", t.huge, pygame.Rect(rect.left, y, rect.width, t.huge * 3 // 2),
                  c.primary, align="center")
        y += t.huge * 3 // 2 + t.margin
        draw_paragraph(surface, "办理完成后，请在这里为我们的服务评价", t.body,
                       pygame.Rect(rect.left, y, rect.width, t.body * 3), c.text)
