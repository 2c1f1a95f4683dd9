"""The window screen (窗口屏) above one window: its name, the number it serves now (flashing
when called), 暂停服务 while paused or closed, and the services it handles."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.calls.board import Board, WindowView
from screens.board_base import BoardScreen, BoardSource
from screens.board_draw import card, draw_band, draw_line, draw_stale
from screens.hall_board import CONNECTING

if TYPE_CHECKING:
    from screens.app import App


class WindowBoardScreen(BoardScreen):
    def __init__(self, app: App, source: BoardSource, window: int) -> None:
        super().__init__(app, source)
        self.window = window

    def on_board(self, board: Board) -> None:
        newest = next((c.event_id for c in board.calls if c.window == self.window), 0)
        if newest > self._newest:
            if self._had_board:
                self._flash_at = self.app.clock()
                self.flashes += 1
            self._newest = newest
        self._had_board = self._had_board or board.known

    def draw_board(self, surface: pygame.Surface, board: Board) -> None:
        w, h = self.app.size
        t = self.theme
        view = board.windows.get(self.window)
        name = view.name if view is not None else f"{self.window}号窗口"
        band = pygame.Rect(0, 0, w, round(h * 0.14))
        draw_band(surface, t, band, name, self.now(), round(band.height * 0.55))
        notice = board.stale_text or ("" if board.known else CONNECTING)
        bottom = h
        if notice:
            bh = round(h * 0.11)
            draw_stale(surface, t, pygame.Rect(0, h - bh, w, bh), notice, round(bh * 0.55))
            bottom -= bh
        foot_h = round(h * 0.1)
        body = pygame.Rect(t.margin, band.bottom + t.margin, w - 2 * t.margin,
                           bottom - band.bottom - 2 * t.margin - foot_h)
        if board.known or view is not None:
            self._body(surface, board, view, body)
        foot = pygame.Rect(t.margin, body.bottom, w - 2 * t.margin, foot_h)
        names = [board.services[s].name for s in (view.services if view else ())
                 if s in board.services]
        if names:
            draw_line(surface, "办理：" + "、".join(names), round(foot_h * 0.6), foot,
                      t.colors.muted, bold=False, align="center")

    def _body(self, surface: pygame.Surface, board: Board, view: WindowView | None,
              body: pygame.Rect) -> None:
        t, c = self.theme, self.theme.colors
        state = view.state if view is not None else "closed"
        if state in ("paused", "closed"):
            card(surface, t, body, c.warn_bg)
            top = pygame.Rect(body.left, body.top, body.width, round(body.height * 0.62))
            draw_line(surface, "暂停服务", round(top.height * 0.7), top, c.warn_text,
                      align="center")
            reason = (view.reason if view is not None and view.reason else
                      "请到其他窗口办理" if state == "paused" else "本窗口暂未开放")
            draw_line(surface, reason, round(body.height * 0.22),
                      pygame.Rect(body.left, top.bottom, body.width, body.bottom - top.bottom),
                      c.warn_text, bold=False, align="center")
            return
        current = view.current if view is not None else None
        lit = self.flash_on()
        card(surface, t, body, c.hl_bg if lit else c.surface)
        if current is None:
            draw_line(surface, "请留意叫号", round(body.height * 0.3), body, c.primary,
                      align="center")
            return
        top = pygame.Rect(body.left, body.top, body.width, round(body.height * 0.68))
        draw_line(surface, current.number, round(top.height * 0.95), top,
                  c.text if lit else c.accent, align="center")
        words = "正在办理" if self._serving(board, current.id) else "请到本窗口办理"
        draw_line(surface, words, round(body.height * 0.22),
                  pygame.Rect(body.left, top.bottom, body.width, body.bottom - top.bottom),
                  c.text, align="center")

    def _serving(self, board: Board, ticket_id: str) -> bool:
        return ticket_id in board.serving
