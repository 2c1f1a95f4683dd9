"""Typing, scrolling, idle reset, elder mode and touch/mouse de-duplication, driven through
pygame's event queue like real input."""

from __future__ import annotations

import pygame
import pytest

from kiosk.catalog.catalog import Category
from screens.app import App
from screens.browse import BrowseScreen
from screens.guide import GuideScreen
from screens.home import HomeScreen
from screens.idle import IdleWarning
from screens.search import SearchScreen
from tests.support.cards import card_record
from tests.ui.helpers import (
    FakeClock,
    button,
    drag,
    make_app,
    run_frames,
    settle,
    tap,
    tap_widget,
    touch_down,
    touch_up,
)


def _search(app: App) -> SearchScreen:
    s = SearchScreen(app)
    app.push(s)
    app.step(0)
    return s


def _names(s: SearchScreen) -> list[str]:
    return [r.title for r in s.view.content.rows]  # type: ignore[attr-defined]


def test_each_key_updates_the_results(ui_any: tuple[App, FakeClock]) -> None:
    app, _ = ui_any
    s = _search(app)
    popular = _names(s)
    assert s.label.text.startswith("大家常办")
    tap_widget(app, button(app, "Z"))
    assert s.query == "z"
    after_z = _names(s)
    tap_widget(app, button(app, "D"))
    assert s.query == "zd" and app.session.query == "zd"
    after_zd = _names(s)
    assert after_zd == ["最低生活保障审核确认"]
    assert after_z != popular and after_zd != after_z
    row = s.view.content.rows[0]  # type: ignore[attr-defined]
    assert row.spans, "the matched characters are highlighted"
    tap_widget(app, button(app, "删除"))
    assert s.query == "z" and _names(s) == after_z
    tap_widget(app, button(app, "清空"))
    assert s.query == "" and _names(s) == popular


