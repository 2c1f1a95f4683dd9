"""Where status and doctor get their facts: the device probes, the catalog and the queue.
This is the one module that knows every subsystem, so status.py and doctor.py stay small.

Integration state: device probes and the queue are wired as their subsystems land."""

from __future__ import annotations

from typing import Any

from kiosk.config import Config
from kiosk.maintenance.doctor import CheckFn
from kiosk.maintenance.status import Probe, StatusReport, collect


def device_probes(cfg: Config) -> dict[str, Probe]:
    return {}


def catalog_info(cfg: Config) -> dict[str, Any]:
    return {}


def tickets_today(cfg: Config) -> list[dict[str, Any]]:
    from kiosk.queue.report import tickets_today as queue_figures

    return queue_figures(cfg)


def collect_status(cfg: Config, use_snapshot: bool = True) -> StatusReport:
    return collect(cfg, device_probes(cfg), catalog_info, tickets_today, use_snapshot)


def doctor_checks() -> list[CheckFn]:
    return []
