"""Document copies: each scanned page on its own A4 page at true size (a copy, not a fit-to-
page reduction: seals and signatures keep their size), from the top-left corner as it lay on
the glass; a scan larger than A4 is scaled down to fit, keeping its proportions."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from kiosk.copies.pages import Placement, pdf_pages

A4_MM = (210.0, 297.0)
MM_PER_INCH = 25.4


def true_size_mm(scan: Path, dpi: float) -> tuple[float, float]:
    """The scanned area's size on paper, from its pixels and the resolution it was scanned at."""
    with Image.open(scan) as img:
        w, h = img.size
    return w / dpi * MM_PER_INCH, h / dpi * MM_PER_INCH


def page_placement(scan: Path, dpi: float, left_mm: float = 0.0,
                   top_mm: float = 0.0) -> Placement:
    w, h = true_size_mm(scan, dpi)
    room_w, room_h = A4_MM[0] - left_mm, A4_MM[1] - top_mm
    scale = min(1.0, room_w / w, room_h / h)
    return Placement(scan, left_mm, top_mm, w * scale, h * scale)


def document_copy_pdf(scans: list[Path], dpi: float, left_mm: float = 0.0,
                      top_mm: float = 0.0) -> bytes:
    """One A4 page per scan, each at true size where it was on the glass."""
    if not scans:
        raise ValueError("a document copy needs at least one scanned page")
    return pdf_pages([[page_placement(s, dpi, left_mm, top_mm)] for s in scans], "文件复印件")
