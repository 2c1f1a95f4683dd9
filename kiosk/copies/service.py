"""One copy job from scan to paper, the same for the touchscreen and `kiosk copy`.

Everything personal stays in the scanner's private folder (0700) and is shredded when the
job is printed, cancelled or the visit ends (wipe); the PDF built from the scans lives there
too, only for as long as CUPS needs to read it (lp copies it into CUPS's spool).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from devices.document_printer.cups import CupsPrinter
from devices.outcome import JobOutcome
from devices.scanner.sane import SaneScanner, ScanArea
from kiosk.config import Config
from kiosk.copies.document import document_copy_pdf
from kiosk.copies.idcopy import idcard_copy_pdf
from kiosk.errors import KioskError

Side = Literal["front", "back"]


def area(values: list[float]) -> ScanArea:
    """[left, top, width, height] from kiosk.toml (validated there) as a ScanArea."""
    left, top, width, height = values
    return ScanArea(width, height, left, top)


class CopiesOutOfRange(KioskError):
    """A citizen (or the CLI) asked for more copies than kiosk.toml allows."""

    def __init__(self, copies: int, most: int) -> None:
        super().__init__(f"copies: {copies} is outside 1–{most} "
                         "(document_printer.max_copies)")
        self.citizen_message = f"每次可以打印1到{most}份，请重新选择份数。"


def check_copies(cfg: Config, copies: int) -> int:
    most = cfg.document_printer.max_copies
    if not 1 <= copies <= most:
        raise CopiesOutOfRange(copies, most)
    return copies




@dataclass
class CopyJob:
    """Scans of one ID card or one document, then printing. Call wipe() when done."""

    cfg: Config
    scanner: SaneScanner
    printer: CupsPrinter
    sides: dict[str, Path] = field(default_factory=dict)
    pages: list[Path] = field(default_factory=list)

    def scan_card(self, side: Side) -> Path:
        """Scan one side of the ID card (replacing an earlier scan of that side)."""
        old = self.sides.pop(side, None)
        if old is not None:
            self.scanner.discard(old)
        self.sides[side] = self.scanner.scan(area(self.cfg.scanner.card_area_mm), f"id-{side}")
        return self.sides[side]

    def scan_page(self) -> Path:
        """Scan the next page of a document."""
        path = self.scanner.scan(area(self.cfg.scanner.page_area_mm),
                                 f"page-{len(self.pages) + 1:03d}")
        self.pages.append(path)
        return path

    def idcard_pdf(self) -> bytes:
        if set(self.sides) != {"front", "back"}:
            missing = {"front", "back"} - set(self.sides)
            raise KioskError(f"ID card copy needs both sides scanned; missing: {missing}")
        return idcard_copy_pdf(self.sides["front"], self.sides["back"])

    def document_pdf(self) -> bytes:
        left, top = self.cfg.scanner.page_area_mm[:2]
        return document_copy_pdf(self.pages, self.cfg.scanner.resolution_dpi, left, top)

    def print_pdf(self, pdf: bytes, copies: int, title: str) -> JobOutcome:
        """Print `pdf` (`copies` times, within max_copies); the file is shredded after."""
        check_copies(self.cfg, copies)
        folder = self.scanner.folder
        if folder is None:
            raise KioskError("CopyJob: the scanner is closed; nothing to print from")
        path = folder / "copy.pdf"
        path.write_bytes(pdf)
        try:
            return self.printer.print_file(path, copies, title)
        finally:
            self.scanner.discard(path)

    def cancel(self) -> None:
        """The citizen pressed 取消 (from the UI thread): stop a running scan or print job;
        the worker then gets ScanCancelled or a JobOutcome saying 打印已取消。"""
        self.scanner.cancel()
        self.printer.cancel()

    def wipe(self) -> None:
        """Forget every scan (end of job or of the visit)."""
        self.scanner.wipe()
        self.sides.clear()
        self.pages.clear()
