"""The kiosk's main loop and screen stack.

One thread owns pygame. Between turns it sleeps on `self.inbox` (a queue.Queue that worker
and device threads put results on, so a result wakes it at once) for at most 25 ms, then
looks at SDL's input; the top screen animates, and the screen is redrawn only when something
called `invalidate()`. Not `pygame.event.wait(timeout)`: on video drivers without a native
wait (dummy, KMSDRM) SDL implements it by polling every millisecond, which cost ~3 % of a core
on an idle home screen; this loop costs a fraction of that and a tap still shows within ~25 ms.
Work that may block (printing, a card read, the network) runs on a worker (screens/workers.py)
— `screen.run_worker(fn, on_done)`, owned by that screen and cancelled when it leaves the
stack, or `run_in_worker(fn, on_done)` for the App's own; `on_done` is then called back on
this thread.
"""

from __future__ import annotations

import gc
import logging
import os
import queue
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

import pygame
import pygame.freetype

from kiosk.catalog.catalog import Catalog
from kiosk.config import Config
from kiosk.errors import citizen_message_of
from kiosk.lookup import Searcher
from kiosk.maintenance.gesture import CornerGesture, GestureSpec
from kiosk.session import IdleState, Session
from kiosk.watchdog import Notifier
from screens.actions import Actions
from screens.input import InputMapper, Key, Pointer
from screens.messages.common import WORKER_FAILED, WORKER_FAILED_TITLE
from screens.screen import Screen
from screens.theme import Theme, make_theme
from screens.workers import Worker, WorkerPool

log = logging.getLogger(__name__)
MAX_HOLD_S = 120.0          # longest a running worker holds off the idle time-out
INPUT_POLL_MS = 25          # nothing moving: how often input is looked at (tap latency)
R = TypeVar("R")
T = TypeVar("T")


