"""Scans → A4 PDF pages at true size, with reportlab. No text on the page: a copy shows only
what was scanned (and needs no font, so it is made in milliseconds)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

PAGE_W, PAGE_H = A4


@dataclass(frozen=True)
class Placement:
    """An image on the page, in millimetres from the page's top-left corner."""

    image: Path
    left_mm: float
    top_mm: float
    width_mm: float
    height_mm: float


def _draw(c: Canvas, p: Placement) -> None:
    with Image.open(p.image) as img:
        img.load()
        rgb = img.convert("RGB") if img.mode not in ("RGB", "L") else img.copy()
    # PDF y runs upwards from the bottom edge
    y = PAGE_H - (p.top_mm + p.height_mm) * mm
    c.drawImage(ImageReader(rgb), p.left_mm * mm, y, p.width_mm * mm, p.height_mm * mm)


def pdf_pages(pages: list[list[Placement]], title: str) -> bytes:
    """One A4 page per list of placements, as PDF bytes (kept in memory: these are scans of
    personal documents and are written only where the caller decides)."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, invariant=True, pageCompression=1)
    c.setTitle(title)
    c.setCreator("township-kiosk kiosk.copies")
    for placements in pages:
        for p in placements:
            _draw(c, p)
        c.showPage()
    c.save()
    return out.getvalue()
