"""Layout → A4 PDF with reportlab, Chinese in an embedded Noto Sans CJK SC subset.

Why a drawing cursor rather than reportlab's platypus: official forms are grids of bordered
cells whose widths follow the 4-column grid, and a cursor with explicit rectangles gives exactly
that; a block that does not fit continues on a new page. Sample forms (示例样表) carry a
watermark and their entries in blue "ink", so no one hands in the sample as their own.
The PDF's subject records the layout's SHA-256, so a stale PDF is detectable.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kiosk.forms import fonts
from kiosk.forms.layout import (
    GRID_COLUMNS,
    Block,
    Checkboxes,
    Fields,
    Heading,
    Layout,
    Note,
    Opinion,
    Paragraph,
    Signature,
    Table,
    TextArea,
)
from kiosk.forms.text import balanced_wrap, wrap

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
BODY_PT = 10.5
LINE = 1.0  # border width in points
BLUE_INK = (0.05, 0.22, 0.62)
LABEL_FILL = 0.93
WATERMARK = "示例样表 仅供参考"
HASH_PREFIX = "layout-sha256:"
# Bump when a change here alters how existing layouts look on paper: the shipped PDFs then
# count as stale (tests/unit/test_forms_assets.py) until scripts/build-forms.py --all is run.
RENDERER = "kiosk-forms-3"


def layout_hash(data: Any) -> str:
    """The digest of a layout's JSON (canonical form) and of the renderer's version, as
    recorded in the PDF's subject."""
    canon = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{RENDERER}\n{canon}".encode()).hexdigest()


@dataclass
class _Pen:
    """The canvas plus where the next block goes."""

    c: Canvas
    layout: Layout
    regular: str
    bold: str
    total_pages: int
    page: int = 1
    y: float = PAGE_H - MARGIN_TOP
    headings_on_page: int = 0
    ink: tuple[float, float, float] = field(default=(0.0, 0.0, 0.0))
    density: float = 1.0
    overflowed: bool = False

    def v(self, length: float) -> float:
        """A vertical gap or box height at this pen's density (1.0, or less to fit a page)."""
        return length * self.density

    def width(self, text: str, size: float = BODY_PT, bold: bool = False) -> float:
        return float(stringWidth(text, self.bold if bold else self.regular, size))

    def measure(self, size: float = BODY_PT, bold: bool = False) -> Callable[[str], float]:
        return lambda s: self.width(s, size, bold)

    def text(self, x: float, y: float, s: str, size: float = BODY_PT, *, bold: bool = False,
             ink: bool = False, align: str = "left") -> None:
        self.c.setFont(self.bold if bold else self.regular, size)
        self.c.setFillColorRGB(*(self.ink if ink else (0.0, 0.0, 0.0)))
        draw = {"left": self.c.drawString, "center": self.c.drawCentredString,
                "right": self.c.drawRightString}[align]
        draw(x, y, s)
        self.c.setFillColorRGB(0, 0, 0)

    def ensure(self, height: float) -> None:
        """Start a new page when `height` does not fit (a block is never split)."""
        if self.y - height < MARGIN_BOTTOM and self.y < PAGE_H - MARGIN_TOP:
            self.overflowed = True
            self.new_page()

    def new_page(self) -> None:
        self.finish_page()
        self.page += 1
        self.y = PAGE_H - MARGIN_TOP
        self.headings_on_page = 0
        self.start_page()

    def start_page(self) -> None:
        self.c.setLineWidth(LINE)

    def finish_page(self) -> None:
        if self.layout.kind == "sample":
            _watermark(self)  # last, translucent: over table fills, yet text shows through
        footer = f"{self.layout.title}　第 {self.page} 页 共 {self.total_pages} 页"
        self.text(PAGE_W / 2, 10 * mm, footer, 8.5, align="center")
        self.text(PAGE_W - MARGIN_X, 10 * mm, self.layout.id, 7, align="right")
        self.c.showPage()


