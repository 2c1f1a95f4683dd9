"""What one citizen leaves behind, through the real screens (issue 17): every way out of every
flow wipes what it must (kiosk/session.py's table says what a visit is)."""

from __future__ import annotations

import pytest

from screens.app import App
from screens.browse import BrowseScreen
from screens.idle import IdleWarning
from screens.search import SearchScreen
from tests.ui.helpers import FakeClock, button, run_frames, settle, tap_widget


def open_search(app: App) -> SearchScreen:
    if not isinstance(app.top, BrowseScreen):
        tap_widget(app, button(app, "办事指南查询"))
    assert isinstance(app.top, BrowseScreen)
    tap_widget(app, button(app, "查找：输入名称或拼音首字母"))
    assert isinstance(app.top, SearchScreen)
    return app.top


def type_text(app: App, screen: SearchScreen, text: str) -> None:
    for ch in text:
        screen.type_char(ch)
        settle(app)


def test_home_starts_a_fresh_search(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    type_text(app, open_search(app), "dibao")
    assert app.session.query == "dibao"
    tap_widget(app, button(app, "首页"))
    assert app.top.is_home and app.session.query == ""
    again = open_search(app)
    assert again.query == ""                 # the next person's letters start a new search
    type_text(app, again, "gl")
    assert again.query == "gl"


def test_back_keeps_the_search_within_one_visit(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    type_text(app, open_search(app), "db")
    tap_widget(app, button(app, "‹ 返回"))
    assert isinstance(app.top, BrowseScreen)
    assert open_search(app).query == "db"    # 返回 is not the end of the search


def test_elder_mode_gets_the_longer_idle_time(ui: tuple[App, FakeClock]) -> None:
    app, clock = ui
    tap_widget(app, button(app, "长者模式 / 大字"))
    assert app.session.elder_mode
    tap_widget(app, button(app, "办事指南查询"))
    clock.advance(app.cfg.session.idle_timeout_s + 1)
    run_frames(app, clock, 2)
    assert not isinstance(app.top, IdleWarning)       # normal time is up, elder time is not
    clock.advance(app.cfg.session.elder_idle_timeout_s - app.cfg.session.idle_timeout_s)
    run_frames(app, clock, 2)
    assert isinstance(app.top, IdleWarning)


# Every way out, against kiosk/session.py's table: what must be gone, what may stay.
#   exit          query   card    scans   elder   viewed
EXPECTED: dict[str, tuple[str, None, dict[str, object], bool, bool]] = {
    "首页":       ("",     None,   {},     True,   True),
    "结束办理":   ("",     None,   {},     False,  False),
    "idle":       ("",     None,   {},     False,  False),
}


class Scans:
    def __init__(self) -> None:
        self.pages = ["p1"]

    def wipe(self) -> None:
        self.pages.clear()


@pytest.mark.parametrize("way_out", list(EXPECTED))
def test_every_way_out_wipes_what_it_must(ui: tuple[App, FakeClock], way_out: str) -> None:
    from screens.guide import GuideScreen
    from screens.home import HomeScreen
    from tests.support.cards import card_record

    app, clock = ui
    tap_widget(app, button(app, "长者模式 / 大字"))
    type_text(app, open_search(app), "db")
    app.push(GuideScreen(app, "T-0001"))
    app.step(0)
    app.session.card = card_record()            # a card read for a flow under way
    scans = Scans()
    app.session.extra["copy"] = scans           # a copy under way
    if way_out == "首页":
        tap_widget(app, button(app, "首页"))
    elif way_out == "结束办理":
        tap_widget(app, button(app, "首页"))
        tap_widget(app, button(app, "结束办理"))
    else:
        settle(app)
        clock.advance(app.session.idle_timeout_s + app.session.warning_s + 1)
        run_frames(app, clock, 3)
    query, card, extra, elder, viewed = EXPECTED[way_out]
    s = app.session
    assert isinstance(app.stack[0][0], HomeScreen)
    assert s.query == query and s.card is card and s.extra == extra
    assert scans.pages == []                     # the scans' own wipe ran
    assert s.elder_mode is elder and bool(s.viewed) is viewed
