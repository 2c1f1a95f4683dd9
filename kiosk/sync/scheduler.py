"""When the kiosk looks for a catalog update: once soon after start, then every
[catalog].update_every_h hours, and when a USB drive with the county's repository appears —
each time only between visits (the UI says when through `idle()`), on this thread, never
the UI's. A verified update is imported by kiosk.sync.update; `on_updated` then tells the UI,
which shows the new catalog at the next moment nobody is using the kiosk.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.config import Config
from kiosk.sync.sources import find_stick
from kiosk.sync.update import Source, UpdateResult, check_now

log = logging.getLogger(__name__)

FIRST_CHECK_S = 20.0      # after start: let the first frame and the search index go first
IDLE_POLL_S = 5.0
STICK_POLL_S = 30.0


class UpdateScheduler:
    def __init__(self, cfg: Config, idle: Callable[[], bool],
                 on_updated: Callable[[UpdateResult], None],
                 clock: Callable[[], float] = time.monotonic,
                 find: Callable[[], Path | None] = find_stick) -> None:
        self.cfg = cfg
        self.idle = idle
        self.on_updated = on_updated
        self.clock = clock
        self.find = find
        self.every_s = cfg.catalog.update_every_h * 3600
        self._next = clock() + FIRST_CHECK_S
        self._stick: Path | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.results: list[UpdateResult] = []

    def due(self) -> list[Source]:
        """The checks to run now (the URL when its time has come, a newly plugged stick)."""
        out = []
        if self.cfg.catalog.update_url and self.clock() >= self._next:
            out.append(Source("url", self.cfg.catalog.update_url))
        if self.cfg.catalog.update_stick:
            stick = self.find()
            if stick is not None and stick != self._stick:
                out.append(Source("stick", str(stick)))
            self._stick = stick
        return out

    def step(self) -> list[UpdateResult]:
        """One look: run what is due, if nobody is at the kiosk."""
        if not self.idle():
            return []
        done = []
        for source in self.due():
            result = check_now(self.cfg, source)
            done.append(result)
            if source.kind == "url":
                self._next = self.clock() + (self.every_s if result.ok or
                                             result.outcome == "refused" else
                                             min(self.every_s, 900.0))
            if result.outcome == "updated":
                self.on_updated(result)
        self.results += done
        return done

    def start(self) -> None:
        if not (self.cfg.catalog.update_root and (self.cfg.catalog.update_url or
                                                   self.cfg.catalog.update_stick)):
            return
        self._thread = threading.Thread(target=self._run, name="catalog-updates", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        last_stick_look = 0.0
        while not self._stop.wait(IDLE_POLL_S):
            if self.clock() < self._next and self.clock() - last_stick_look < STICK_POLL_S:
                continue
            last_stick_look = self.clock()
            try:
                self.step()
            except Exception:  # an unexpected bug must not stop later checks
                log.exception("catalog update check failed")