def _watermark(pen: _Pen) -> None:
    c = pen.c
    c.saveState()
    c.setFillColorRGB(0.85, 0.2, 0.2)
    c.setFillAlpha(0.16)
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(35)
    c.setFont(pen.bold, 54)
    c.drawCentredString(0, 0, WATERMARK)
    c.restoreState()
    c.saveState()
    c.setStrokeColorRGB(0.8, 0.1, 0.1)
    c.setFillColorRGB(0.8, 0.1, 0.1)
    c.setLineWidth(1.5)
    c.rect(PAGE_W - MARGIN_X - 22 * mm, PAGE_H - 14 * mm, 22 * mm, 9 * mm)
    c.setFont(pen.bold, 13)
    c.drawCentredString(PAGE_W - MARGIN_X - 11 * mm, PAGE_H - 11.5 * mm, "示例样表")
    c.restoreState()


def _lines_height(n: int, leading: float) -> float:
    return n * leading


def _heading(pen: _Pen, b: Heading) -> None:
    first = pen.headings_on_page == 0
    pen.headings_on_page += 1
    size = 18.0 if first else 12.5
    lines = wrap(b.text, CONTENT_W, pen.measure(size, bold=True))
    leading = size * 1.45
    pen.ensure(_lines_height(len(lines), leading) + 4 * mm)
    pen.y -= pen.v(2 * mm) if first else 3 * mm
    for line in lines:
        pen.y -= leading
        if first:
            pen.text(PAGE_W / 2, pen.y + size * 0.3, line, size, bold=True, align="center")
        else:
            pen.text(MARGIN_X, pen.y + size * 0.3, line, size, bold=True)
    pen.y -= pen.v(3 * mm) if first else 1.5 * mm


def _prose(pen: _Pen, text: str, size: float, indent: bool, ink_gray: float = 0.0) -> None:
    leading = size * 1.6
    body = ("　　" + text) if indent else text
    lines = wrap(body, CONTENT_W, pen.measure(size))
    pen.ensure(min(len(lines), 3) * leading)
    pen.y -= pen.v(1 * mm)
    for line in lines:
        pen.ensure(leading)
        pen.y -= leading
        pen.c.setFillGray(ink_gray)
        pen.c.setFont(pen.regular, size)
        pen.c.drawString(MARGIN_X, pen.y + size * 0.35, line)
    pen.c.setFillGray(0)
    pen.y -= pen.v(1.5 * mm)


def _paragraph(pen: _Pen, b: Paragraph) -> None:
    _prose(pen, b.text, BODY_PT, indent=True)


def _note(pen: _Pen, b: Note) -> None:
    pen.y -= pen.v(1 * mm)
    _prose(pen, b.text, 9.0, indent=False, ink_gray=0.2)


def _cell_text(pen: _Pen, x: float, top: float, w: float, h: float, lines: list[str],
               *, ink: bool = False, bold: bool = False, center: bool = False) -> None:
    """Lines vertically centred in a cell whose top edge is `top`."""
    leading = BODY_PT * 1.35
    y = top - (h - len(lines) * leading) / 2 - leading + BODY_PT * 0.3
    for line in lines:
        if center:
            pen.text(x + w / 2, y, line, BODY_PT, bold=bold, ink=ink, align="center")
        else:
            pen.text(x + 1.6 * mm, y, line, BODY_PT, bold=bold, ink=ink)
        y -= leading


