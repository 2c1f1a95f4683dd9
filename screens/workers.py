"""Workers: blocking work (a print, a scan, a lookup, the network) on a thread, with its result
handed back on the UI thread — and owned by the screen that started it, as Textual's workers
belong to the widget that ran them. When that screen leaves the stack (返回, 首页, the end of
the visit) its workers are cancelled: whatever they return is dropped, so the next citizen
never gets the last one's result, and no flow has to check "am I still open?" itself.

A Python thread cannot be stopped from outside: a cancelled worker runs to its end, and only
its result is dropped. Work that can stop early looks at `current_worker().is_cancelled`
(Textual's `get_current_worker()`), or the screen cancels the device itself (a scan's 取消).

    self.run_worker(printer.status, self.got)                  # owned by this screen
    self.run_worker(lookup, self.found, exclusive=True)        # a newer lookup replaces it
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from screens.screen import Screen

log = logging.getLogger(__name__)
T = TypeVar("T")
_local = threading.local()


class WorkerState(Enum):
    PENDING = "pending"        # exclusive: waiting for the group's running worker to return
    RUNNING = "running"
    SUCCESS = "success"
    ERROR = "error"
    CANCELLED = "cancelled"


class Worker(Generic[T]):
    """One piece of work. Made by `App.run_in_worker` / `Screen.run_worker`, not directly."""

    def __init__(self, fn: Callable[[], T], on_done: Callable[[T], None],
                 on_error: Callable[[BaseException], None] | None, *,
                 owner: Screen[Any] | None, group: str, exclusive: bool) -> None:
        self.fn = fn
        self.on_done = on_done
        self.on_error = on_error
        self.owner = owner
        self.group = group
        self.exclusive = exclusive
        self.state = WorkerState.PENDING
        self._cancelled = threading.Event()

    def __repr__(self) -> str:
        owner = type(self.owner).__name__ if self.owner is not None else "app"
        return f"Worker({owner}/{self.group}, {self.state.value})"

    @property
    def is_cancelled(self) -> bool:
        """Thread-safe: the worker's own code may look at it to stop early."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Drop the result (UI thread). A pending worker never starts; a running one's thread
        goes on to its end, unseen."""
        self._cancelled.set()
        if self.state is WorkerState.PENDING:
            self.state = WorkerState.CANCELLED

    def run(self) -> tuple[bool, T | BaseException]:
        """Thread side: call fn; (True, result) or (False, the exception)."""
        _local.worker = self
        try:
            return True, self.fn()
        except Exception as exc:   # handed back to the UI thread, which decides
            return False, exc
        finally:
            _local.worker = None

    def deliver(self, ok: bool, value: Any, default_error: Callable[[BaseException], None]
                ) -> None:
        """UI side: hand the result over, unless the worker was cancelled meanwhile."""
        if self.is_cancelled:
            self.state = WorkerState.CANCELLED
            return
        if ok:
            self.state = WorkerState.SUCCESS
            self.on_done(value)
            return
        self.state = WorkerState.ERROR
        log.warning("worker failed: %s", type(value).__name__)
        (self.on_error or default_error)(value)


def current_worker() -> Worker[Any] | None:
    """The worker whose thread is calling (None on any other thread)."""
    worker: Worker[Any] | None = getattr(_local, "worker", None)
    return worker


def cancelled() -> bool:
    """True on a worker thread whose worker was cancelled (its screen has gone)."""
    worker = current_worker()
    return worker is not None and worker.is_cancelled


class WorkerPool:
    """The App's workers: starts threads, posts results back through `post` (the App's inbox,
    so they run on the UI thread), and knows which are running and whose they are."""

    def __init__(self, post: Callable[[Callable[[], None]], None],
                 default_error: Callable[[BaseException], None],
                 clock: Callable[[], float]) -> None:
        self._post = post
        self._default_error = default_error
        self._clock = clock
        self._running: list[Worker[Any]] = []
        self._pending: list[Worker[Any]] = []
        self.busy_since = 0.0      # when the oldest uncancelled running worker started

    def run(self, fn: Callable[[], T], on_done: Callable[[T], None],
            on_error: Callable[[BaseException], None] | None = None, *,
            owner: Screen[Any] | None = None, group: str = "default",
            exclusive: bool = False) -> Worker[T]:
        worker = Worker(fn, on_done, on_error, owner=owner, group=group, exclusive=exclusive)
        if exclusive:
            # A newer one replaces the older ones: their results are dropped, and the new
            # one waits for a thread of the group still running — one thread at a time, so a
            # fast typist never queues a backlog of lookups.
            for old in self._same(worker):
                old.cancel()
            self._pending = [w for w in self._pending if not _same_scope(w, worker)]
            if any(_same_scope(w, worker) for w in self._running):
                self._pending.append(worker)
                return worker
        self._start(worker)
        return worker

    def _same(self, worker: Worker[Any]) -> list[Worker[Any]]:
        return [w for w in (*self._running, *self._pending) if _same_scope(w, worker)]

    def _start(self, worker: Worker[Any]) -> None:
        if not self.holding:
            self.busy_since = self._clock()
        worker.state = WorkerState.RUNNING
        self._running.append(worker)

        def work() -> None:
            ok, value = worker.run()
            self._post(lambda: self._returned(worker, ok, value))

        threading.Thread(target=work, name="kiosk-worker", daemon=True).start()

    def _returned(self, worker: Worker[Any], ok: bool, value: object) -> None:
        self._running.remove(worker)
        worker.deliver(ok, value, self._default_error)
        waiting = next((w for w in self._pending if _same_scope(w, worker)), None)
        if waiting is not None:
            self._pending.remove(waiting)
            self._start(waiting)

    def cancel_owned(self, owner: Screen[Any], group: str | None = None) -> None:
        """Cancel `owner`'s workers (of `group`, or all: it left the stack)."""
        def mine(w: Worker[Any]) -> bool:
            return w.owner is owner and (group is None or w.group == group)

        for w in (*self._running, *self._pending):
            if mine(w):
                w.cancel()
        self._pending = [w for w in self._pending if not mine(w)]

    def owned(self, owner: Screen[Any]) -> list[Worker[Any]]:
        """`owner`'s workers that are running or waiting to run."""
        return [w for w in (*self._running, *self._pending)
                if w.owner is owner and not w.is_cancelled]

    @property
    def running(self) -> int:
        """Threads still running, cancelled or not (tests wait for all of them)."""
        return len(self._running)

    @property
    def holding(self) -> bool:
        """An uncancelled worker is running: someone is waiting for its result."""
        return any(not w.is_cancelled for w in self._running)


def _same_scope(a: Worker[Any], b: Worker[Any]) -> bool:
    return a is not b and a.owner is b.owner and a.group == b.group
