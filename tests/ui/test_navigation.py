"""Every screen is reachable with real (synthesised) touches, in both orientations."""

from __future__ import annotations

import pygame
import pytest

from screens.app import App
from screens.browse import BrowseScreen, CategoryScreen
from screens.dialog import Notice
from screens.guide import GuideScreen
from screens.home import HomeScreen
from screens.maintenance import MaintenancePlaceholder
from screens.search import SearchScreen
from tests.ui.helpers import FakeClock, button, tap, tap_widget, touch_down, touch_up


def _first_row(app: App) -> tuple[int, int]:
    view = app.top.view  # type: ignore[attr-defined]
    return view.rect.left + view.rect.width // 2, view.rect.top + 10


def test_home_browse_category_guide_and_back(ui_any: tuple[App, FakeClock]) -> None:
    app, _ = ui_any
    assert isinstance(app.top, HomeScreen)
    tap_widget(app, button(app, "办事指南查询"))
    assert isinstance(app.top, BrowseScreen)
    tap_widget(app, button(app, "按人生大事"))
    assert isinstance(app.top, BrowseScreen) and app.top.kind == "life_event"
    tap(app, *_first_row(app))
    assert isinstance(app.top, CategoryScreen)
    assert app.top.kind == "life_event" and app.top.items
    tap(app, *_first_row(app))
    assert isinstance(app.top, GuideScreen)
    assert app.session.viewed == [app.top.code]
    tap_widget(app, button(app, "‹ 返回"))
    assert isinstance(app.top, CategoryScreen)
    tap_widget(app, button(app, "首页"))
    assert isinstance(app.top, HomeScreen) and len(app.stack) == 1


def test_search_reachable_from_browse(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    tap_widget(app, button(app, "办事指南查询"))
    tap_widget(app, button(app, "查找：输入名称或拼音首字母"))
    assert isinstance(app.top, SearchScreen)


def test_unbuilt_flows_answer_politely(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    for label in ("排队取号", "表格打印", "复印"):
        tap_widget(app, button(app, label))
        assert isinstance(app.top, Notice)
        assert "暂未开放" in app.top.message
        tap_widget(app, button(app, "知道了"))
        assert isinstance(app.top, HomeScreen)


def test_guide_print_buttons_call_the_actions_hook(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    calls: list[tuple[str, str]] = []
    app.actions.print_guide = lambda code: calls.append(("guide", code))  # type: ignore[method-assign]
    app.actions.print_forms = lambda code: calls.append(("forms", code))  # type: ignore[method-assign]
    app.push(GuideScreen(app, "T-0001"))
    app.step(0)
    tap_widget(app, button(app, "打印办事指南"))
    tap_widget(app, button(app, "打印表格"))
    assert calls == [("guide", "T-0001"), ("forms", "T-0001")]


def test_unknown_item_explains_instead_of_crashing(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    app.push(GuideScreen(app, "NO-SUCH"))
    app.step(0)
    assert isinstance(app.top, Notice) and "没有找到" in app.top.title
    assert not any(isinstance(s, GuideScreen) for s, _ in app.stack)


def test_hidden_corner_gesture_opens_maintenance_hook(ui: tuple[App, FakeClock]) -> None:
    app, clock = ui
    w, h = app.size
    touch_down(app, 5, 5)
    app.step(0)
    clock.advance(3.5)               # hold the top-left corner
    touch_up(app, 5, 5)
    app.step(0)
    clock.advance(1.0)
    tap(app, w - 5, h - 5)           # then tap the bottom-right one
    assert isinstance(app.top, MaintenancePlaceholder)


def test_a_quick_corner_tap_does_nothing(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    tap(app, 5, 5)
    tap(app, app.size[0] - 5, app.size[1] - 5)
    assert isinstance(app.top, HomeScreen)


def test_worker_result_comes_back_on_the_ui_thread(ui: tuple[App, FakeClock]) -> None:
    import threading

    app, _ = ui
    seen: list[tuple[int, bool]] = []
    main = threading.get_ident()
    app.run_in_worker(lambda: threading.get_ident(),
                      lambda tid: seen.append((tid, threading.get_ident() == main)))
    for _ in range(200):
        app.step(5)
        if seen:
            break
    assert seen and seen[0][0] != main and seen[0][1]
    assert not app.busy


def test_worker_failure_shows_a_polite_notice(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui

    def boom() -> None:
        raise OSError("printer on fire")

    app.run_in_worker(boom, lambda _: None)
    for _ in range(200):
        app.step(5)
        if isinstance(app.top, Notice):
            break
    assert isinstance(app.top, Notice) and "稍后再试" in app.top.message


def test_device_messages_reach_the_top_screen(ui: tuple[App, FakeClock],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    app, _ = ui
    got: list[object] = []
    monkeypatch.setattr(app.top, "on_message", got.append)
    app.post({"card": "inserted"})
    app.step(0)
    assert got == [{"card": "inserted"}]


def test_quit_event_stops_the_loop(ui: tuple[App, FakeClock]) -> None:
    app, _ = ui
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.step(0)
    assert not app.running


def test_the_corner_gesture_does_not_also_press_what_is_in_the_corner() -> None:
    from tests.ui.helpers import make_app

    app, clock = make_app((1080, 1920))
    try:
        w, h = app.size
        elder = button(app, "长者模式 / 大字")
        elder.rect = elder.rect.union((w - 10, h - 10, 10, 10))  # reach into the corner
        touch_down(app, 5, 5)
        app.step(0)
        clock.advance(3.5)
        touch_up(app, 5, 5)
        app.step(0)
        tap(app, w - 5, h - 5)
        assert isinstance(app.top, MaintenancePlaceholder)
        assert not app.session.elder_mode and not elder.pressed
    finally:
        app.close()


def test_windowed_development_mode_scales_the_window_and_the_mouse() -> None:
    import dataclasses

    from kiosk.lookup import catalog_from_file, make_searcher
    from tests.support.catalogs import MINI_CATALOG
    from tests.ui.helpers import config

    cfg = config()
    cfg = dataclasses.replace(cfg, display=dataclasses.replace(cfg.display, scale=0.5,
                                                               touch=False))
    cat = catalog_from_file(MINI_CATALOG)
    app = App(cfg, cat, make_searcher(cat), windowed=True)
    app.open()
    try:
        app.step(0)
        window = pygame.display.get_surface()
        assert window is not None and window.get_size() == (540, 960)
        assert app.surface.get_size() == (1080, 1920)
        b = button(app, "办事指南查询")
        x, y = b.rect.centerx // 2, b.rect.centery // 2     # where it shows in the window
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, y), button=1))
        app.step(0)
        assert isinstance(app.top, BrowseScreen)
    finally:
        app.close()
