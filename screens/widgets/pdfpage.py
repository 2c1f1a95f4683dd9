"""A PDF page on screen: rendered by pypdfium2 (kiosk/forms/preview.py) on a worker, turned
into a Surface here on the UI thread, drawn as a sheet of paper with a shadow.

Form pages are cached (per file, page and box): flipping back and forth between pages of a
form, or coming back to a form, shows at once. Copies are NOT cached — a scanned ID card must
leave memory with its job — so those views pass cache=False and drop the surface on exit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk.forms.preview import PdfPreview, RgbPage
from screens.fonts import fontset
from screens.input import Pointer
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


DRAG_PX = 12          # a touch that moves less than this is a tap (zoom in / out)


class PageView(Widget):
    """The sheet: a page surface, or a line of text while loading or when it failed.

    Zoom: a tap asks `on_zoom(x, y)` (the screen renders the page larger on a worker and hands
    it back with `zoom_to`); while zoomed a drag moves the page and a tap zooms out."""

    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int],
                 on_zoom: Callable[[int, int], None] | None = None) -> None:
        super().__init__(rect)
        self.surface: pygame.Surface | None = None
        self.text = "正在加载…"
        self.on_zoom = on_zoom
        self.zoomed: pygame.Surface | None = None
        self.pan = (0, 0)                   # the zoomed page's top-left, relative to rect
        self._down: tuple[int, int] | None = None
        self._moved = 0

    @property
    def is_zoomed(self) -> bool:
        return self.zoomed is not None

    def zoom_to(self, big: pygame.Surface, focus: tuple[int, int]) -> None:
        """Show `big` so that the page point under `focus` (rect coordinates) stays there."""
        sheet = self.sheet()
        fx = (focus[0] - sheet.left) / max(1, sheet.width)
        fy = (focus[1] - sheet.top) / max(1, sheet.height)
        self.zoomed = big
        self._set_pan(round(focus[0] - self.rect.left - fx * big.get_width()),
                      round(focus[1] - self.rect.top - fy * big.get_height()))

    def unzoom(self) -> None:
        self.zoomed = None
        self.pan = (0, 0)

    def _set_pan(self, x: int, y: int) -> None:
        """Keep the zoomed page covering the view (no drag beyond its edges)."""
        assert self.zoomed is not None
        w, h = self.zoomed.get_size()
        x = min(0, max(self.rect.width - w, x)) if w > self.rect.width else \
            (self.rect.width - w) // 2
        y = min(0, max(self.rect.height - h, y)) if h > self.rect.height else \
            (self.rect.height - h) // 2
        self.pan = (x, y)

    def handle(self, ev: Pointer) -> bool:
        if ev.kind == "down":
            self._down, self._moved = (ev.x, ev.y), 0
            return False
        if self._down is None:
            return False
        dx, dy = ev.x - self._down[0], ev.y - self._down[1]
        if ev.kind == "move":
            self._moved = max(self._moved, abs(dx) + abs(dy))
            if self.zoomed is not None and self._moved >= DRAG_PX:
                self._set_pan(self.pan[0] + dx, self.pan[1] + dy)
                self._down = (ev.x, ev.y)
                return True
            return False
        self._down = None
        if self._moved >= DRAG_PX or not self.rect.collidepoint(ev.x, ev.y):
            return False
        if self.zoomed is not None:
            self.unzoom()
            return True
        if self.on_zoom is not None and self.surface is not None:
            self.on_zoom(ev.x, ev.y)
        return True

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
        if self.zoomed is not None:
            clip = surface.get_clip()
            surface.set_clip(self.rect.clip(clip) if clip else self.rect)
            surface.blit(self.zoomed, (self.rect.left + self.pan[0],
                                       self.rect.top + self.pan[1]))
            surface.set_clip(clip)
            return
        sheet = self.sheet()
        shadow = max(2, theme.mm(1))
        pygame.draw.rect(surface, c.muted, sheet.move(shadow, shadow))
        surface.blit(self.surface, sheet)
