"""The running kiosk's links to the county, wired to the UI: the catalog update checks and
the fleet agent run on their own threads; the UI thread only answers "is anyone here?"
(kept in an Event every IDLE_TICK_S), takes a screenshot when asked and nobody is here, and
swaps in a newly verified catalog between visits.
"""

from __future__ import annotations

import io
import logging
import threading
from typing import Any

import pygame

from kiosk.config import Config
from kiosk.lookup import BackgroundSearcher, load_catalog, make_searcher
from kiosk.sync.update import UpdateResult
from screens.app import App

log = logging.getLogger(__name__)
IDLE_TICK_S = 1.0
CAPTURE_WAIT_S = 5.0
SHOT_WIDTH = 540       # half a portrait panel: enough to see the screen, small to send


def between_visits(app: App) -> bool:
    """UI thread: the attract screen, nothing of anyone in the session, nothing running."""
    return (len(app.stack) == 1 and app.top.is_home and app.session.is_blank()
            and not app.busy)


def capture_png(app: App) -> bytes | None:
    """UI thread: the screen as a PNG (SHOT_WIDTH wide), only between visits."""
    if not between_visits(app):
        return None
    surface = app.surface
    w, h = surface.get_size()
    small = pygame.transform.smoothscale(surface, (SHOT_WIDTH, round(h * SHOT_WIDTH / w)))
    buf = io.BytesIO()
    pygame.image.save(small, buf, "shot.png")
    return buf.getvalue()


class CountyLink:
    def __init__(self, app: App, cfg: Config, terminal: Any = None) -> None:
        self.app = app
        self.cfg = cfg
        self.terminal = terminal
        self.idle = threading.Event()
        self._pending: tuple[Any, Any] | None = None
        self._stop = threading.Event()
        self.scheduler: Any = None
        self.agent: Any = None

    # ---- UI thread ----------------------------------------------------------------------------
    def tick(self) -> None:
        """Posted to the UI thread every IDLE_TICK_S."""
        free = between_visits(self.app)
        if free:
            self.idle.set()
        else:
            self.idle.clear()
        if free and self._pending is not None:
            catalog, searcher = self._pending
            if self.app.replace_catalog(catalog, searcher):
                self._pending = None
                log.info("showing catalog %s (%d items)", catalog.version, len(catalog))

    def _shot(self, done: threading.Event, out: list[bytes]) -> None:
        png = capture_png(self.app)
        if png is not None:
            out.append(png)
        done.set()

    # ---- other threads ------------------------------------------------------------------------
    def visit(self) -> str:
        return "idle" if self.idle.is_set() else "in_use"

    def screenshot(self) -> bytes | None:
        """From the agent's thread: a PNG of the screen, or None while someone is here."""
        if not self.idle.is_set():
            return None
        done, out = threading.Event(), list[bytes]()
        self.app.post(lambda: self._shot(done, out))
        done.wait(CAPTURE_WAIT_S)
        return out[0] if out else None

    def catalog_updated(self, result: UpdateResult) -> None:
        """From the update thread: load the new catalog and build its search index here,
        then let the UI thread swap it in when nobody is at the kiosk."""
        catalog = load_catalog(self.cfg)
        searcher = BackgroundSearcher(catalog, lambda c: make_searcher(c, self.cfg.search.popular))
        searcher.start()
        self._pending = (catalog, searcher)

    # ---- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        from kiosk.sync.scheduler import UpdateScheduler

        threading.Thread(target=self._ticker, name="county-idle", daemon=True).start()
        self.scheduler = UpdateScheduler(self.cfg, self.idle.is_set, self.catalog_updated)
        self.scheduler.start()
        self.agent = self._agent()
        if self.agent is not None:
            self.agent.start()

    def _ticker(self) -> None:
        while not self._stop.wait(IDLE_TICK_S):
            self.app.post(self.tick)

    def _agent(self) -> Any:
        from kiosk.sync.agent import FleetAgent, Sources
        from kiosk.sync.identity import load_identity
        from kiosk.sync.outbox import Outbox

        if not self.cfg.fleet.url or self.terminal is None:
            return None
        folder = self.cfg.path(self.cfg.fleet.dir)
        me = load_identity(folder)
        if me is None:
            log.warning("[fleet].url is set but this kiosk is not enrolled (kiosk fleet join "
                        "URL --code CODE); no heartbeats are sent")
            return None
        outbox = Outbox(folder / "outbox.sqlite").open()
        return FleetAgent(self.cfg, me, outbox, Sources(
            reports=self.terminal.reports, visit=self.visit, today=self.terminal.usage.today,
            screenshot=self.screenshot, started_at=self.terminal.started_at))

    def stop(self) -> None:
        self._stop.set()
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.agent is not None:
            self.agent.stop()
            self.agent.outbox.close()
