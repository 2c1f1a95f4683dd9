"""Helpers for the queue tests: a config on a temporary folder, a settable clock, and a FAKE
printer function. The printer is a callable contract (TicketSlip → JobOutcome); until the
virtual printer is in main, unit tests use this in-test fake, named as one."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from devices.outcome import JobOutcome
from kiosk.config import Config, parse_config
from kiosk.queue.service import QueueService
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.receipts.ticket import TicketSlip

ALL_DAY = ["00:00-23:59"]


def make_config(base: Path, services: list[dict[str, Any]] | None = None,
                **queue: Any) -> Config:
    services = services if services is not None else [
        {"name": "社保医保", "prefix": "A", "counters": ["1号窗口", "2号窗口"],
         "requires_id": True, "handling_minutes": 6.0, "hours": ALL_DAY,
         "where": "一楼东侧等候区"},
        {"name": "综合咨询", "prefix": "C", "counters": ["5号窗口"], "requires_id": False,
         "handling_minutes": 5.0, "hours": ALL_DAY, "daily_limit": 999},
    ]
    data: dict[str, Any] = {"services": services, "queue": dict(queue)}
    return parse_config(data, base_dir=str(base))


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


def make_service(cfg: Config, clock: Clock, printer: FakePrinter | None = None,
                 repeat_guard_s: float = 0.0) -> QueueService:
    store = SqliteQueueStore(cfg.path(cfg.queue.db))
    svc = QueueService(cfg, store, printer or FakePrinter(), clock=clock,
                       repeat_guard_s=repeat_guard_s)
    svc.open()
    return svc
