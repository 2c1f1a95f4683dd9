"""An App for a screen that is not the kiosk: the hall display, a window screen, an evaluator.
The same loop, theme, fonts and screens framework, on a panel of its own size, with no catalog
and no search (nothing on these screens looks procedures up)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import CatalogMeta
from kiosk.config import Config
from kiosk.search.results import SearchResult
from screens.app import App


class NoSearch:
    """The Searcher of a screen that searches nothing."""

    @property
    def ready(self) -> bool:
        return True

    def search(self, query: str, limit: int) -> SearchResult:
        return SearchResult(query, [], 0)

    def complete(self, prefix: str, limit: int) -> list[str]:
        return []


def panel_config(cfg: Config, size: tuple[int, int], diagonal_inch: float,
                 fullscreen: bool, touch: bool) -> Config:
    """`cfg` with [display] describing this panel instead of the kiosk's touchscreen."""
    display = dataclasses.replace(cfg.display, width=size[0], height=size[1],
                                  diagonal_inch=diagonal_inch, fullscreen=fullscreen,
                                  touch=touch, elder_mode=False, scale=1.0)
    return dataclasses.replace(cfg, display=display)


def display_app(cfg: Config, size: tuple[int, int], diagonal_inch: float, *,
                fullscreen: bool, touch: bool = False, headless: bool = False,
                clock: Callable[[], float] = time.monotonic) -> App:
    panel = panel_config(cfg, size, diagonal_inch, fullscreen, touch)
    empty = Catalog(CatalogMeta("", "", ""), [], lambda code: {})
    return App(panel, empty, NoSearch(), size=size, windowed=not fullscreen,
               headless=headless, clock=clock)
