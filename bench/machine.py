"""What machine a figure was measured on: every benchmark prints this with its figures, since
on a shared 2-core VM a number means little without the cores, CPU and load behind it."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    try:
        pygame_version = metadata.version("pygame-ce")
    except metadata.PackageNotFoundError:
        pygame_version = "not installed"
    try:
        mem_kb = next(int(line.split()[1]) for line in
                      Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()
                      if line.startswith("MemTotal:"))
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    return {"cores": os.cpu_count(), "cpu_model": cpu_model(),
            "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "implementation": platform.python_implementation(),
            "pygame_ce": pygame_version, "os": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
