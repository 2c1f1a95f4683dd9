"""What the reader's worker thread puts on the event queue for the main loop to drain."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from devices.id_reader.record import IdCardRecord
from devices.status import DeviceState, StatusUpdate


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


@dataclass(frozen=True)
class ReaderStatusChanged:
    """The reader's state changed: ONLINE, OFFLINE, NO_DEVICE or HW_ERROR (failing SAM)."""

    state: DeviceState
    detail: str
    sam_id: str
    at: float = field(default_factory=time.monotonic)

    def as_status_update(self) -> StatusUpdate:
        """The same change as the StatusUpdate every device emits (for status screens)."""
        return StatusUpdate("id_reader", self.state, detail=f"{self.detail}; SAM {self.sam_id}"
                            if self.sam_id else self.detail)


ReaderEvent = CardRead | CardRemoved | CardReadFailed | ReaderStatusChanged
