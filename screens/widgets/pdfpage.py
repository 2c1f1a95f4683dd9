"""A PDF page on screen: rendered by pypdfium2 (kiosk/forms/preview.py) on a worker, turned
into a Surface here on the UI thread, drawn as a sheet of paper with a shadow.

Form pages are cached (per file, page and box): flipping back and forth between pages of a
form, or coming back to a form, shows at once. Copies are NOT cached — a scanned ID card must
leave memory with its job — so those views pass cache=False and drop the surface on exit.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk.forms.preview import PdfPreview, RgbPage
from screens.fonts import fontset
from screens.text import draw_wrapped
from screens.theme import Theme
from screens.widgets.base import Widget

CACHE_PAGES = 24


@dataclass(frozen=True)
class PageKey:
    path: str
    stamp: int                  # the file's mtime_ns: a rebuilt form is rendered afresh
    index: int
    box: tuple[int, int]


@dataclass(frozen=True)
class Rendered:
    """What a worker hands back: the page count and one page's pixels."""

    pages: int
    page: RgbPage


def render_page(path: Path, index: int, box: tuple[int, int]) -> Rendered:
    """Worker side: open the PDF, count its pages, render page `index` fitted to `box`."""
    with PdfPreview(path) as pdf:
        return Rendered(pdf.page_count(), pdf.render_rgb(index, width_px=box[0],
                                                         height_px=box[1]))


def to_surface(page: RgbPage) -> pygame.Surface:
    return pygame.image.frombytes(page.rgb, (page.width, page.height), "RGB")


class PageCache:
    """Surfaces of recently shown form pages, with their file's page count. UI thread only."""

    def __init__(self, size: int = CACHE_PAGES) -> None:
        self.size = size
        self._pages: OrderedDict[PageKey, tuple[int, pygame.Surface]] = OrderedDict()

    def get(self, key: PageKey) -> tuple[int, pygame.Surface] | None:
        hit = self._pages.get(key)
        if hit is not None:
            self._pages.move_to_end(key)
        return hit

    def put(self, key: PageKey, pages: int, surface: pygame.Surface) -> None:
        self._pages[key] = (pages, surface)
        while len(self._pages) > self.size:
            self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)


FORM_PAGES = PageCache()


def page_key(path: Path, index: int, box: tuple[int, int]) -> PageKey:
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return PageKey(str(path), stamp, index, box)


class PageView(Widget):
    """The sheet: a page surface, or a line of text while loading or when it failed."""

    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int]) -> None:
        super().__init__(rect)
        self.surface: pygame.Surface | None = None
        self.text = "正在加载…"

    @property
    def box(self) -> tuple[int, int]:
        """The largest page that fits, leaving room for the shadow."""
        return (max(1, self.rect.width - 8), max(1, self.rect.height - 8))

    def show(self, surface: pygame.Surface | None, text: str = "") -> None:
        self.surface = surface
        self.text = text

    def sheet(self) -> pygame.Rect:
        """Where the page is drawn (empty before it is loaded)."""
        if self.surface is None:
            return pygame.Rect(self.rect.center, (0, 0))
        r = self.surface.get_rect()
        r.center = self.rect.center
        return r

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        c = theme.colors
        pygame.draw.rect(surface, c.line, self.rect, border_radius=theme.radius)
        if self.surface is None:
            lh = fontset().line_height(theme.body)
            draw_wrapped(surface, fontset(), self.text, theme.body,
                         pygame.Rect(self.rect.left + theme.gap, self.rect.centery - lh,
                                     self.rect.width - 2 * theme.gap, lh * 3),
                         c.muted, center=True)
            return
        sheet = self.sheet()
        shadow = max(2, theme.mm(1))
        pygame.draw.rect(surface, c.muted, sheet.move(shadow, shadow))
        surface.blit(self.surface, sheet)
