"""The hall service assembled: store (SQLite or PostgreSQL) → auth, event hub → Starlette app.

`HallService` owns their life cycle; `kiosk hall serve` (hall/serve.py) runs it under uvicorn,
tests run it in a thread on a free loopback port (tests/support/hall_env.py). Other engineers'
pages (the window page, the display, 好差评) mount with `extra_routes`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from hall.api import HallApi
from hall.api_routes import routes
from hall.auth import Auth
from hall.stream import EventHub
from kiosk.queue.hallconfig import HallSettings
from kiosk.queue.sql.engine import SqlHallStore
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.queue.store import QueueStoreError

log = logging.getLogger("hall")
SWEEP_S = 30.0


def open_store(database: str, settings: HallSettings,
               clock: Callable[[], datetime] = datetime.now) -> SqlHallStore:
    """`sqlite:PATH` (relative to hall.toml's folder) or `postgresql://…` (not opened)."""
    if database.startswith("sqlite:"):
        return SqliteQueueStore(settings.path(database.removeprefix("sqlite:")), settings, clock)
    if database.startswith(("postgresql://", "postgres://")):
        from hall.pg_store import PgHallStore

        return PgHallStore(database, settings, clock)
    raise QueueStoreError(f"database {database!r}: expected sqlite:PATH or postgresql://…")


def describe(database: str) -> str:
    """The database named without its password, for logs and messages."""
    if "://" in database and "@" in database:
        scheme, rest = database.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return database


class HallService:
    def __init__(self, settings: HallSettings, store: SqlHallStore,
                 clock: Callable[[], datetime] = datetime.now, poll_s: float = 0.25,
                 extra_routes: Sequence[BaseRoute] = ()) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.auth = Auth(store, settings, clock)
        self.hub = EventHub(store, poll_s=poll_s, clock=clock)
        self.api = HallApi(store, self.auth, self.hub, clock)
        self.app = Starlette(routes=[*routes(self.api), *extra_routes])
        self._stop = threading.Event()
        self._sweeper: threading.Thread | None = None

    def open(self) -> None:
        self.store.open()
        self.hub.start()
        self._sweeper = threading.Thread(target=self._sweep, name="hall-sweep", daemon=True)
        self._sweeper.start()

    def close(self) -> None:
        self._stop.set()
        self.hub.stop()
        if self._sweeper is not None:
            self._sweeper.join(timeout=5)
        self.store.close()

    def _sweep(self) -> None:
        """Tickets a kiosk left `issuing` and never settled (it died, or its link did) become
        `verify` after two minutes: their slip may exist, so they stay servable."""
        while not self._stop.wait(SWEEP_S):
            try:
                for t in self.store.recover(owner="", kiosk=""):
                    log.warning("ticket %s (kiosk %s) was never settled: kept as verify",
                                t.number, t.kiosk or "?")
            except QueueStoreError as exc:
                log.warning("sweep skipped: %s", exc)


def log_file(settings: HallSettings) -> Path:
    return settings.path(settings.server.log_dir) / "hall.log"
