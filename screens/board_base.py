"""What the three display screens share: the board they draw (copied under the follower's
lock, so the feed thread never changes it mid-frame), the clock, the flash of a new call."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from kiosk.calls.board import Board
from kiosk.calls.follow import Follower
from screens.screen import Screen

if TYPE_CHECKING:
    from screens.app import App

FLASH_S = 4.0          # a new call flashes this long
FLASH_PERIOD_S = 0.5   # one on/off cycle


@dataclass
class BoardSource:
    follower: Follower
    hall_name: str
    wall_clock: Callable[[], dt.datetime] = dt.datetime.now

    def view(self) -> Board:
        with self.follower.lock:
            return copy.deepcopy(self.follower.board)


class BoardScreen(Screen[None]):
    is_home = True

    def __init__(self, app: App, source: BoardSource) -> None:
        super().__init__(app)
        self.source = source
        self.board = source.view()
        self._version = -1
        self._minute = ""
        self._newest = 0           # event id of the newest call seen
        self._had_board = False    # a board with the service's data was drawn before
        self._flash_at: float | None = None
        self.flashes = 0

    def update(self, dt_s: float) -> bool:
        board = self.source.view()
        now = self.source.wall_clock()
        if board.version != self._version or now.strftime("%H%M") != self._minute:
            self._version, self._minute = board.version, now.strftime("%H%M")
            self.board = board
            self.on_board(board)
            self.app.invalidate()
        flashing = self.flash_on() is not None
        if flashing:
            self.app.invalidate()
        return flashing

    def on_board(self, board: Board) -> None:
        newest = board.calls[0].event_id if board.calls else 0
        if newest > self._newest:
            if self._had_board:      # not for the calls already there at start
                self._flash_at = self.app.clock()
                self.flashes += 1
            self._newest = newest
        self._had_board = self._had_board or board.known

    def flash_on(self) -> bool | None:
        """None when not flashing, else whether this frame is a lit one."""
        if self._flash_at is None:
            return None
        age = self.app.clock() - self._flash_at
        if age >= FLASH_S:
            self._flash_at = None
            self.app.invalidate()
            return None
        return (age % FLASH_PERIOD_S) < FLASH_PERIOD_S / 2

    def now(self) -> dt.datetime:
        return self.source.wall_clock()

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.theme.colors.bg)
        self.draw_board(surface, self.board)
        self.draw_widgets(surface)

    def draw_board(self, surface: pygame.Surface, board: Board) -> None:
        raise NotImplementedError
