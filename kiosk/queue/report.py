"""Today's queue in figures, for maintenance mode and `kiosk status` (read-only: it does not
run recovery or create a store that is not there yet)."""

from __future__ import annotations

import os
import stat
from datetime import datetime
from typing import Any

from kiosk.config import Config
from kiosk.errors import QueueError
from kiosk.maintenance.doctor import Check
from kiosk.queue.model import TicketState, queue_day
from kiosk.queue.sqlite_store import SqliteQueueStore


def tickets_today(cfg: Config, now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per configured service: prefix, name, issued (not void), waiting, void, last."""
    path = cfg.path(cfg.queue.db)
    if not path.exists():
        return []
    day = queue_day(now or datetime.now(), cfg.queue.reset_hour)
    store = SqliteQueueStore(path)
    store.open(readonly=True)
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


def check_queue(cfg: Config) -> Check:
    """排队取号数据: the store opens (or its folder can hold it) and the ID-hash secret is
    readable by this user only."""
    name = "排队取号数据"
    path = cfg.path(cfg.queue.db)
    secret = cfg.path(cfg.queue.secret_file)
    if secret.exists() and stat.S_IMODE(secret.stat().st_mode) & 0o077:
        return Check(name, False, f"{secret}（queue.secret_file）其他用户也能读取",
                     f"chmod 600 {secret}")
    if not path.exists():
        folder = next((p for p in path.parents if p.exists()), path.parent)
        if os.access(folder, os.W_OK):
            return Check(name, True, f"尚未取过号；首次取号时创建 {path}")
        return Check(name, False, f"无法在 {folder} 创建 {path.name}（queue.db）",
                     f"让运行自助终端的用户可以写入 {folder}")
    store = SqliteQueueStore(path)
    try:
        store.open(readonly=True)
        count = len(store.tickets(queue_day(datetime.now(), cfg.queue.reset_hour)))
    except QueueError as exc:
        return Check(name, False, str(exc), f"检查 {path}（queue.db）的权限和磁盘空间")
    finally:
        store.close()
    return Check(name, True, f"{path}：今日 {count} 张号票")
