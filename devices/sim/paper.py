"""The virtual printer's paper: a decoded receipt drawn as the citizen would hold it."""

from __future__ import annotations

import hashlib

from PIL import Image, ImageDraw, ImageOps

from devices.receipt_printer import raster
from devices.sim.escpos_decode import (
    BarcodeMark,
    Element,
    Gap,
    Line,
    Picture,
    QRMark,
    Receipt,
)

MARGIN = 24   # white paper either side of the printable width


def _barcode_image(mark: BarcodeMark, dots: int) -> Image.Image:
    """Bars for the look of the slip, from a hash of the data: NOT a scannable CODE128
    (the decoded text records the data); the human-readable line below is exact."""
    widths = [1 + (byte >> shift & 3) for byte in hashlib.sha256(mark.data.encode()).digest()
              for shift in (0, 2, 4, 6)][: 20 + 11 * len(mark.data)]
    while widths and sum(w + 1 for w in widths) > dots - 16:
        widths.pop()
    height = max(8, min(mark.height, 200))
    img = Image.new("1", (dots, height + raster.LINE_PX), 0)
    draw = ImageDraw.Draw(img)
    x = max(0, (dots - sum(w + 1 for w in widths)) // 2)
    for w in widths:
        draw.rectangle((x, 0, x + w - 1, height - 1), fill=1)
        x += w + 1
    hri = raster.text_image([mark.data], dots, align="center")
    img.paste(hri, (0, height))
    return img


def _element_image(e: Element, dots: int) -> Image.Image:
    if isinstance(e, Line):
        align = {1: "center", 2: "right"}.get(e.align, "left")
        return raster.text_image([e.text], dots, width=e.width, height=e.height, bold=e.bold,
                                 align=align)
    if isinstance(e, Picture):
        return e.image.crop((0, 0, dots, e.image.height))
    if isinstance(e, QRMark):
        return raster.qr_image(e.data, e.size, dots)
    if isinstance(e, Gap):
        return Image.new("1", (dots, e.dots), 0)
    return _barcode_image(e, dots)


def receipt_png(receipt: Receipt, dots: int) -> Image.Image:
    """Ink on white, with a paper margin and a grey edge so the slip's width shows."""
    parts = [_element_image(e, dots) for e in receipt.elements]
    height = sum(p.height for p in parts) + 2 * MARGIN
    ink = Image.new("1", (dots + 2 * MARGIN, height), 0)
    y = MARGIN
    for part in parts:
        ink.paste(part, (MARGIN, y))
        y += part.height
    paper = ImageOps.invert(ink.convert("L"))
    ImageDraw.Draw(paper).rectangle((0, 0, paper.width - 1, paper.height - 1), outline=160)
    return paper
