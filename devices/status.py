"""Device and component states, named as CEN/XFS and UnifiedPOS name them, the
status-change event every device emits, and the progress of a job someone waits for.
Field engineers recognise these words.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, TypeVar


class DeviceState(StrEnum):
    """CEN/XFS fwDevice."""

    ONLINE = "ONLINE"
    OFFLINE = "OFFLINE"
    POWER_OFF = "POWER_OFF"
    NO_DEVICE = "NO_DEVICE"
    HW_ERROR = "HW_ERROR"
    USER_ERROR = "USER_ERROR"
    BUSY = "BUSY"


class PaperState(StrEnum):
    """XFS fwPaper / UnifiedPOS REC_* paper states."""

    FULL = "FULL"
    LOW = "LOW"
    OUT = "OUT"
    JAMMED = "JAMMED"
    UNKNOWN = "UNKNOWN"


class CoverState(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"
    UNKNOWN = "UNKNOWN"


class CutterState(StrEnum):
    OK = "OK"
    ERROR = "ERROR"
    UNKNOWN = "UNKNOWN"


def in_trouble(state: DeviceState | str, paper: PaperState | str = PaperState.UNKNOWN) -> bool:
    """The one answer to "is this device in trouble?" (status screens, the terminal's last
    error, the maintenance report): not ONLINE, or its paper is out or jammed. Paper running
    low is not trouble yet: it still prints; nor is BUSY (正在工作: it is printing or
    scanning) — staff were shown "正常（上次错误：正在工作）"."""
    return (DeviceState(state) not in (DeviceState.ONLINE, DeviceState.BUSY)
            or PaperState(paper) in (PaperState.OUT, PaperState.JAMMED))


@dataclass(frozen=True)
class StatusUpdate:
    """A device's state changed (UnifiedPOS StatusUpdateEvent).

    `device` names the device ("receipt_printer", "id_reader", "document_printer", "scanner");
    `event` is the UnifiedPOS name of what happened where one exists (REC_EMPTY,
    REC_NEAREMPTY, REC_PAPEROK, COVER_OPEN, COVER_OK, …); `detail` is for engineers.
    """

    device: str
    state: DeviceState
    event: str = ""
    paper: PaperState = PaperState.UNKNOWN
    detail: str = ""
    at: float = field(default_factory=time.time)

    @property
    def in_trouble(self) -> bool:
        return in_trouble(self.state, self.paper)


@dataclass(frozen=True)
class JobProgress:
    """A job a citizen is waiting for is taking longer than it should, and why — so the
    "please wait" card can say what is happening instead of only "请稍候".

    `step`: NO_REPLY (the printer took the connection but has not answered its status
    request; the job gives up after `limit_s`).
    """

    device: str
    step: str
    waited_s: float = 0.0
    limit_s: float = 0.0
    at: float = field(default_factory=time.time)


DeviceEvent = StatusUpdate | JobProgress
"""What a device driver puts on the events queue it is given."""

E_contra = TypeVar("E_contra", contravariant=True)


class EventSink(Protocol[E_contra]):
    """Where a driver puts its events: a queue.Queue of these events or of more kinds (the
    terminal has one queue for every device). Drivers only ever `put`."""

    def put(self, item: E_contra, /) -> None: ...
