"""Today's queue in figures, for maintenance mode and `kiosk status` (read-only: it does not
run recovery or create a store that is not there yet). Its doctor check is
kiosk.maintenance.sources.check_queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.config import Config
from kiosk.queue.model import TicketState, queue_day
from kiosk.queue.sqlite_store import SqliteQueueStore


def tickets_today(cfg: Config, now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per configured service: prefix, name, issued (not void), waiting, void, last."""
    path = cfg.path(cfg.queue.db)
    if not path.exists():
        return []
    day = queue_day(now or datetime.now(), cfg.queue.reset_hour)
    store = SqliteQueueStore(path)
    store.open()
    try:
        tickets = store.tickets(day)
    finally:
        store.close()
    rows = []
    for svc in cfg.services:
        mine = [t for t in tickets if t.service_prefix == svc.prefix]
        rows.append({
            "prefix": svc.prefix, "name": svc.name,
            "issued": sum(t.state is not TicketState.VOID for t in mine),
            "waiting": sum(t.waiting for t in mine),
            "void": sum(t.state is TicketState.VOID for t in mine),
            "last_number": mine[-1].number if mine else "",
        })
    return rows