def test_candidate_words_follow_the_initials(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    s = _search(app)
    tap_widget(app, button(app, "D"))
    labels = [c.label for c in s.candidates]
    assert "低保申请" in labels
    tap_widget(app, button(app, "低保申请"))
    assert s.query == "低保申请"
    assert _names(s) == ["最低生活保障审核确认"]


def test_nothing_found_offers_popular_items_and_categories(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    s = _search(app)
    for key in "QQQ":
        tap_widget(app, button(app, key))
    assert "没有找到" in s.label.text
    rows = s.view.content.rows  # type: ignore[attr-defined]
    assert any(isinstance(r.data, str) for r in rows)
    assert any(isinstance(r.data, Category) for r in rows)


def test_drag_scrolls_and_momentum_carries_on(ui: tuple[App, FakeClock]) -> None:
    app, clock = ui
    app.push(GuideScreen(app, "T-0001"))
    app.step(0)
    view = app.top.view  # type: ignore[attr-defined]
    assert view.max_offset > 0 and view.offset == 0
    x = view.rect.centerx
    drag(app, x, view.rect.bottom - 50, view.rect.bottom - 450, clock)
    after_drag = view.offset
    assert after_drag >= 350
    assert view.velocity > 0
    run_frames(app, clock, 10)
    assert view.offset > after_drag, "a flick keeps gliding"
    run_frames(app, clock, 400)
    assert view.velocity == 0 and view.offset <= view.max_offset


def test_page_buttons_scroll_and_grey_out_at_the_ends(ui: tuple[App, FakeClock]) -> None:
    app, clock = ui
    app.push(GuideScreen(app, "T-0001"))
    app.step(0)
    view = app.top.view  # type: ignore[attr-defined]
    up, down = button(app, "▲ 上一页"), button(app, "▼ 下一页")
    assert not up.enabled and down.enabled
    for _ in range(20):
        tap_widget(app, down)
        run_frames(app, clock, 40)
    assert view.at_bottom and not down.enabled
    tap_widget(app, up)
    run_frames(app, clock, 40)
    assert view.offset == pytest.approx(max(0.0, view.max_offset - view.rect.height * 0.85), abs=1)


def test_a_drag_is_not_a_tap(ui: tuple[App, FakeClock]) -> None:
    app, clock = ui
    tap_widget(app, button(app, "办事指南查询"))
    view = app.top.view  # type: ignore[attr-defined]
    drag(app, view.rect.centerx, view.rect.top + 20, view.rect.top + 200, clock)
    assert isinstance(app.top, BrowseScreen)


def test_idle_warning_counts_down_and_continue_keeps_the_visit(
        ui: tuple[App, FakeClock]) -> None:
    app, clock = ui
    tap_widget(app, button(app, "办事指南查询"))
    clock.advance(app.cfg.session.idle_timeout_s + 1)
    app.step(0)
    assert isinstance(app.top, IdleWarning)
    assert app.top.seconds() >= 20
    tap_widget(app, button(app, "继续使用"))
    assert isinstance(app.top, BrowseScreen)


def test_idle_time_out_wipes_the_session_and_returns_home(ui: tuple[App, FakeClock]) -> None:
    app, clock = ui

    class Scans:            # another flow's per-visit state with its own wipe()
        wiped = False

        def wipe(self) -> None:
            self.wiped = True

    scans = Scans()
    app.session.extra["copy"] = scans
    app.session.card = card_record()
    tap_widget(app, button(app, "长者模式 / 大字"))
    app.push(GuideScreen(app, "T-0001"))
    s = _search(app)
    tap_widget(app, button(app, "D"))
    assert app.session.query == "d" and app.session.viewed and app.session.elder_mode
    del s
    clock.advance(app.session.idle_timeout_s + 1)     # elder mode: the longer idle time
    app.step(0)
    assert isinstance(app.top, IdleWarning)
    clock.advance(app.cfg.session.warning_s + 1)
    app.step(0)
    assert isinstance(app.top, HomeScreen) and len(app.stack) == 1
    assert scans.wiped
    assert app.session.card is None and app.session.query == "" and not app.session.viewed
    assert not app.session.elder_mode and not app.theme.elder
    assert app.session.is_blank()


def test_untouched_home_screen_never_warns(ui: tuple[App, FakeClock]) -> None:
    app, clock = ui
    clock.advance(10_000)
    app.step(0)
    assert isinstance(app.top, HomeScreen) and len(app.stack) == 1


def test_elder_mode_makes_text_and_targets_bigger(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    tap_widget(app, button(app, "办事指南查询"))
    small = button(app, "按主题").rect.height
    body = app.theme.body
    tap_widget(app, button(app, "首页"))
    tap_widget(app, button(app, "长者模式 / 大字"))
    assert app.session.elder_mode and app.theme.elder
    assert app.theme.body > body
    tap_widget(app, button(app, "办事指南查询"))
    assert button(app, "按主题").rect.height > small
    assert app.theme.px_to_pt(app.theme.body) >= 30
    assert app.theme.px_to_mm(button(app, "按主题").rect.height) >= 20


def test_one_touch_is_one_tap_even_with_sdls_mouse_copies(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    b = button(app, "办事指南查询")
    x, y = b.rect.center
    touch_down(app, x, y)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1,
                                         touch=True))
    app.step(0)
    assert b.pressed, "feedback is drawn in the same frame as the touch"
    frames = app.frames
    touch_up(app, x, y)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, y), button=1,
                                         touch=True))
    app.step(0)
    assert b.taps == 1
    assert app.frames > frames
    assert len(app.stack) == 2


def test_a_real_mouse_still_clicks(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    b = button(app, "办事指南查询")
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=b.rect.center, button=1,
                                         touch=False))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=b.rect.center, button=1,
                                         touch=False))
    app.step(0)
    assert b.taps == 1


