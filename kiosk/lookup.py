"""The ONE place the UI and the commands get the catalog (the SQLite store, seeded on first
start) and the search index (kiosk.search) from, so every screen and command shows the same
catalog, searched the same way."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from kiosk.catalog.catalog import Catalog
from kiosk.config import Config
from kiosk.errors import CatalogError
from kiosk.search.results import SearchResult

log = logging.getLogger(__name__)


def load_catalog(cfg: Config) -> Catalog:
    """The catalog this terminal shows: the SQLite store (seeded from [catalog].seed on first
    start). An empty store without a seed file is a CatalogError naming the seed: there is no
    fallback into a source checkout (an installed kiosk has none)."""
    from kiosk.catalog import open_catalog

    return open_catalog(cfg)


def catalog_from_file(path: Path) -> Catalog:
    """A catalog read straight from an interchange file (tests, tools): no store."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"{path}: cannot read the catalog ({exc})") from None
    return Catalog.from_document(doc)


# ---- search ----------------------------------------------------------------------------------


class Searcher(Protocol):
    """What the search screen needs (kiosk.search.SearchIndex has these methods)."""

    @property
    def ready(self) -> bool:
        """Whether a search answers now (False while an index still builds)."""
        ...

    def search(self, query: str, limit: int) -> SearchResult: ...

    def complete(self, prefix: str, limit: int) -> list[str]: ...


class BackgroundSearcher:
    """Builds the search index on a thread after start, so the first frame does not wait for
    it (the home screen needs no search). A search that comes before the index is ready waits
    for it; with a county catalog that is well under a second after start."""

    def __init__(self, catalog: Catalog, build: Callable[[Catalog], Searcher] | None = None
                 ) -> None:
        self._catalog = catalog
        self._build = build or make_searcher
        self._index: Searcher | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> BackgroundSearcher:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._index = self._build(self._catalog)
        except BaseException as exc:  # re-raised on the thread that searches
            self._error = exc
        finally:
            self._done.set()

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def index(self) -> Searcher:
        self.start()
        self._done.wait()
        if self._index is None:
            raise CatalogError(f"the search index could not be built: {self._error}")
        return self._index

    def search(self, query: str, limit: int) -> SearchResult:
        return self.index().search(query, limit)

    def complete(self, prefix: str, limit: int) -> list[str]:
        return self.index().complete(prefix, limit)


def make_searcher(catalog: Catalog, popular: int = 8, lexicon: Path | None = None
                  ) -> Searcher:
    """The search index over `catalog`; `popular` items are offered when nothing matches;
    `lexicon`: a county's colloquial lexicon over the shipped one. A lexicon that cannot be
    used is logged and left out: search keeps the shipped words."""
    from kiosk.search import SearchIndex
    from kiosk.search.lexicon import LexiconError, load_lexicon

    lex = None
    if lexicon is not None:
        try:
            lex = load_lexicon([lexicon])
        except LexiconError as exc:
            log.warning("search lexicon not used, the shipped one is: %s", exc)
    return SearchIndex.build(catalog, popular=popular, lexicon=lex)


def searcher_for(cfg: Config, catalog: Catalog) -> Searcher:
    """make_searcher with this terminal's [search] settings."""
    lexicon = cfg.path(cfg.search.lexicon) if cfg.search.lexicon else None
    return make_searcher(catalog, cfg.search.popular, lexicon)
