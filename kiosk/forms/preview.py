"""PDF pages → images for the on-screen preview, with pypdfium2 (Apache-2.0/BSD; PyMuPDF
would have made the kiosk AGPL). Returns PIL images, or raw RGB bytes with their size: the UI
turns those into surfaces (kiosk/ never imports pygame).

Open/close is explicit (PdfPreview.open()), since rendering holds the file; page_count and
render() run in the caller's worker thread: a page takes tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from PIL import Image

from kiosk import messages
from kiosk.errors import KioskError

POINTS_PER_INCH = 72.0


class PreviewError(KioskError):
    """A PDF cannot be previewed (names the file and page)."""

    citizen_message = messages.FORM_NO_PREVIEW


@dataclass(frozen=True)
class RgbPage:
    """One rendered page as tightly packed RGB bytes (width * height * 3)."""

    width: int
    height: int
    rgb: bytes


class PdfPreview:
    """One PDF opened for previewing."""

    def __init__(self, source: Path | bytes, name: str = "") -> None:
        """`source`: a PDF file, or PDF bytes (a copy built from scans, never written to disk
        for the preview); `name` names bytes in error messages."""
        self._source = source
        self.path = Path(source) if isinstance(source, (str, Path)) else Path(name or "<pdf>")
        self._doc: Any = None

    def open(self) -> PdfPreview:
        import pypdfium2

        source = self._source if isinstance(self._source, bytes) else str(self.path)
        try:
            self._doc = pypdfium2.PdfDocument(source)
        except (pypdfium2.PdfiumError, OSError) as exc:
            raise PreviewError(f"{self.path}: cannot open PDF: {exc}") from exc
        return self

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None

    def __enter__(self) -> PdfPreview:
        return self.open()

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _require(self) -> Any:
        if self._doc is None:
            raise PreviewError(f"{self.path}: not open (call open() first)")
        return self._doc

    def page_count(self) -> int:
        return len(self._require())

    def page_size_mm(self, index: int) -> tuple[float, float]:
        w, h = self._page(index).get_size()
        return w / POINTS_PER_INCH * 25.4, h / POINTS_PER_INCH * 25.4

    def _page(self, index: int) -> Any:
        doc = self._require()
        if not 0 <= index < len(doc):
            raise PreviewError(f"{self.path}: no page {index + 1} (the PDF has {len(doc)})")
        return doc[index]

    def render(self, index: int, *, width_px: int | None = None,
               height_px: int | None = None, dpi: float = 72.0) -> Image.Image:
        """Page `index` (0-based) as an RGB image. Give width_px and/or height_px to fit a
        box (the page keeps its proportions), or a dpi."""
        page = self._page(index)
        w_pt, h_pt = page.get_size()
        scales = [dpi / POINTS_PER_INCH]
        if width_px or height_px:
            scales = [s for s in ((width_px or 0) / w_pt, (height_px or 0) / h_pt) if s > 0]
        bitmap = page.render(scale=min(scales), may_draw_forms=False)
        try:
            image: Image.Image = bitmap.to_pil().convert("RGB")
            return image
        finally:
            bitmap.close()

    def render_rgb(self, index: int, *, width_px: int | None = None,
                   height_px: int | None = None, dpi: float = 72.0) -> RgbPage:
        """As render(), as raw RGB bytes for pygame.image.frombuffer(rgb, size, 'RGB')."""
        img = self.render(index, width_px=width_px, height_px=height_px, dpi=dpi)
        return RgbPage(img.width, img.height, img.tobytes())


def page_images(source: Path | bytes, *, width_px: int) -> list[Image.Image]:
    """Every page of a PDF fitted to `width_px`: the preview of a short form in one call."""
    with PdfPreview(source) as pdf:
        return [pdf.render(i, width_px=width_px) for i in range(pdf.page_count())]
