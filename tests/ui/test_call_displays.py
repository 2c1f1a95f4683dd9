"""The hall display, a window screen and the evaluator, drawn by the real App headless from a
board fed with the hall's events (the feed itself is tested against the real hall service in
tests/integration/test_display_feed.py). `DISPLAY_SHOTS=DIR` keeps a PNG of every state."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pygame
import pytest

from kiosk.calls.board import Board
from kiosk.calls.events import parse_event
from kiosk.calls.follow import Follower
from kiosk.calls.rating import Rating
from screens.app import App
from screens.board_base import FLASH_S, BoardSource
from screens.display_app import display_app
from screens.evaluator import THANKS_S, EvaluatorScreen
from screens.hall_board import HallBoardScreen
from screens.widgets.button import Button
from screens.window_board import WindowBoardScreen
from tests.ui.helpers import FakeClock, config, settle, tap
from tests.ui.layout_check import layout_problems

TZ = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 23, 14, 5, tzinfo=TZ)
SHOTS = os.environ.get("DISPLAY_SHOTS", "")


def shot(app: App, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        pygame.image.save(app.surface, str(Path(SHOTS) / f"{name}.png"))


def snapshot() -> dict[str, Any]:
    return {"hall": "青禾县清河镇便民服务中心", "last_event_id": 10,
            "windows": [{"number": 1, "name": "1号窗口", "state": "open", "services": ["A"]},
                        {"number": 2, "name": "2号窗口", "state": "open", "services": ["A"]},
                        {"number": 3, "name": "3号窗口", "state": "open",
                         "services": ["A", "B"], "staff": "1023"},
                        {"number": 5, "name": "5号窗口", "state": "paused",
                         "reason": "午间休息", "services": ["C"]}],
            "services": [{"prefix": "A", "name": "社保医保", "waiting": 7},
                         {"prefix": "B", "name": "民政救助", "waiting": 3},
                         {"prefix": "C", "name": "综合咨询", "waiting": 0}],
            "recent_calls": [{"event_id": 9, "number": "C004", "window": 5},
                             {"event_id": 8, "number": "A010", "window": 1}]}


class Hall:
    """A follower and the events a hall sends it."""

    def __init__(self) -> None:
        self.follower = Follower(Board(), wall_clock=lambda: NOW)
        self.source = BoardSource(self.follower, "青禾县清河镇便民服务中心", lambda: NOW)
        self.next_id = 11

    def send(self, kind: str, number: str, window: int, **extra: Any) -> None:
        self.follower.event(parse_event({
            "id": self.next_id, "type": kind, "at": NOW.isoformat(),
            "ticket": {"id": f"t-{number}", "number": number, "service": number[0]},
            "window": {"number": window, "name": f"{window}号窗口"}, **extra}))
        self.next_id += 1


@pytest.fixture
def hall() -> Hall:
    return Hall()


def open_app(size: tuple[int, int], diagonal: float, home: Any, touch: bool = False
             ) -> tuple[App, FakeClock]:
    clock = FakeClock()
    app = display_app(config(), size, diagonal, fullscreen=False, touch=touch, headless=True,
                      clock=clock)
    app.open(home=home)
    app.step(0)
    return app, clock


def frames(app: App, clock: FakeClock, n: int = 3, dt: float = 0.02) -> None:
    for _ in range(n):
        clock.advance(dt)
        app.step(0)


@pytest.fixture(params=[(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def board_app(request: pytest.FixtureRequest, hall: Hall) -> Iterator[tuple[App, FakeClock]]:
    app, clock = open_app(request.param, 55.0, lambda a: HallBoardScreen(a, hall.source))
    yield app, clock
    app.close()


def button(screen: EvaluatorScreen, label: str) -> Button:
    found = next(w for w in screen.widgets if getattr(w, "label", "") == label)
    assert isinstance(found, Button)
    return found


def colour_share(app: App, rect: pygame.Rect, colour: tuple[int, int, int]) -> float:
    """Share of the pixels in `rect` that have exactly `colour` (sampled on a grid)."""
    hits = total = 0
    for x in range(rect.left, rect.right, 7):
        for y in range(rect.top, rect.bottom, 7):
            total += 1
            hits += tuple(app.surface.get_at((x, y)))[:3] == colour
    return hits / max(1, total)


def test_hall_display_connecting_then_calls_then_link_lost(board_app: tuple[App, FakeClock],
                                                          hall: Hall) -> None:
    app, clock = board_app
    screen = app.top
    assert isinstance(screen, HallBoardScreen)
    orient = "landscape" if app.theme.landscape else "portrait"
    w, h = app.size
    bottom = pygame.Rect(0, round(h * 0.96), w, round(h * 0.04))
    c = app.theme.colors
    frames(app, clock)
    shot(app, f"hall-{orient}-connecting")
    assert colour_share(app, bottom, c.warn_bg) > 0.5       # 正在连接叫号系统
    hall.follower.snapshot(snapshot())
    frames(app, clock)
    assert screen.flashes == 0                 # the calls already there do not flash
    assert colour_share(app, bottom, c.warn_bg) < 0.05
    hall.send("ticket.called", "B002", 3)
    hall.send("ticket.called", "A011", 2)
    hall.send("ticket.called", "A012", 1)
    frames(app, clock)
    assert screen.flashes >= 1 and screen.flash_on() is not None
    assert screen.board.newest_per_window(3)[0].number == "A012"
    shot(app, f"hall-{orient}-flash")
    main = pygame.Rect(w // 4, round(h * 0.15), w // 4, round(h * 0.05))
    assert colour_share(app, main, c.hl_bg) > 0.3 or colour_share(app, main, c.surface) > 0.3
    frames(app, clock, n=2, dt=FLASH_S / 2 + 0.01)
    assert screen.flash_on() is None
    frames(app, clock)
    shot(app, f"hall-{orient}-calls")
    hall.follower.lost()
    frames(app, clock)
    shot(app, f"hall-{orient}-link-lost")
    assert screen.board.stale_text == "叫号信息暂时无法更新（14:05）"
    assert colour_share(app, bottom, c.warn_bg) > 0.5
    assert screen.board.services["A"].waiting == 7           # the last state stays


def test_window_screen_states(hall: Hall) -> None:
    hall.follower.snapshot(snapshot())
    app, clock = open_app((1280, 720), 21.5, lambda a: WindowBoardScreen(a, hall.source, 3))
    try:
        screen = app.top
        assert isinstance(screen, WindowBoardScreen)
        c = app.theme.colors
        body = pygame.Rect(100, 200, 1080, 300)
        frames(app, clock)
        shot(app, "window-idle")
        hall.send("ticket.called", "B001", 2)                 # another window: no flash here
        frames(app, clock)
        assert screen.flashes == 0
        hall.send("ticket.called", "A012", 3)
        frames(app, clock)
        assert screen.flashes == 1
        shot(app, "window-called")
        hall.send("ticket.serving", "A012", 3)
        frames(app, clock, n=2, dt=FLASH_S)
        shot(app, "window-serving")
        assert colour_share(app, body, c.warn_bg) < 0.05
        hall.follower.event(parse_event({"id": hall.next_id, "type": "window.paused",
                                         "reason": "临时离开", "window": {"number": 3}}))
        frames(app, clock)
        shot(app, "window-paused")
        assert screen.board.windows[3].state == "paused"
        assert colour_share(app, body, c.warn_bg) > 0.5
    finally:
        app.close()


def test_evaluator_rating_with_reasons(hall: Hall) -> None:
    hall.follower.snapshot(snapshot())
    sent: list[Rating] = []
    said: list[str] = []
    app, clock = open_app((1280, 800), 10.1, lambda a: EvaluatorScreen(
        a, hall.source, 3, sent.append, said.append, timeout_s=60), touch=True)
    try:
        ev = app.top
        assert isinstance(ev, EvaluatorScreen)
        frames(app, clock)
        shot(app, "evaluator-welcome")
        hall.send("ticket.done", "A099", 2)                  # another window's citizen
        frames(app, clock)
        assert ev.mode == "welcome"
        hall.send("ticket.called", "A012", 3)
        hall.send("ticket.done", "A012", 3, staff="1023")
        frames(app, clock)
        assert ev.mode == "rate" and said == ["请您对本次服务进行评价"]
        assert layout_problems(ev, app.theme, app.size) == []
        shot(app, "evaluator-rate")
        faces = {getattr(w, "level", 0): w for w in ev.widgets}
        assert sorted(faces) == [1, 2, 3, 4, 5]
        tap(app, *faces[2].rect.center)                       # 不满意
        assert ev.mode == "reasons" and said[-1] == "请选择不满意的原因"
        assert layout_problems(ev, app.theme, app.size) == []
        submit = button(ev, "提交评价")
        assert not submit.enabled                            # a reason is required
        tap(app, *next(w for w in ev.widgets if getattr(w, "label", "") == "服务态度").rect.center)
        tap(app, *next(w for w in ev.widgets if getattr(w, "label", "") == "等候太久").rect.center)
        shot(app, "evaluator-reasons")
        submit = button(ev, "提交评价")
        assert submit.enabled
        tap(app, *submit.rect.center)
        settle(app)
        frames(app, clock)
        assert sent == [Rating("t-A012", 2, ("attitude",), ("wait",), "evaluator", 3)]
        assert ev.mode == "thanks" and said[-1] == "谢谢您的评价"
        shot(app, "evaluator-thanks")
        frames(app, clock, n=2, dt=THANKS_S)
        assert ev.mode == "welcome"
    finally:
        app.close()


def test_evaluator_good_rating_in_one_tap_and_a_failed_send(hall: Hall) -> None:
    hall.follower.snapshot(snapshot())
    attempts: list[Rating] = []

    def flaky(r: Rating) -> None:
        attempts.append(r)
        if len(attempts) == 1:
            raise OSError("network unreachable")

    app, clock = open_app((1280, 800), 10.1, lambda a: EvaluatorScreen(
        a, hall.source, 3, flaky, timeout_s=60), touch=True)
    try:
        ev = app.top
        assert isinstance(ev, EvaluatorScreen)
        hall.send("ticket.done", "A013", 3)
        frames(app, clock)
        tap(app, *next(w for w in ev.widgets if getattr(w, "level", 0) == 5).rect.center)
        settle(app)
        frames(app, clock)
        assert ev.mode == "failed" and "没有提交成功" in ev.message
        assert layout_problems(ev, app.theme, app.size) == []
        shot(app, "evaluator-failed")
        tap(app, *next(w for w in ev.widgets if getattr(w, "label", "") == "再试一次").rect.center)
        settle(app)
        frames(app, clock)
        assert ev.mode == "thanks" and [a.level for a in attempts] == [5, 5]
        hall.send("ticket.done", "A014", 3)                  # the next citizen
        frames(app, clock)
        assert ev.mode == "rate" and ev.ticket is not None and ev.ticket.ticket.number == "A014"
        frames(app, clock, n=2, dt=31)                       # nobody rates: back to welcome
        assert ev.mode == "welcome" and len(attempts) == 2
    finally:
        app.close()