def _field_row(pen: _Pen, row: tuple[Any, ...]) -> None:
    unit = CONTENT_W / GRID_COLUMNS
    spans = [f.span for f in row]
    spans[-1] += GRID_COLUMNS - sum(spans)  # a short row: its last field takes the rest
    cells = []
    x = MARGIN_X
    for f, span in zip(row, spans, strict=True):
        cw = span * unit
        lw = min(max(pen.width(f.label) + 4 * mm, 16 * mm), cw * 0.6)
        label = balanced_wrap(f.label, lw - 3 * mm, pen.measure())
        value = wrap(f.value, cw - lw - 3 * mm, pen.measure()) if f.value else []
        cells.append((x, cw, lw, label, value))
        x += cw
    most = max(max(len(c[3]), len(c[4])) for c in cells)
    h = max(pen.v(10 * mm), most * BODY_PT * 1.35 + 3 * mm)
    pen.ensure(h)
    top = pen.y
    for x, cw, lw, label, value in cells:
        pen.c.setFillGray(LABEL_FILL)
        pen.c.rect(x, top - h, lw, h, stroke=1, fill=1)
        pen.c.setFillGray(0)
        pen.c.rect(x + lw, top - h, cw - lw, h, stroke=1, fill=0)
        _cell_text(pen, x, top, lw, h, label, center=True)
        _cell_text(pen, x + lw, top, cw - lw, h, value, ink=True)
    pen.y -= h


def _fields(pen: _Pen, b: Fields) -> None:
    pen.y -= pen.v(1 * mm)
    for row in b.rows:
        _field_row(pen, row)
    pen.y -= pen.v(2 * mm)


def _column_widths(pen: _Pen, b: Table) -> list[float]:
    weights = []
    for i, col in enumerate(b.columns):
        cells = [col] + [r[i] for r in b.values if i < len(r)]
        weights.append(max(pen.width(c) for c in cells) + 6 * mm)
    scale = CONTENT_W / sum(weights)
    return [w * scale for w in weights]


def _table_row(pen: _Pen, widths: list[float], cells: tuple[str, ...], header: bool) -> None:
    wrapped = [wrap(c, w - 3 * mm, pen.measure()) for c, w in zip(cells, widths, strict=False)]
    h = max(pen.v(9 * mm),
            max((len(w) for w in wrapped), default=1) * BODY_PT * 1.35 + 3 * mm)
    pen.ensure(h)
    x = MARGIN_X
    for i, w in enumerate(widths):
        pen.c.setFillGray(LABEL_FILL if header else 1)
        pen.c.rect(x, pen.y - h, w, h, stroke=1, fill=1)
        pen.c.setFillGray(0)
        if i < len(wrapped):
            _cell_text(pen, x, pen.y, w, h, wrapped[i], ink=not header, center=True)
        x += w
    pen.y -= h


def _table(pen: _Pen, b: Table) -> None:
    widths = _column_widths(pen, b)
    pen.ensure(9 * mm * min(b.rows + 1, 4))
    pen.y -= pen.v(1 * mm)
    _table_row(pen, widths, b.columns, header=True)
    for r in range(b.rows):
        _table_row(pen, widths, b.values[r] if r < len(b.values) else (), header=False)
    pen.y -= pen.v(2 * mm)


def _checkbox(pen: _Pen, x: float, y: float, checked: bool) -> None:
    s = 3.6 * mm
    pen.c.setLineWidth(0.8)
    pen.c.rect(x, y - 0.6 * mm, s, s)
    if checked:
        pen.c.setStrokeColorRGB(*pen.ink)
        pen.c.setLineWidth(1.6)
        path = pen.c.beginPath()
        path.moveTo(x + 0.6 * mm, y + 1.2 * mm)
        path.lineTo(x + 1.6 * mm, y - 0.1 * mm)
        path.lineTo(x + 3.4 * mm, y + 3.0 * mm)
        pen.c.drawPath(path)
        pen.c.setStrokeColorRGB(0, 0, 0)
    pen.c.setLineWidth(LINE)


