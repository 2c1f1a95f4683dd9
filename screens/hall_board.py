"""The hall display (综合屏): the hall's name and the time; the newest call very large
("A012 请到 3号窗口"), flashing when it is new; the newest calls of other windows; the recent
calls; people waiting per service. Landscape (1920×1080 TV) and portrait layouts.

While the link to the hall service is down it keeps the last state and says
"叫号信息暂时无法更新（HH:MM）"; before it ever heard from the service it shows no counts at all
(never "0 人等候" for a hall it knows nothing about).
"""

from __future__ import annotations

import pygame

from kiosk.calls.board import Board, CallView
from screens.board_base import BoardScreen
from screens.board_draw import card, draw_band, draw_line, draw_stale
from screens.theme import Color

CONNECTING = "正在连接叫号系统，请稍候"


def call_words(call: CallView) -> str:
    return f"请{'再次' if call.recall else ''}到 {call.window_name}"


class HallBoardScreen(BoardScreen):
    def draw_board(self, surface: pygame.Surface, board: Board) -> None:
        w, h = self.app.size
        t = self.theme
        band = pygame.Rect(0, 0, w, round(h * (0.09 if t.landscape else 0.06)))
        draw_band(surface, t, band, board.hall_name or self.source.hall_name, self.now(),
                  round(band.height * 0.5))
        notice = board.stale_text or ("" if board.known else CONNECTING)
        bottom = h
        if notice:
            bh = round(h * (0.08 if t.landscape else 0.05))
            draw_stale(surface, t, pygame.Rect(0, h - bh, w, bh), notice, round(bh * 0.55))
            bottom = h - bh
        body = pygame.Rect(t.margin, band.bottom + t.margin, w - 2 * t.margin,
                           bottom - band.bottom - 2 * t.margin)
        if t.landscape:
            self._landscape(surface, board, body)
        else:
            self._portrait(surface, board, body)

    # ---- layouts ---------------------------------------------------------------------------
    def _landscape(self, surface: pygame.Surface, board: Board, body: pygame.Rect) -> None:
        t = self.theme
        left = pygame.Rect(body.left, body.top, round(body.width * 0.6), body.height)
        right = pygame.Rect(left.right + t.margin, body.top, body.right - left.right - t.margin,
                            body.height)
        newest = board.newest_per_window(3)
        main = pygame.Rect(left.left, left.top, left.width, round(left.height * 0.62))
        self._main_card(surface, newest[0] if newest else None, main)
        self._next_calls(surface, newest[1:], pygame.Rect(left.left, main.bottom + t.gap,
                                                          left.width,
                                                          left.bottom - main.bottom - t.gap))
        split = right.top + round(right.height * 0.5)
        self._recent(surface, board, pygame.Rect(right.left, right.top, right.width,
                                                 split - right.top - t.gap // 2), cols=1)
        self._waiting(surface, board, pygame.Rect(right.left, split + t.gap // 2, right.width,
                                                  right.bottom - split - t.gap // 2))

    def _portrait(self, surface: pygame.Surface, board: Board, body: pygame.Rect) -> None:
        t = self.theme
        newest = board.newest_per_window(4)
        main = pygame.Rect(body.left, body.top, body.width, round(body.height * 0.3))
        self._main_card(surface, newest[0] if newest else None, main)
        nxt = pygame.Rect(body.left, main.bottom + t.gap, body.width, round(body.height * 0.2))
        self._next_calls(surface, newest[1:], nxt)
        rest = body.bottom - nxt.bottom - 2 * t.gap
        recent = pygame.Rect(body.left, nxt.bottom + t.gap, body.width, round(rest * 0.5))
        self._recent(surface, board, recent, cols=2)
        self._waiting(surface, board, pygame.Rect(body.left, recent.bottom + t.gap, body.width,
                                                  body.bottom - recent.bottom - t.gap))

    # ---- parts -----------------------------------------------------------------------------
    def _main_card(self, surface: pygame.Surface, call: CallView | None,
                   rect: pygame.Rect) -> None:
        t, c = self.theme, self.theme.colors
        lit = self.flash_on()
        card(surface, t, rect, c.hl_bg if lit else c.surface)
        pygame.draw.rect(surface, c.primary, rect, width=max(3, t.mm(1.2)),
                         border_radius=t.radius * 2)
        inner = rect.inflate(-4 * t.margin, -2 * t.margin)
        if call is None:
            draw_line(surface, "请留意叫号", round(inner.height * 0.3), inner, c.primary,
                      align="center")
            return
        number_h = round(inner.height * 0.6)
        draw_line(surface, call.number, number_h, pygame.Rect(inner.left, inner.top,
                                                              inner.width, number_h),
                  c.text if lit else c.accent, align="center")
        words = call_words(call)
        draw_line(surface, words, round(inner.height * 0.3),
                  pygame.Rect(inner.left, inner.top + number_h, inner.width,
                              inner.height - number_h), c.text, align="center")

    def _next_calls(self, surface: pygame.Surface, calls: list[CallView],
                    rect: pygame.Rect) -> None:
        t, c = self.theme, self.theme.colors
        if not calls:
            return
        n = 2 if t.landscape else 3
        row_h = (rect.height - (n - 1) * t.gap) // n
        for i, call in enumerate(calls[:n]):
            row = pygame.Rect(rect.left, rect.top + i * (row_h + t.gap), rect.width, row_h)
            card(surface, t, row, c.surface)
            inner = row.inflate(-2 * t.margin, 0)
            num_w = round(inner.width * 0.38)
            draw_line(surface, call.number, round(row_h * 0.7),
                      pygame.Rect(inner.left, row.top, num_w, row_h), c.accent)
            draw_line(surface, call_words(call), round(row_h * 0.5),
                      pygame.Rect(inner.left + num_w, row.top, inner.width - num_w, row_h),
                      c.text)

    def _recent(self, surface: pygame.Surface, board: Board, rect: pygame.Rect,
                cols: int) -> None:
        t, c = self.theme, self.theme.colors
        card(surface, t, rect, c.surface)
        head_h = round(min(rect.height * 0.2, self.app.size[1] * 0.06))
        inner = rect.inflate(-2 * t.margin, 0)
        draw_line(surface, "最近呼叫", round(head_h * 0.75),
                  pygame.Rect(inner.left, rect.top + t.gap, inner.width, head_h), c.primary)
        top = rect.top + t.gap + head_h
        pygame.draw.line(surface, c.line, (inner.left, top), (inner.right, top), 2)
        # Rows of at least 6.5 % of the panel's short side: read from across the hall.
        free = rect.bottom - top - t.gap
        wanted = max(1, -(-self.app.cfg.call_display.recent // cols))
        rows = max(1, min(wanted, free // round(min(self.app.size) * 0.065)))
        row_h = free // rows
        gutter = 2 * t.margin
        col_w = (inner.width - (cols - 1) * gutter) // cols
        for col in range(1, cols):
            x = inner.left + col * (col_w + gutter) - gutter // 2
            pygame.draw.line(surface, c.line, (x, top + t.gap), (x, rect.bottom - t.gap), 2)
        for i, call in enumerate(board.calls[: rows * cols]):
            col, r = divmod(i, rows)
            cell = pygame.Rect(inner.left + col * (col_w + gutter), top + t.gap // 2 + r * row_h,
                               col_w, row_h)
            self._recent_row(surface, call, cell, c.text if i else c.accent)

    def _recent_row(self, surface: pygame.Surface, call: CallView, cell: pygame.Rect,
                    color: Color) -> None:
        c = self.theme.colors
        px = min(round(cell.height * 0.72), round(min(self.app.size) * 0.05))
        half = round(cell.width * 0.45)
        draw_line(surface, call.number, px,
                  pygame.Rect(cell.left, cell.top, half - self.theme.gap, cell.height), color)
        draw_line(surface, call.window_name, px,
                  pygame.Rect(cell.left + half, cell.top, cell.width - half, cell.height),
                  c.text, bold=False, align="right")

    def _waiting(self, surface: pygame.Surface, board: Board, rect: pygame.Rect) -> None:
        t, c = self.theme, self.theme.colors
        card(surface, t, rect, c.surface)
        head_h = round(min(rect.height * 0.2, self.app.size[1] * 0.06))
        inner = rect.inflate(-2 * t.margin, 0)
        title = "等候人数" if board.live else "等候人数（暂停更新）"
        draw_line(surface, title, round(head_h * 0.75),
                  pygame.Rect(inner.left, rect.top + t.gap, inner.width, head_h), c.primary)
        top = rect.top + t.gap + head_h
        pygame.draw.line(surface, c.line, (inner.left, top), (inner.right, top), 2)
        if not board.known:
            return                   # nothing known: no figures at all, never "0 人"
        services = list(board.services.values())
        rows = max(4, len(services))
        row_h = min((rect.bottom - top - t.gap) // rows, round(self.app.size[1] * 0.07))
        colour = c.text if board.live else c.muted
        for i, svc in enumerate(services):
            cell = pygame.Rect(inner.left, top + t.gap // 2 + i * row_h, inner.width, row_h)
            px = round(row_h * 0.62)
            right = f"{svc.waiting} 人" if svc.open else "暂停取号"
            rw = round(cell.width * 0.4)
            draw_line(surface, svc.name, px, pygame.Rect(cell.left, cell.top,
                                                         cell.width - rw, row_h), colour,
                      bold=False)
            draw_line(surface, right, px, pygame.Rect(cell.right - rw, cell.top, rw, row_h),
                      colour, align="right")
