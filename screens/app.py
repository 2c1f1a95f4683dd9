"""The kiosk's main loop and screen stack.

One thread owns pygame. Between turns it sleeps on `self.inbox` (a queue.Queue that worker
and device threads put results on, so a result wakes it at once) for at most 25 ms, then
looks at SDL's input; the top screen animates, and the screen is redrawn only when something
called `invalidate()`. Not `pygame.event.wait(timeout)`: on video drivers without a native
wait (dummy, KMSDRM) SDL implements it by polling every millisecond, which cost ~3 % of a core
on an idle home screen; this loop costs a fraction of that and a tap still shows within ~25 ms.
Work that may block (printing, a card read, the network) runs via `run_in_worker(fn,
on_done)`; `on_done` is then called back on this thread.
"""

from __future__ import annotations

import gc
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import pygame
import pygame.freetype

from kiosk.catalog.catalog import Catalog
from kiosk.config import Config
from kiosk.lookup import Searcher
from kiosk.maintenance.gesture import CornerGesture, GestureSpec
from kiosk.session import IdleState, Session
from kiosk.watchdog import Notifier
from screens.actions import Actions
from screens.input import InputMapper, Key, Pointer
from screens.screen import Screen
from screens.theme import Theme, make_theme

log = logging.getLogger(__name__)
MAX_HOLD_S = 120.0          # longest a running worker holds off the idle time-out
INPUT_POLL_MS = 25          # nothing moving: how often input is looked at (tap latency)


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
                               cfg.display.elder_mode, clock)
        self.inbox: queue.Queue[Any] = queue.Queue()
        self.stack: list[tuple[Screen, Callable[[Any], None] | None]] = []
        self.theme: Theme = make_theme(cfg.display, self.session.elder_mode, self.size)
        self.running = False
        self.exit_code = 0          # what `kiosk run` returns (maintenance: restart/exit)
        self.frames = 0
        self.partial_frames = 0     # frames that redrew only a damaged area
        self._dirty = True
        self._damage: list[pygame.Rect] = []
        self._workers = 0
        self._busy_since = 0.0
        self._animating = False
        self._last_tick = clock()
        self._surface: pygame.Surface | None = None
        self._window: pygame.Surface | None = None
        self._mapper = InputMapper(self.size)
        self._gesture = CornerGesture(*self.size, GestureSpec(corner_px=self.theme.mm(15)))
        self._home_factory: Callable[[App], Screen] | None = None
        self._memo: dict[str, Any] = {}

    # ---- life cycle -------------------------------------------------------------------------
    def open(self, home: Callable[[App], Screen] | None = None) -> None:
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
            self.stack.pop()[0].on_exit()
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
    def top(self) -> Screen:
        return self.stack[-1][0]

    def push(self, screen: Screen, on_result: Callable[[Any], None] | None = None) -> None:
        self.stack.append((screen, on_result))
        screen.on_enter()
        self.invalidate()

    def pop(self, result: Any = None, screen: Screen | None = None) -> None:
        """Close the top screen (or `screen`, if it is on top) and deliver its result."""
        if len(self.stack) <= 1 or (screen is not None and self.top is not screen):
            return
        closed, on_result = self.stack.pop()
        closed.on_exit()
        self.top.on_resume()
        self.invalidate()
        if on_result is not None:
            on_result(result)

    def go_home(self) -> None:
        """Back to the home screen, keeping the visit (the 首页 button)."""
        while len(self.stack) > 1:
            self.stack.pop()[0].on_exit()
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

    def cached(self, key: str, factory: Callable[[], Any]) -> Any:
        """A value derived from the catalog, computed once per catalog (replace_catalog clears
        them): popular items, category counts — each a pass over 10,000 items."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]

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
    def post(self, item: Any) -> None:
        """Thread-safe: a callable runs on the UI thread; anything else goes to the top screen's
        `on_message`. Device threads use this (or put on `inbox` directly)."""
        self.inbox.put(item)

    def run_in_worker(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run `fn` on a worker thread; `on_done(result)` (or `on_error(exc)`) runs back on the
        UI thread. The UI keeps drawing meanwhile, and the idle timer waits for it (up to
        MAX_HOLD_S: a hung device must not keep someone's data on screen for ever)."""
        if not self._workers:
            self._busy_since = self.clock()
        self._workers += 1

        def work() -> None:
            try:
                result = fn()
            except Exception as exc:  # handed back to the UI thread, which decides
                err = exc
                self.inbox.put(lambda: self._worker_done(lambda: self._fail(err, on_error)))
                return
            self.inbox.put(lambda: self._worker_done(lambda: on_done(result)))

        threading.Thread(target=work, name="kiosk-worker", daemon=True).start()

    def _worker_done(self, then: Callable[[], None]) -> None:
        self._workers -= 1
        then()

    def _fail(self, exc: BaseException, on_error: Callable[[BaseException], None] | None) -> None:
        log.warning("worker failed: %s", type(exc).__name__)
        if on_error is not None:
            on_error(exc)
        else:
            self.notice("出了点问题", "操作没有完成，请稍后再试，或到服务窗口咨询工作人员。")

    @property
    def busy(self) -> bool:
        return self._workers > 0

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

    def _deliver(self, item: Any) -> None:
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
        if self._workers and self.clock() - self._busy_since < MAX_HOLD_S:
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