class App:
    def __init__(self, cfg: Config, catalog: Catalog, searcher: Searcher,
                 actions: Actions | None = None, *, size: tuple[int, int] | None = None,
                 windowed: bool = False, headless: bool = False,
                 clock: Callable[[], float] = time.monotonic,
                 notifier: Notifier | None = None) -> None:
        self.cfg = cfg
        self.catalog = catalog
        self.searcher = searcher
        self.actions = actions or Actions()
        self.size = size or (cfg.display.width, cfg.display.height)
        self.windowed = windowed or not cfg.display.fullscreen
        self.headless = headless
        self.clock = clock
        self.notifier = notifier or Notifier()
        self.session = Session(cfg.session.idle_timeout_s, cfg.session.warning_s,
                               cfg.display.elder_mode, clock,
                               elder_idle_timeout_s=cfg.session.elder_idle_timeout_s)
        self.inbox: queue.Queue[object] = queue.Queue()
        self.stack: list[tuple[Screen[Any], Callable[[Any], None] | None]] = []
        self.theme: Theme = make_theme(cfg.display, self.session.elder_mode, self.size)
        self.running = False
        self.exit_code = 0          # what `kiosk run` returns (maintenance: restart/exit)
        self.frames = 0
        self.partial_frames = 0     # frames that redrew only a damaged area
        self._dirty = True
        self._damage: list[pygame.Rect] = []
        self.workers = WorkerPool(self.inbox.put, self._worker_failed, clock)
        self._animating = False
        self._last_tick = clock()
        self._surface: pygame.Surface | None = None
        self._window: pygame.Surface | None = None
        self._mapper = InputMapper(self.size)
        self._gesture = CornerGesture(*self.size, GestureSpec(corner_px=self.theme.mm(15)))
        self._home_factory: Callable[[App], Screen[Any]] | None = None
        self._memo: dict[str, object] = {}

    # ---- life cycle -------------------------------------------------------------------------
    def open(self, home: Callable[[App], Screen[Any]] | None = None) -> None:
        """Open the window (or the whole panel) and show the home screen."""
        os.environ["SDL_VIDEO_MINIMIZE_ON_FOCUS_LOSS"] = "0"  # a kiosk never iconifies
        # Ask SDL not to copy touches into mouse events (or mice into touches) at all; the
        # InputMapper still drops any copy that comes, so one touch is one tap either way.
        os.environ.setdefault("SDL_TOUCH_MOUSE_EVENTS", "0")
        os.environ.setdefault("SDL_MOUSE_TOUCH_EVENTS", "0")
        pygame.display.init()
        pygame.freetype.init()
        pygame.display.set_caption(self.cfg.hall.name)
        scale = self.cfg.display.scale if self.windowed and not self.headless else 1.0
        win_size = (round(self.size[0] * scale), round(self.size[1] * scale))
        flags = 0 if self.windowed else pygame.FULLSCREEN | pygame.NOFRAME
        self._window = pygame.display.set_mode(win_size, flags)
        got = self._window.get_size()
        if got != win_size:
            # Full screen on a panel whose mode differs from [display] width/height: lay out
            # for the configured size and scale to the real one, rather than cut it off.
            scale = got[0] / self.size[0]
        self._surface = (self._window if got == self.size
                         else pygame.Surface(self.size).convert())
        self._mapper = InputMapper(self.size, scale)
        pygame.mouse.set_visible(not self.cfg.display.touch)
        if self.windowed:
            pygame.key.start_text_input()  # typing on a real keyboard during development
        else:
            pygame.key.stop_text_input()   # no IME window over a kiosk
        self.actions.bind(self)
        if home is None:
            from screens.home import HomeScreen

            home = HomeScreen
        self._home_factory = home
        self.push(home(self))
        self.running = True

    def close(self) -> None:
        while self.stack:
            self._leave(self.stack.pop()[0])
        self.notifier.stopping()
        self.notifier.close()
        pygame.display.quit()

    def run(self) -> None:
        self.step(0)
        self.notifier.ready()
        self.after_first_frame()
        while self.running:
            self.step()

    def after_first_frame(self) -> None:
        """Start the search index build (it waited so as not to slow the first frame) and
        freeze the start-up objects out of the garbage collector's sweeps: with 10,000
        catalog summaries a full collection would otherwise stall a frame now and then."""
        start = getattr(self.searcher, "start", None)
        if callable(start):
            start()
        gc.collect()
        gc.freeze()

    @property
    def surface(self) -> pygame.Surface:
        assert self._surface is not None, "App.open() first"
        return self._surface

    # ---- the stack ----------------------------------------------------------------------------
    @property
    def top(self) -> Screen[Any]:
        return self.stack[-1][0]

    def push(self, screen: Screen[R], on_result: Callable[[R | None], None] | None = None
             ) -> None:
        """Show `screen` on top; `on_result` gets what it finishes with (None when it was
        closed without a result: 返回, Esc)."""
        self.stack.append((screen, on_result))
        screen.on_enter()
        self.invalidate()

    def pop(self, screen: Screen[Any] | None = None) -> None:
        """Close the top screen (or `screen`, if it is on top) without a result."""
        if screen is None:
            if len(self.stack) > 1:
                self.dismiss(self.top, None)
            return
        self.dismiss(screen, None)

    def dismiss(self, screen: Screen[R], result: R | None) -> None:
        """Close `screen` if it is on top (never the home screen), and hand `result` to
        whoever pushed it. `Screen.finish` calls this."""
        if len(self.stack) <= 1 or self.top is not screen:
            return
        _closed, on_result = self.stack.pop()
        self._leave(screen)
        self.top.on_resume()
        self.invalidate()
        if on_result is not None:
            on_result(result)

    def _leave(self, screen: Screen[Any]) -> None:
        """`screen` is off the stack: its workers are cancelled, then it is told."""
        self.workers.cancel_owned(screen)
        screen.on_exit()

    def go_home(self) -> None:
        """Back to the home screen (the 首页 button): every flow ends — its card and scans
        are forgotten and the next search starts empty — but the visit (elder mode) goes on."""
        self.session.end_flows()
        while len(self.stack) > 1:
            self._leave(self.stack.pop()[0])
        self.top.on_resume()
        self.invalidate()

    def end_session(self) -> None:
        """The visit is over: wipe it and show the attract screen."""
        self.session.end()
        self.go_home()
        self.set_elder(self.session.elder_mode)

    def set_elder(self, on: bool) -> None:
        self.session.elder_mode = on
        if on != self.theme.elder:
            self.theme = make_theme(self.cfg.display, on, self.size)
            for screen, _ in self.stack:
                screen.layout()
        self.invalidate()

    def cached(self, key: str, factory: Callable[[], T]) -> T:
        """A value derived from the catalog, computed once per catalog (replace_catalog clears
        them): popular items, category counts — each a pass over 10,000 items."""
        if key not in self._memo:
            self._memo[key] = factory()
        return cast(T, self._memo[key])   # each key is only ever filled by its one factory

    def replace_catalog(self, catalog: Catalog, searcher: Searcher) -> bool:
        """Show a new catalog (a signed update was imported): only between visits, on the
        attract screen with nobody's data in the session. False when it is not the moment;
        the caller tries again later."""
        if len(self.stack) != 1 or not self.top.is_home or not self.session.is_blank():
            return False
        self.catalog, self.searcher = catalog, searcher
        self._memo.clear()
        self.top.layout()
        self.invalidate()
        return True

    def notice(self, title: str, message: str) -> None:
        from screens.dialog import Notice

        self.push(Notice(self, title, message))

    # ---- threads -----------------------------------------------------------------------------
    def post(self, item: object) -> None:
        """Thread-safe: a callable runs on the UI thread; anything else goes to the top screen's
        `on_message`. Device threads use this (or put on `inbox` directly)."""
        self.inbox.put(item)

    def run_in_worker(self, fn: Callable[[], T], on_done: Callable[[T], None],
                      on_error: Callable[[BaseException], None] | None = None, *,
                      owner: Screen[Any] | None = None, group: str = "default",
                      exclusive: bool = False) -> Worker[T]:
        """Run `fn` on a worker thread; `on_done(result)` (or `on_error(exc)`) runs back on the
        UI thread. With an `owner` (what `Screen.run_worker` passes) nothing is handed back
        once that screen has left the stack. The UI keeps drawing meanwhile, and the idle
        timer waits for it (up to MAX_HOLD_S: a hung device must not keep someone's data on
        screen for ever)."""
        return self.workers.run(fn, on_done, on_error, owner=owner, group=group,
                                exclusive=exclusive)

    def _worker_failed(self, exc: BaseException) -> None:
        """A worker failed and its caller gave no on_error: a polite notice."""
        self.notice(WORKER_FAILED_TITLE, citizen_message_of(exc, WORKER_FAILED))

    @property
    def busy(self) -> bool:
        """A worker thread is running (cancelled ones too: tests wait for every thread)."""
        return self.workers.running > 0

    # ---- the loop -----------------------------------------------------------------------------
    def invalidate(self, rect: pygame.Rect | None = None) -> None:
        """Ask for a redraw: of everything (no argument — the safe default), or only of
        `rect` (a pressed key, a scrolling list), which keeps those frames short."""
        if rect is None:
            self._dirty = True
        elif not self._dirty:
            self._damage.append(pygame.Rect(rect))

    def step(self, wait_ms: int | None = None) -> None:
        """One turn of the loop: wait for input (at most `wait_ms`), handle it, drain the
        inbox, animate, check the idle timer, draw if needed, ping the watchdog."""
        if wait_ms is None:
            wait_ms = self._wait_ms()
        events = pygame.event.get()
        if not events and wait_ms > 0:
            self._sleep(wait_ms / 1000)
            events = pygame.event.get()
        for ev in events:
            self._dispatch_raw(ev)
        self._drain_inbox()
        now = self.clock()
        dt, self._last_tick = min(0.1, now - self._last_tick), now
        self._animating = self.top.update(dt)
        self._check_idle()
        if self._dirty or self._damage:
            self.draw()
        self.notifier.ping()

    def _wait_ms(self) -> int:
        """Until the next frame while animating (max_fps), else the input poll period."""
        if self._animating or self._dirty or self._damage:
            frame = 1.0 / self.cfg.display.max_fps
            return max(0, round((frame - (self.clock() - self._last_tick)) * 1000))
        return INPUT_POLL_MS

    def _sleep(self, seconds: float) -> None:
        try:
            item = self.inbox.get(timeout=seconds)
        except queue.Empty:
            return
        self._deliver(item)

    def _dispatch_raw(self, ev: pygame.event.Event) -> None:
        if ev.type == pygame.QUIT:
            self.running = False  # only the window manager of a dev session sends this
            return
        if ev.type in (pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED, pygame.VIDEOEXPOSE):
            self.invalidate()
            return
        mapped = self._mapper.map(ev, self.clock())
        if mapped is not None:
            self.dispatch(mapped)

    def dispatch(self, ev: Pointer | Key) -> None:
        """Hand one input event to the top screen (tests may call this directly)."""
        self.session.touch()
        if isinstance(ev, Pointer) and self._corner(ev):
            return
        self.top.handle(ev)

    def _corner(self, ev: Pointer) -> bool:
        if ev.kind == "down":
            self._gesture.press(ev.t, ev.x, ev.y)
        elif ev.kind == "up" and self._gesture.release(ev.t, ev.x, ev.y):
            # The press went to whatever is in that corner: release it off-screen so it is
            # cancelled, not tapped, then open maintenance.
            self.top.handle(Pointer("up", -1, -1, ev.t))
            self.actions.open_maintenance()
            return True
        return False

    def _drain_inbox(self) -> None:
        while True:
            try:
                item = self.inbox.get_nowait()
            except queue.Empty:
                return
            self._deliver(item)

    def _deliver(self, item: object) -> None:
        self.session.device_event(item)   # a lifted card is forgotten whatever is on top
        if callable(item):
            item()
        else:
            self.top.handle(item)
        self.invalidate()

    def _check_idle(self) -> None:
        state = self.session.idle_state()
        if state is IdleState.ACTIVE:
            return
        if self.top.is_home and len(self.stack) == 1 and self.session.is_blank():
            self.session.touch()  # an untouched attract screen has nothing to time out
            return
        if self.workers.holding and self.clock() - self.workers.busy_since < MAX_HOLD_S:
            self.session.touch()  # a print or a scan is under way: the citizen is waiting
            return
        if state is IdleState.EXPIRED:
            self.end_session()
            return
        from screens.idle import IdleWarning

        if not any(isinstance(s, IdleWarning) for s, _ in self.stack):
            self.push(IdleWarning(self))

    def draw(self) -> None:
        """Draw the stack from the topmost opaque screen up — all of it, or clipped to the
        damaged area when only parts asked for a redraw (every draw call outside the clip
        is skipped by SDL, so the screens need not know)."""
        surface = self.surface
        partial = self._damage and not self._dirty
        area = self._damage[0].unionall(self._damage[1:]) if partial else None
        surface.set_clip(area)
        base = max((i for i, (s, _) in enumerate(self.stack) if s.opaque), default=0)
        for screen, _ in self.stack[base:]:
            screen.draw(surface)
        surface.set_clip(None)
        if self._window is not None and surface is not self._window:
            pygame.transform.smoothscale(surface, self._window.get_size(), self._window)
            pygame.display.flip()
        elif area is None:
            pygame.display.flip()
        else:
            pygame.display.update(area)
        self._dirty = False
        self._damage = []
        self.frames += 1
        self.partial_frames += area is not None
