"""Starting the county service: the database, the notifier thread, uvicorn."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from county.service.db import Database
from county.service.notify import Dispatcher, notifier_from
from county.service.web import build_app

log = logging.getLogger(__name__)


def parse_listen(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--listen {text}: expected HOST:PORT, e.g. 0.0.0.0:8470")
    return host, int(port)


def serve(listen: str, database: str, repo: Path | None, notify: Sequence[str]) -> int:
    import uvicorn

    host, port = parse_listen(listen)
    notifiers = [notifier_from(spec) for spec in notify]
    db = Database(database, max_size=16).open()
    dispatcher = Dispatcher(db, notifiers)
    dispatcher.start()
    app = build_app(db, repo)
    log.info("county service on http://%s:%d (repository %s, notifiers: %s)", host, port,
             repo or "none", ", ".join(n.name for n in notifiers) or "none")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:
        dispatcher.stop()
        db.close()
    return 0


class InThread:
    """The service on a uvicorn in a thread of this process (the demo, the tests)."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=port,
                                                    log_level="warning", access_log=False,
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, name="county-uvicorn",
                                       daemon=True)
        self.where = f"{host}:{port}"

    def start(self, timeout_s: float = 15.0) -> InThread:
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise OSError(f"the county service did not start on {self.where} (port in "
                              "use?)")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