def _checkboxes(pen: _Pen, b: Checkboxes) -> None:
    leading = pen.v(8 * mm)
    label = f"{b.label}：" if b.label else ""
    start = MARGIN_X + (pen.width(label, bold=True) if label else 0) + 2 * mm
    items = [(o, 5.5 * mm + pen.width(o) + 5 * mm) for o in b.options]
    pen.ensure(leading)
    pen.y -= leading
    if label:
        pen.text(MARGIN_X, pen.y + 2 * mm, label, bold=True)
    x = start
    for option, w in items:
        if x + w > MARGIN_X + CONTENT_W and x > start:
            pen.ensure(leading)
            pen.y -= leading
            x = start
        _checkbox(pen, x, pen.y + 1.6 * mm, option in b.checked)
        pen.text(x + 5.5 * mm, pen.y + 2 * mm, option)
        x += w
    pen.y -= pen.v(2 * mm)


def _textarea(pen: _Pen, b: TextArea) -> None:
    rule = pen.v(8 * mm)
    head = 8 * mm
    h = head + b.lines * rule + 2 * mm
    pen.ensure(h)
    pen.y -= pen.v(1 * mm)
    top = pen.y
    pen.c.rect(MARGIN_X, top - h, CONTENT_W, h)
    pen.text(MARGIN_X + 2 * mm, top - 5.5 * mm, b.label, bold=True)
    pen.c.setStrokeGray(0.7)
    pen.c.setLineWidth(0.5)
    for i in range(1, b.lines + 1):
        y = top - head - i * rule
        pen.c.line(MARGIN_X + 4 * mm, y, MARGIN_X + CONTENT_W - 4 * mm, y)
    pen.c.setStrokeGray(0)
    pen.c.setLineWidth(LINE)
    text = wrap(b.value, CONTENT_W - 10 * mm, pen.measure())[: b.lines] if b.value else []
    for i, line in enumerate(text):
        pen.text(MARGIN_X + 5 * mm, top - head - (i + 1) * rule + 1.5 * mm, line, ink=True)
    pen.y -= h + 2 * mm


def _opinion(pen: _Pen, b: Opinion) -> None:
    h = pen.v(34 * mm)
    pen.ensure(h)
    pen.y -= pen.v(1 * mm)
    top = pen.y
    pen.c.rect(MARGIN_X, top - h, CONTENT_W, h)
    pen.text(MARGIN_X + 2 * mm, top - 6 * mm, b.label, bold=True)
    right = MARGIN_X + CONTENT_W - 6 * mm
    pen.text(right, top - h + 5 * mm, "年　　　月　　　日", align="right")
    parts = []
    if b.signer:
        parts.append(f"{b.signer}（签字）：　　　　　　")
    if b.seal:
        parts.append("（盖章）")
    if parts:
        pen.text(right, top - h + 13 * mm, "　　".join(parts), align="right")
    pen.y -= h + 2 * mm


SIGN_LINE = 30 * mm
DATE_TEXT = "　　　年　　月　　日"


def _signature_rows(pen: _Pen, labels: tuple[str, ...]) -> list[list[tuple[str, float]]]:
    """Labels with the room each needs (label + a line to sign on, or a date), packed into
    rows that fit the page width."""
    rows: list[list[tuple[str, float]]] = [[]]
    used = 0.0
    for label in labels:
        tail = pen.width(DATE_TEXT) if "日期" in label else SIGN_LINE
        need = pen.width(f"{label}：") + tail + 6 * mm
        if rows[-1] and used + need > CONTENT_W:
            rows.append([])
            used = 0.0
        rows[-1].append((label, need))
        used += need
    return rows


def _signature(pen: _Pen, b: Signature) -> None:
    for row in _signature_rows(pen, b.labels):
        h = pen.v(14 * mm)
        pen.ensure(h)
        pen.y -= h
        spare = (CONTENT_W - sum(need for _, need in row)) / len(row)
        x = MARGIN_X
        for label, need in row:
            slot = need + spare
            text = f"{label}："
            pen.text(x, pen.y + 3 * mm, text)
            lx = x + pen.width(text)
            if "日期" in label:
                pen.text(lx, pen.y + 3 * mm, DATE_TEXT)
            else:
                pen.c.setLineWidth(0.6)
                pen.c.line(lx, pen.y + 2 * mm, x + slot - 6 * mm, pen.y + 2 * mm)
                pen.c.setLineWidth(LINE)
            x += slot
    pen.y -= pen.v(2 * mm)