def test_sliding_off_a_button_cancels_it(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    b = button(app, "办事指南查询")
    touch_down(app, *b.rect.center)
    app.step(0)
    touch_up(app, b.rect.centerx, b.rect.bottom + 200)
    app.step(0)
    assert b.taps == 0 and isinstance(app.top, HomeScreen)


def test_nothing_is_redrawn_while_nothing_changes(ui: tuple[App, FakeClock]) -> None:
    app, clock = ui
    frames = app.frames
    for _ in range(20):
        clock.advance(0.1)
        app.step(0)
    assert app.frames == frames
    tap(app, 300, app.size[1] // 2 - 1)  # any touch may change the look
    assert app.frames >= frames


def test_landscape_and_portrait_keep_every_widget_on_screen() -> None:
    for size in ((1080, 1920), (1920, 1080)):
        for elder in (False, True):
            app, _ = make_app(size, elder)
            screens = [HomeScreen(app), BrowseScreen(app), SearchScreen(app),
                       GuideScreen(app, "T-0001")]
            for s in screens:
                app.push(s)
                app.step(0)
                bounds = app.surface.get_rect()
                for w in s.widgets:
                    assert bounds.contains(w.rect), (size, elder, type(s).__name__, w.rect)
            app.close()


def test_every_button_is_a_big_enough_target() -> None:
    from screens.widgets.button import Button

    for size in ((1080, 1920), (1920, 1080)):
        for elder, least_mm in ((False, 15.0), (True, 20.0)):
            app, _ = make_app(size, elder)
            for s in (HomeScreen(app), BrowseScreen(app), SearchScreen(app),
                      GuideScreen(app, "T-0001")):
                app.push(s)
                app.step(0)
                s.refresh() if isinstance(s, SearchScreen) else None
                for w in s.widgets:
                    if isinstance(w, Button):
                        side = app.theme.px_to_mm(min(w.rect.width, w.rect.height))
                        assert side >= least_mm - 0.2, (size, elder, w.label, side)
            app.close()


def test_legal_basis_is_folded_until_tapped() -> None:
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "assets" / "catalog" / "sample-catalog.json"
    app, _ = make_app(catalog_path=sample)
    code = next(s.code for s in app.catalog.summaries() if app.catalog.get(s.code).legal_basis)
    app.push(GuideScreen(app, code))
    app.step(0)
    view = app.top.view  # type: ignore[attr-defined]
    content = view.content
    fold = next(p for p in content.paras if p.tap is not None)
    assert "展开" in fold.text
    folded_height = content.content_height()
    view.offset = float(view.max_offset)
    app.invalidate()
    app.step(0)
    y = view.rect.top + fold.top - int(view.offset) + fold.height // 2
    assert view.rect.top < y < view.rect.bottom
    tap(app, view.rect.centerx, y)
    assert view.content.content_height() > folded_height
    assert any(app.top.item.legal_basis == p.text  # type: ignore[attr-defined]
               for p in view.content.paras)
    app.close()


def _pixels(app: App) -> bytes:
    return pygame.image.tobytes(app.surface, "RGB")


def _same_as_full_redraw(app: App) -> None:
    partial = _pixels(app)
    app.invalidate()
    app.draw()
    assert partial == _pixels(app), "a partial redraw left stale pixels"


def test_partial_redraws_match_a_full_redraw(ui: tuple[App, FakeClock]) -> None:
    app, clock = ui
    app.push(GuideScreen(app, "T-0001"))
    app.step(0)
    view = app.top.view  # type: ignore[attr-defined]
    before = app.partial_frames
    drag(app, view.rect.centerx, view.rect.bottom - 40, view.rect.top + 40, clock)
    run_frames(app, clock, 200)          # glide to the bottom: 下一页 greys out
    assert app.partial_frames > before, "scrolling redraws only the list"
    assert view.at_bottom
    _same_as_full_redraw(app)
    s = _search(app)
    run_frames(app, clock, 10)            # the list fills in, a tile a frame
    key = button(app, "Q")
    touch_down(app, *key.rect.center)
    app.step(0)                           # pressed key: a partial frame
    _same_as_full_redraw(app)
    touch_up(app, *key.rect.center)
    app.step(0)
    settle(app)                           # the results arrive and fill in, partially
    run_frames(app, clock, 10)
    assert s.query == "q"
    _same_as_full_redraw(app)


def test_a_running_job_holds_the_idle_time_out_but_not_for_ever(
        ui: tuple[App, FakeClock]) -> None:
    import threading

    from screens.app import MAX_HOLD_S

    app, clock = ui
    tap_widget(app, button(app, "办事指南查询"))
    release = threading.Event()
    app.run_in_worker(lambda: release.wait(10), lambda _: None)
    clock.advance(app.cfg.session.idle_timeout_s + app.cfg.session.warning_s + 5)
    app.step(0)
    assert isinstance(app.top, BrowseScreen), "no time-out while the job runs"
    clock.advance(MAX_HOLD_S + app.cfg.session.idle_timeout_s + app.cfg.session.warning_s)
    app.step(0)
    assert isinstance(app.top, HomeScreen), "a hung job does not keep the visit open"
    release.set()
    settle(app)
