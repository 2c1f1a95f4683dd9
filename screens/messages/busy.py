"""The "please wait" card (screens/busy.py) while a device is slower than it should be."""

from __future__ import annotations

from devices.status import JobProgress

PRINTER_NO_REPLY = "打印机没有应答，正在等待，最多约{limit}秒…"


def progress_text(update: JobProgress) -> str | None:
    """What to say about `update`, or None to keep the card's words."""
    if update.step == "NO_REPLY":
        return PRINTER_NO_REPLY.format(limit=max(1, round(update.limit_s)))
    return None
