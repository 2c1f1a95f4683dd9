"""Start the UI: load the catalog and the search index, open the display, run the loop.
The ONE place that builds an App for real use (`kiosk run`, `kiosk demo`)."""

from __future__ import annotations

import logging

from kiosk.config import Config
from kiosk.lookup import BackgroundSearcher, load_catalog, searcher_for
from screens.actions import Actions
from screens.app import App

log = logging.getLogger(__name__)


def build_app(cfg: Config, windowed: bool = False, actions: Actions | None = None,
              size: tuple[int, int] | None = None, headless: bool = False) -> App:
    catalog = load_catalog(cfg)
    searcher = BackgroundSearcher(  # built after the first frame (App.run)
        catalog, lambda c: searcher_for(cfg, c))
    return App(cfg, catalog, searcher, actions, size=size, windowed=windowed,
               headless=headless)


def main(cfg: Config, windowed: bool = False, actions: Actions | None = None) -> int:
    app = build_app(cfg, windowed, actions)
    app.open()
    log.info("kiosk UI started: %d items, %dx%d", len(app.catalog), *app.size)
    try:
        app.run()
    finally:
        app.close()
    return 0
