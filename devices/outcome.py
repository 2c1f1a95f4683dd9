"""The outcome of a print job, for any printer. Callers act on it: the queue counts a ticket
only when `ok` is true, and shows `citizen_message` otherwise."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobOutcome:
    ok: bool
    cause: str = ""             # engineer-facing, e.g. "REC_EMPTY", "COVER_OPEN",
                                # "OFFLINE: connection refused (tcp://127.0.0.1:9100)"
    citizen_message: str = ""   # plain Chinese, e.g. "打印机缺纸，请联系工作人员。"
    bytes_sent: int = 0
    job_id: str = ""            # e.g. the CUPS job id, or the receipt's sequence number
