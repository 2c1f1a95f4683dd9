"""Workers belong to the screen that started them (screens/workers.py): once it leaves the
stack nothing comes back to it; an exclusive worker replaces the one before it; run_busy is
the Busy → worker → result pattern. Real threads, the real App loop."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial

import pytest

from screens.app import App
from screens.busy import Busy, run_busy
from screens.dialog import Confirm, Notice
from screens.screen import Screen
from screens.workers import WorkerState, cancelled, current_worker
from tests.ui.helpers import make_app, settle


class Plain(Screen[None]):
    """A screen with nothing on it, to own workers."""


def after(gate: threading.Event, value: str) -> Callable[[], str]:
    """Work that returns `value` once `gate` is set."""
    def work() -> str:
        gate.wait(5)
        return value
    return work


@pytest.fixture
def app() -> Iterator[App]:
    app, _ = make_app()
    yield app
    app.close()


def test_result_reaches_the_screen_that_is_still_there(app: App) -> None:
    screen = Plain(app)
    app.push(screen)
    got: list[int] = []
    worker = screen.run_worker(lambda: 6 * 7, got.append)
    settle(app)
    assert got == [42] and worker.state is WorkerState.SUCCESS


def test_a_screen_that_left_gets_nothing_back_and_the_thread_can_see_it(app: App) -> None:
    screen = Plain(app)
    app.push(screen)
    started, release = threading.Event(), threading.Event()
    seen: list[bool] = []
    got: list[str] = []
    errors: list[BaseException] = []

    def work() -> str:
        started.set()
        release.wait(5)
        seen.append(cancelled())
        return "the last citizen's result"

    worker = screen.run_worker(work, got.append, errors.append)
    assert started.wait(5)
    app.go_home()                      # e.g. the visit timed out
    assert worker.is_cancelled
    release.set()
    settle(app)
    assert got == [] and errors == [] and seen == [True]
    assert worker.state is WorkerState.CANCELLED


def test_a_failing_worker_of_a_gone_screen_shows_no_notice(app: App) -> None:
    screen = Plain(app)
    app.push(screen)
    release = threading.Event()

    def work() -> None:
        release.wait(5)
        raise RuntimeError("device fell over")

    screen.run_worker(work, lambda _r: None)      # no on_error: the App's notice by default
    app.pop(screen=screen)
    release.set()
    settle(app)
    app.step(0)
    assert len(app.stack) == 1 and not isinstance(app.top, Notice)


def test_default_error_says_the_errors_own_words(app: App) -> None:
    from devices.errors import PrinterError

    screen = Plain(app)
    app.push(screen)

    def work() -> None:
        raise PrinterError("tcp://127.0.0.1:1: refused")

    screen.run_worker(work, lambda _r: None)
    settle(app)
    assert isinstance(app.top, Notice) and app.top.message == PrinterError.citizen_message


def test_exclusive_workers_replace_each_other_one_thread_at_a_time(app: App) -> None:
    screen = Plain(app)
    app.push(screen)
    gate = threading.Event()
    running: list[str] = []
    got: list[str] = []

    def lookup(q: str) -> str:
        running.append(q)
        assert current_worker() is not None
        gate.wait(5)
        return q

    for q in ("d", "db", "dib", "diba"):
        screen.run_worker(partial(lookup, q), got.append, group="lookup", exclusive=True)
    assert app.workers.running == 1          # "db" and "dib" never start: replaced
    gate.set()
    settle(app)
    assert running == ["d", "diba"] and got == ["diba"]


def test_cancel_workers_of_one_group_keeps_the_others(app: App) -> None:
    screen = Plain(app)
    app.push(screen)
    gate = threading.Event()
    got: list[str] = []
    screen.run_worker(after(gate, "lookup"), got.append, group="lookup")
    screen.run_worker(after(gate, "status"), got.append)
    screen.cancel_workers("lookup")
    gate.set()
    settle(app)
    assert got == ["status"]


def test_run_busy_shows_the_card_then_hands_over_the_result(app: App) -> None:
    screen = Plain(app)
    app.push(screen)
    gate = threading.Event()
    got: list[str] = []
    busy = Busy(app, "正在打印")
    run_busy(screen, busy, after(gate, "printed"), got.append,
             lambda exc: got.append(f"failed: {exc}"))
    assert app.stack[-1][0] is busy
    busy.say("打印机没有应答，正在等待…")
    app.step(0)
    assert busy.message == "打印机没有应答，正在等待…"
    gate.set()
    settle(app)
    assert got == ["printed"] and app.top is screen


def test_run_busy_hands_over_the_error_after_closing_the_card(app: App) -> None:
    screen = Plain(app)
    app.push(screen)
    seen: list[tuple[str, bool]] = []

    def work() -> str:
        raise OSError("no route")

    run_busy(screen, Busy(app, "正在打印"), work, lambda _r: None,
             lambda exc: seen.append((str(exc), app.top is screen)))
    settle(app)
    assert seen == [("no route", True)]


def test_run_busy_after_the_visit_ended_leaves_only_home(app: App) -> None:
    screen = Plain(app)
    app.push(screen)
    gate = threading.Event()
    got: list[str] = []
    run_busy(screen, Busy(app, "正在打印"), after(gate, "x"), got.append,
             lambda exc: got.append("error"))
    app.end_session()
    gate.set()
    settle(app)
    assert got == [] and len(app.stack) == 1 and app.top.is_home


def test_push_hands_a_typed_result_or_none(app: App) -> None:
    answers: list[bool | None] = []

    def answered(yes: bool | None) -> None:   # what mypy checks Confirm's callback against
        answers.append(yes)

    app.push(Confirm(app, "确认", "确定吗？"), on_result=answered)
    app.top.finish(True)
    app.push(Confirm(app, "确认", "确定吗？"), on_result=answered)
    app.pop()                                  # 返回 / Esc: no result
    assert answers == [True, None]
