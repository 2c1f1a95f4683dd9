"""The device-neutral receipt document: what a slip says, as a list of blocks.

Layouts in kiosk/receipts build these; devices/receipt_printer/escpos_render.py turns them into
bytes for one printer profile. Nothing here knows ESC/POS, so a layout can be tested (and later
sent to another kind of printer) without a device.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

QR_MAX_BYTES = 2331   # byte-mode capacity of a version 40 QR code at error correction M


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Text:
    """A paragraph. Wrapped by display width at render time, because only the profile knows
    the paper width. `width`/`height` are the printer's character magnification (1-3);
    `indent` columns start every wrapped line after the first (numbered steps)."""

    text: str
    width: int = 1
    height: int = 1
    bold: bool = False
    align: Align = Align.LEFT
    indent: int = 0

    def __post_init__(self) -> None:
        for name in ("width", "height"):
            value = getattr(self, name)
            if not 1 <= value <= 3:
                raise ValueError(f"Text.{name}: expected 1-3, got {value}")


@dataclass(frozen=True)
class Rule:
    """A horizontal line across the paper."""

    char: str = "-"


@dataclass(frozen=True)
class CheckList:
    """Tick boxes the citizen marks off at home: (what, detail) pairs, e.g.
    ("居民身份证", "原件1份，复印件1份")."""

    items: tuple[tuple[str, str], ...]
    box: str = "□"   # GB2312 A1F5: every Chinese printer font has it (☐ U+2610 is GB18030-only)


@dataclass(frozen=True)
class QR:
    """A QR code; `size` is the module size in dots (1-16)."""

    data: str
    size: int = 6

    def __post_init__(self) -> None:
        if not 1 <= self.size <= 16:
            raise ValueError(f"QR.size: expected 1-16, got {self.size}")
        if not self.data:
            raise ValueError("QR.data: expected some text, got an empty string")
        if len(self.data.encode("utf-8")) > QR_MAX_BYTES:
            raise ValueError(f"QR.data: expected at most {QR_MAX_BYTES} bytes (version 40, "
                             f"level M), got {len(self.data.encode('utf-8'))}")


@dataclass(frozen=True)
class Barcode:
    """A CODE128 barcode of printable ASCII, human-readable text below."""

    data: str
    height: int = 80

    def __post_init__(self) -> None:
        if not self.data or not all(32 <= ord(c) < 127 for c in self.data):
            raise ValueError(f"Barcode.data: expected printable ASCII, got {self.data!r}")
        if not 1 <= self.height <= 255:
            raise ValueError(f"Barcode.height: expected 1-255, got {self.height}")


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.lines <= 255:
            raise ValueError(f"Feed.lines: expected 0-255, got {self.lines}")


@dataclass(frozen=True)
class Cut:
    """End of the slip: the renderer feeds past the cutter, then cuts as the profile says."""


Block = Text | Rule | CheckList | QR | Barcode | Feed | Cut


@dataclass(frozen=True)
class ReceiptDocument:
    blocks: list[Block] = field(default_factory=list)

    def plain_text(self, cols: int) -> list[str]:
        """The lines a reader of the slip would see (QR/barcodes as their data in brackets):
        what tests compare with the virtual printer's decoded text."""
        from devices.receipt_printer.wrap import block_lines

        out: list[str] = []
        for block in self.blocks:
            out.extend(block_lines(block, cols))
        return out
