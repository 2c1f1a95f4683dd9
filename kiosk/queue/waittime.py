"""How long a citizen will wait, said honestly: a range in round minutes, never "7.3 分钟".

The estimate is people ahead × minutes per ticket, where minutes per ticket comes from the
live hall (kiosk.queue.policy: today's handling times over the windows actually open for the
service, ServiceView.minutes_per_ticket). This module only words it.
"""

from __future__ import annotations

import math

LOW, HIGH = 0.85, 1.15
NO_WAIT = "无需等待"
SHORT = "约 5 分钟以内"


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
