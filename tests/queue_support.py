"""Helpers for the kiosk-side queue tests: a kiosk.toml + hall.toml on a temporary folder, a
settable clock, and a FAKE printer function. The printer is a callable contract (TicketSlip →
JobOutcome); the integration tests use the virtual printer, these unit tests this in-test
fake, named as one."""

from __future__ import annotations

import re
import threading
import time
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from devices.outcome import JobOutcome
from kiosk import bootstrap
from kiosk.config import Config, parse_config
from kiosk.queue.service import QueueService
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.receipts.ticket import TicketSlip

ALL_DAY = ["00:00-24:00"]


def hall_toml(services: list[dict[str, Any]], **queue: Any) -> str:
    """hall.toml text for `services` (in the old kiosk.toml shape: their "counters" become the
    windows that serve them, "5号窗口" → window 5)."""
    windows: dict[int, list[str]] = {}
    lines = ["[queue]"] + [f"{k} = {_toml(v)}" for k, v in queue.items()]
    for svc in services:
        counters = svc.get("counters") or ["9号窗口"]
        for name in counters:
            number = int(re.sub(r"\D", "", name) or 9)
            windows.setdefault(number, []).append(svc["prefix"])
        lines.append("[[services]]")
        lines += [f"{k} = {_toml(v)}" for k, v in svc.items() if k != "counters"]
    for number, letters in sorted(windows.items()):
        lines += ["[[windows]]", f"number = {number}", f"services = {_toml(letters)}"]
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)
    return text


def _toml(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    return repr(v)


def make_config(base: Path, services: list[dict[str, Any]] | None = None,
                **queue: Any) -> Config:
    """A kiosk that holds the queue itself, with its hall.toml beside its kiosk.toml
    (`queue` keys go to hall.toml's [queue], except the kiosk's own db and secret_file)."""
    services = services if services is not None else [
        {"name": "社保医保", "prefix": "A", "counters": ["1号窗口", "2号窗口"],
         "requires_id": True, "handling_minutes": 6.0, "hours": ALL_DAY,
         "where": "一楼东侧等候区"},
        {"name": "综合咨询", "prefix": "C", "counters": ["5号窗口"], "requires_id": False,
         "handling_minutes": 5.0, "hours": ALL_DAY, "daily_limit": 999},
    ]
    kiosk = {k: queue.pop(k) for k in ("db", "secret_file", "server") if k in queue}
    base.mkdir(parents=True, exist_ok=True)
    (base / "hall.toml").write_text(hall_toml(services, **queue), encoding="utf-8")
    return parse_config({"queue": kiosk}, base_dir=str(base))


class Clock:
    """A wall clock the test sets; QueueService reads it through `clock=`."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class FakePrinter:
    """FAKE printer (not a device): records slips; `fail` makes the next prints fail the way
    the real one reports paper out; `gate` holds a print until the test releases it."""

    def __init__(self) -> None:
        self.slips: list[TicketSlip] = []
        self.fail: JobOutcome | None = None
        self.gate: threading.Event | None = None
        self.started = threading.Event()
        self.delay_s = 0.0

    def __call__(self, slip: TicketSlip) -> JobOutcome:
        self.started.set()
        if self.gate is not None:
            self.gate.wait(10)
        if self.delay_s:
            time.sleep(self.delay_s)
        if self.fail is not None:
            return self.fail
        self.slips.append(slip)
        return JobOutcome(ok=True, bytes_sent=1000, job_id=slip.ticket_id)


PAPER_OUT = JobOutcome(ok=False, detail="REC_EMPTY", message="打印机缺纸。")


def make_store(cfg: Config, clock: Clock) -> SqliteQueueStore:
    return SqliteQueueStore(cfg.path(cfg.queue.db), bootstrap.hall_settings(cfg), clock)


def make_service(cfg: Config, clock: Clock, printer: FakePrinter | None = None,
                 repeat_guard_s: float = 0.0) -> QueueService:
    svc = QueueService(cfg, make_store(cfg, clock), printer or FakePrinter(),
                       repeat_guard_s=repeat_guard_s, clock=clock)
    svc.open()
    return svc
