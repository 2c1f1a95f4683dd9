"""Calls to announce, one at a time.

- Never cut off: one thread plays each announcement to its end before taking the next.
- A backlog collapses to the newest call per window: if window 3 called A012 and then A013
  before A012 was spoken, only A013 is said (in A012's place in the line).
- Each call once, keyed by its event id: the same event offered again (a stream resumed after
  a reconnect, a snapshot overlapping the stream) is not spoken again. A recall is a new event
  and is spoken again ("再次").
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.speech.phrases import Call
from kiosk.speech.player import Player
from kiosk.speech.render import Renderer, Rendering

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Announcement:
    key: str                 # the event id: said at most once
    call: Call | None        # a call, or None for a prompt (`text`)
    queued_at: float         # monotonic, for latency figures
    text: str = ""

    @property
    def slot(self) -> int | str:
        """What a newer item replaces: the same window's call; any prompt, a prompt."""
        return self.call.window if self.call is not None else "prompt"


class AnnouncementQueue:
    """Thread-safe: `offer` from the feed, `take` on the speaking thread."""

    def __init__(self, remember: int = 5000, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self._pending: list[Announcement] = []
        self._seen: set[str] = set()
        self._order: deque[str] = deque()
        self._remember = remember
        self._cond = threading.Condition()
        self._clock = clock
        self.collapsed = 0
        self.duplicates = 0
        self._active = 0

    def offer(self, key: str, call: Call | None, text: str = "") -> bool:
        """Queue it unless this key was offered before; False if it was not queued."""
        with self._cond:
            if key in self._seen:
                self.duplicates += 1
                return False
            self._remember_key(key)
            item = Announcement(key, call, self._clock(), text)
            for i, old in enumerate(self._pending):
                if old.slot == item.slot:
                    self._pending[i] = item
                    self.collapsed += 1
                    break
            else:
                self._pending.append(item)
            self._cond.notify()
            return True

    def mark_seen(self, key: str) -> None:
        """Remember a call that must not be spoken (an old one seen while catching up)."""
        with self._cond:
            if key not in self._seen:
                self._remember_key(key)

    def take(self, timeout: float | None = None) -> Announcement | None:
        with self._cond:
            if not self._pending:
                self._cond.wait(timeout)
            if not self._pending:
                return None
            self._active += 1
            return self._pending.pop(0)

    def done(self) -> None:
        """The item `take` gave has been spoken (or failed)."""
        with self._cond:
            self._active -= 1

    def idle(self) -> bool:
        with self._cond:
            return not self._pending and not self._active

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def pending(self) -> list[Announcement]:
        with self._cond:
            return list(self._pending)

    def _remember_key(self, key: str) -> None:
        self._seen.add(key)
        self._order.append(key)
        while len(self._order) > self._remember:
            self._seen.discard(self._order.popleft())


@dataclass(frozen=True)
class Spoken:
    announcement: Announcement
    rendering: Rendering
    started: float      # monotonic: play() called
    finished: float


class Announcer:
    """The speaking thread: take → render → play, until `stop()`."""

    def __init__(self, renderer: Renderer, player: Player, repeat: int = 2,
                 queue: AnnouncementQueue | None = None,
                 on_spoken: Callable[[Spoken], None] | None = None) -> None:
        self.renderer = renderer
        self.player = player
        self.repeat = repeat
        self.queue = queue or AnnouncementQueue()
        self.on_spoken = on_spoken
        self.spoken: deque[Spoken] = deque(maxlen=200)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._prompts = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="announcer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self.queue.wake()
        if self._thread is not None:
            self._thread.join(timeout)
        self.player.close()

    def announce(self, key: str, call: Call) -> bool:
        return self.queue.offer(key, call)

    def prompt(self, text: str) -> None:
        """Say a prompt (the evaluator's 请您对本次服务进行评价); a newer prompt replaces one not
        yet begun."""
        self._prompts += 1
        self.queue.offer(f"prompt-{self._prompts}", None, text)

    def wait_idle(self, timeout: float) -> bool:
        """Tests and `kiosk speak`: until nothing is queued or playing."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.queue.idle():
                return True
            time.sleep(0.01)
        return False

    def _run(self) -> None:
        while not self._stop.is_set():
            item = self.queue.take(timeout=0.5)
            if item is None:
                continue
            try:
                self._say(item)
            except Exception:  # a bad clip must not silence the display for the day
                log.exception("announcement %s failed", item.key)
            finally:
                self.queue.done()

    def _say(self, item: Announcement) -> None:
        rendering = (self.renderer.announcement(item.call, self.repeat) if item.call is not None
                     else self.renderer.text(item.text))
        started = time.monotonic()
        self.player.play(rendering.pcm)
        done = Spoken(item, rendering, started, time.monotonic())
        self.spoken.append(done)
        log.info("said %s (%s) in %.1f s", item.call.text if item.call else item.text,
                 item.key, done.finished - started)
        if self.on_spoken is not None:
            self.on_spoken(done)
