"""What a heartbeat says, and which device changes are urgent events.

Everything here is built from what the kiosk already knows about itself — the devices' last
known state (kiosk.maintenance.status.DeviceReport), the catalog store and the update state,
today's usage counts — and filtered through protocol.fleet's closed field lists. Nothing of a
citizen is ever read here.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from typing import Any

from kiosk import __version__
from kiosk.config import Config
from kiosk.maintenance.status import DeviceReport
from protocol.fleet import device_trouble, heartbeat_body


def catalog_part(cfg: Config) -> dict[str, Any]:
    """The catalog in use and how its signature stands (version, verified at, expiry)."""
    from kiosk.catalog.store import CatalogStore
    from kiosk.errors import CatalogError
    from kiosk.sync.state import load_state

    out: dict[str, Any] = {}
    db = cfg.path(cfg.catalog.db)
    if db.exists():
        try:
            with CatalogStore(db) as store:
                info = store.current_info() or {}
            out = {"version": info.get("catalog_version", ""),
                   "published": info.get("published", ""), "items": info.get("items", 0)}
        except CatalogError as exc:
            out = {"version": "", "words": f"目录无法读取（{type(exc).__name__}）"}
    state = load_state(cfg.path(cfg.catalog.sync_dir))
    out.update(verified_at=state.verified_at, expires=state.expires,
               expired=state.expired(), last_outcome=state.last_outcome,
               last_reason=state.last_reason)
    if state.expired():
        out["words"] = "目录签名已过期，仍在使用最后一次核验的目录"
    elif state.last_words and not out.get("words"):
        out["words"] = state.last_words
    return out


def device_part(reports: list[DeviceReport]) -> list[dict[str, Any]]:
    return [{"device": r.device, "enabled": r.enabled, "state": r.state, "paper": r.paper,
             "words": r.words, "last_error": r.last_error} for r in reports]


def build(cfg: Config, reports: list[DeviceReport], *, uptime_s: float,
          today: Mapping[str, int], visit: str, interval_s: int) -> dict[str, Any]:
    try:
        free = shutil.disk_usage(cfg.path("var") if cfg.path("var").exists()
                                 else cfg.path(".")).free // (1024 * 1024)
    except OSError:
        free = -1
    return heartbeat_body({
        "kiosk_version": __version__, "uptime_s": round(uptime_s), "catalog": catalog_part(cfg),
        "devices": device_part(reports), "today": dict(today), "disk_free_mb": free,
        "visit": visit, "interval_s": interval_s})


def trouble(report: DeviceReport) -> str:
    """The urgent event a device's state amounts to, or "" when it is fine."""
    return device_trouble({"device": report.device, "enabled": report.enabled,
                           "state": report.state, "paper": report.paper})


def changes(before: Mapping[str, str], reports: list[DeviceReport]
            ) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """(the new trouble per device, events for what changed): an urgent event when a device
    falls into trouble, "recovered" when it comes out of it."""
    now = {r.device: trouble(r) for r in reports}
    events = []
    for r in reports:
        was, is_ = before.get(r.device, ""), now[r.device]
        if is_ and is_ != was:
            events.append({"event": is_, "device": r.device, "state": r.state,
                           "paper": r.paper, "words": r.last_error or r.words})
        elif was and not is_:
            events.append({"event": "recovered", "device": r.device, "state": r.state,
                           "paper": r.paper, "words": r.words})
    return now, events
