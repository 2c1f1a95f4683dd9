"""The county service for tests: a real uvicorn on a free loopback port, in a thread of the
test process, over a real PostgreSQL database; and enrolled kiosks with their own keys."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from county.service.db import Database
from county.service.enrol import new_hall, new_kiosk
from county.service.serve import InThread
from county.service.web import build_app
from kiosk.sync.identity import Identity, join


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Service:
    url: str
    db: Database
    app: Any
    server: uvicorn.Server


@contextmanager
def county_service(db_url: str, repo: Path | None = None) -> Iterator[Service]:
    db = Database(db_url, max_size=16).open()
    app = build_app(db, repo)
    port = free_port()
    running = InThread(app, "127.0.0.1", port).start()
    try:
        yield Service(f"http://127.0.0.1:{port}", db, app, running.server)
    finally:
        running.stop()
        db.close()


def enrol_kiosk(service: Service, folder: Path, name: str, hall: str = "清河镇便民服务中心"
                ) -> Identity:
    """Create the hall (if new) and the kiosk on the county, and join from `folder` over HTTP
    (the kiosk makes its own key there)."""
    if service.db.one("SELECT 1 FROM halls WHERE name = %s", (hall,)) is None:
        new_hall(service.db, hall)
    code = new_kiosk(service.db, name, hall).code
    return join(folder, service.url, code)
