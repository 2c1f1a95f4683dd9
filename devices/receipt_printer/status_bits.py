"""Real-time status (DLE EOT n) bytes and what they mean, for the driver and the simulator.

Every reply has bits 1 and 4 set and bits 0 and 7 clear (pattern 0xx1xx10); a byte that does
not match is not a status reply (it is noise, or the printer is answering something else).
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.status import CoverState, CutterState, DeviceState, PaperState

FIXED, FIXED_MASK = 0x12, 0x93
N1_OFFLINE = 0x08
N2_COVER_OPEN, N2_FEED_BUTTON, N2_PAPER_STOP, N2_ERROR = 0x04, 0x08, 0x20, 0x40
N3_CUTTER, N3_UNRECOVERABLE, N3_AUTO_RECOVERABLE = 0x08, 0x20, 0x40
N4_NEAR_END, N4_END = 0x0C, 0x60


def request(n: int) -> bytes:
    return bytes([0x10, 0x04, n])


def is_status_byte(b: int) -> bool:
    return b & FIXED_MASK == FIXED


@dataclass(frozen=True)
class PrinterStatus:
    """One reading of the printer, component by component (XFS keeps them apart)."""

    reachable: bool
    offline: bool = False
    paper: PaperState = PaperState.UNKNOWN
    cover: CoverState = CoverState.UNKNOWN
    cutter: CutterState = CutterState.UNKNOWN
    unrecoverable: bool = False
    detail: str = ""

    @property
    def device(self) -> DeviceState:
        if not self.reachable:
            return DeviceState.OFFLINE
        if self.unrecoverable or self.cutter is CutterState.ERROR:
            return DeviceState.HW_ERROR
        if self.cover is CoverState.OPEN or self.paper is PaperState.OUT:
            return DeviceState.USER_ERROR
        return DeviceState.OFFLINE if self.offline else DeviceState.ONLINE

    @property
    def can_print(self) -> bool:
        return self.device is DeviceState.ONLINE and self.paper is not PaperState.OUT


def parse(replies: dict[int, int]) -> PrinterStatus:
    """Replies to DLE EOT 1-4 (n → byte) as a status. Raises ValueError naming a bad byte."""
    for n, b in replies.items():
        if not is_status_byte(b):
            raise ValueError(f"DLE EOT {n}: expected a status byte 0xx1xx10, got 0x{b:02X}")
    n2, n3, n4 = replies.get(2, FIXED), replies.get(3, FIXED), replies.get(4, FIXED)
    paper = PaperState.FULL
    if n4 & N4_END or n2 & N2_PAPER_STOP:
        paper = PaperState.OUT
    elif n4 & N4_NEAR_END:
        paper = PaperState.LOW
    return PrinterStatus(
        reachable=True,
        offline=bool(replies.get(1, FIXED) & N1_OFFLINE),
        paper=paper,
        cover=CoverState.OPEN if n2 & N2_COVER_OPEN else CoverState.CLOSED,
        cutter=CutterState.ERROR if n3 & N3_CUTTER else CutterState.OK,
        unrecoverable=bool(n3 & N3_UNRECOVERABLE),
        detail=" ".join(f"n{n}=0x{b:02X}" for n, b in sorted(replies.items())),
    )
