"""How long a citizen will wait, said honestly: a range in round minutes, never "7.3 分钟".

The estimate is people ahead × minutes per ticket, where minutes per ticket comes from the
live hall (kiosk.queue.policy: today's handling times over the windows actually open for the
service, ServiceView.minutes_per_ticket). This module only words it.
"""

from __future__ import annotations

import math

LOW, HIGH = 0.85, 1.15
NO_WAIT = "无需等待"


def wait_text(ahead: int, per_ticket: float) -> str:
    """'无需等待', '约 5 分钟以内', '约 10–15 分钟', '约 80–110 分钟', '2 小时以上'."""
    if ahead <= 0:
        return NO_WAIT
    est = ahead * per_ticket
    step = 5 if est * HIGH <= 60 else 10
    lo = math.floor(est * LOW / step) * step
    hi = max(math.ceil(est * HIGH / step) * step, lo + step)
    if lo >= 120:
        return "2 小时以上"
    if lo == 0:
        return f"约 {hi} 分钟以内"
    return f"约 {lo}–{hi} 分钟"
