"""What the reader's worker thread puts on the event queue for the main loop to drain."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from devices.id_reader.record import IdCardRecord
from devices.status import DeviceState, StatusUpdate

DEVICE = "id_reader"


@dataclass(frozen=True)
class CardRead:
    """A card was presented and read. Its repr is masked (IdCardRecord's)."""

    record: IdCardRecord
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class CardRemoved:
    """The card that was read has left the reader."""

    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class CardReadFailed:
    """A card was found but could not be read; the UI asks to present it again.

    `reason` is for engineers (an SW3 name, a time-out); it never holds card data.
    """

    reason: str
    at: float = field(default_factory=time.monotonic)


def reader_status(state: DeviceState, detail: str, sam_id: str = "") -> StatusUpdate:
    """The reader's state changed (ONLINE, OFFLINE, NO_DEVICE, HW_ERROR for a failing SAM), as
    the StatusUpdate every device emits; the SAM id, when known, ends the detail."""
    return StatusUpdate(DEVICE, state, detail=f"{detail}; SAM {sam_id}" if sam_id else detail)


ReaderEvent = CardRead | CardRemoved | CardReadFailed | StatusUpdate
"""What the reader puts on its queue: card events, and StatusUpdate("id_reader", …)."""