_DRAW: dict[type, Callable[[_Pen, Any], None]] = {
    Heading: _heading, Paragraph: _paragraph, Fields: _fields, Table: _table,
    Checkboxes: _checkboxes, TextArea: _textarea, Opinion: _opinion, Signature: _signature,
    Note: _note,
}


def _draw(pen: _Pen, block: Block) -> None:
    _DRAW[type(block)](pen, block)


def _render(layout: Layout, out: BinaryIO, digest: str, total: int,
            density: float) -> tuple[int, bool]:
    """Draw the form; returns (pages drawn, whether some block spilled onto an extra page)."""
    text = layout.text() + WATERMARK + layout.title + DATE_TEXT
    regular = fonts.register(fonts.FontFace(fonts.REGULAR), text)
    bold = fonts.register(fonts.FontFace(fonts.BOLD), text, prefix="KioskCJKBold")
    c = Canvas(out, pagesize=A4, invariant=True, pageCompression=1)
    c.setTitle(layout.title)
    c.setSubject(HASH_PREFIX + digest)
    c.setCreator("township-kiosk kiosk.forms.pdfgen")
    c.setAuthor(layout.id)
    pen = _Pen(c, layout, regular, bold, total, density=density,
               ink=BLUE_INK if layout.kind == "sample" else (0.0, 0.0, 0.0))
    pen.start_page()
    for i, page in enumerate(layout.pages):
        if i:
            pen.new_page()
        for block in page.blocks:
            _draw(pen, block)
    pen.finish_page()
    c.save()
    return pen.page, pen.overflowed


# A page that almost fits is drawn a little tighter rather than spilling two lines onto an
# extra sheet a citizen must staple: gaps and box heights shrink, text never does.
DENSITIES = (1.0, 0.88, 0.76)


def render_pdf(layout: Layout, digest: str = "") -> bytes:
    """The form as PDF bytes. Trial passes choose the density and count pages ('共 N 页')."""
    for density in DENSITIES:
        pages, overflowed = _render(layout, io.BytesIO(), digest, 0, density)
        if not overflowed:
            break
    out = io.BytesIO()
    _render(layout, out, digest, pages, density)
    return out.getvalue()


def build_form(src: Path, dest_dir: Path) -> Path:
    """Validate `src` (a layout JSON) and write dest_dir/<id>.pdf; returns the PDF's path."""
    from kiosk.forms.layout import load_layout

    layout = load_layout(src)
    digest = layout_hash(json.loads(src.read_text(encoding="utf-8")))
    dest = dest_dir / f"{layout.id}.pdf"
    tmp = dest.with_suffix(".pdf.tmp")
    tmp.write_bytes(render_pdf(layout, digest))
    tmp.replace(dest)  # never leave a half-written form where the kiosk would print it
    return dest


def recorded_hash(pdf: Path) -> str:
    """The layout digest a generated PDF records ('' when it has none or cannot be read)."""
    from pypdfium2 import PdfDocument

    try:
        doc = PdfDocument(str(pdf))
    except Exception:  # pdfium raises its own PdfiumError for unreadable files
        return ""
    try:
        subject = str(doc.get_metadata_dict().get("Subject", ""))
    finally:
        doc.close()
    return subject[len(HASH_PREFIX):] if subject.startswith(HASH_PREFIX) else ""


def is_up_to_date(src: Path, pdf: Path) -> bool:
    """Whether `pdf` was generated from the current content of layout `src`."""
    if not pdf.is_file():
        return False
    try:
        data = json.loads(src.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded_hash(pdf) == layout_hash(data)
