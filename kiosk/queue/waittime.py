"""How long a citizen will wait, said honestly: a range in round minutes, never "7.3 分钟".

The estimate is people ahead × minutes per ticket, where minutes per ticket is the handling
time at one counter divided by the counters serving the service. The handling time is what
the counters recently took (median of the last few finished tickets today) once there are
enough of them, else the configured typical time: a morning with slow cases shows longer waits.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

MIN_SAMPLES = 3        # fewer finished tickets than this say too little: use the typical time
RECENT = 10            # how many recent tickets the observed time is taken from
LOW, HIGH = 0.85, 1.15
NO_WAIT = "无需等待"
SHORT = "约 5 分钟以内"


def handling_minutes(typical: float, observed: Sequence[float]) -> float:
    """The median of recent observations once there are enough, else the typical time.
    Observations are clamped so one forgotten "done" press cannot claim a 3-hour case."""
    usable = [min(max(m, 0.5), 240.0) for m in observed if m > 0]
    if len(usable) < MIN_SAMPLES:
        return typical
    return float(statistics.median(usable))


def minutes_per_ticket(handling: float, counters: int) -> float:
    return handling / max(1, counters)


def _floor(x: float) -> int:
    step = 5 if x < 60 else 10
    return math.floor(x / step) * step


def _ceil(x: float) -> int:
    step = 5 if x <= 60 else 10
    return math.ceil(x / step) * step


def wait_text(ahead: int, per_ticket: float) -> str:
    """One rule everywhere (services list, confirm, slip, reprint): '无需等待'; '约 5 分钟以内'
    (the only "以内"); else a range '约 10–15 分钟' in 5-minute steps up to an hour and 10-minute
    steps beyond; '2 小时以上'. More people ahead never reads as a shorter wait."""
    if ahead <= 0:
        return NO_WAIT
    est = ahead * per_ticket
    if est <= 5:
        return SHORT
    lo = max(5, _floor(est * LOW))
    hi = max(_ceil(est * HIGH), lo + 5)
    if lo >= 120:
        return "2 小时以上"
    return f"约 {lo}–{hi} 分钟"
