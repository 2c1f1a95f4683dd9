"""The ONE place that builds an App over this terminal's catalog and search index (`kiosk
run` and `kiosk demo` through screens/boot.py, the screenshots, the tests)."""

from __future__ import annotations

from kiosk.config import Config
from kiosk.lookup import BackgroundSearcher, load_catalog, searcher_for
from screens.actions import Actions
from screens.app import App


def build_app(cfg: Config, windowed: bool = False, actions: Actions | None = None,
              size: tuple[int, int] | None = None, headless: bool = False) -> App:
    catalog = load_catalog(cfg)
    searcher = BackgroundSearcher(  # built after the first frame (App.run)
        catalog, lambda c: searcher_for(cfg, c))
    return App(cfg, catalog, searcher, actions, size=size, windowed=windowed,
               headless=headless)

