"""The ONE place the UI gets its catalog and its search index from.

Why one place: the SQLite store (`kiosk.catalog.open_catalog`) and the real search index
(`kiosk.search.SearchIndex`) are built on other branches. Until they land this falls back to
the seed JSON document and to a plain substring search with the same method names, so the
screens never change when the real parts arrive.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kiosk.catalog.catalog import Catalog, ItemSummary
from kiosk.config import Config
from kiosk.errors import CatalogError

log = logging.getLogger(__name__)
MINI_CATALOG = Path(__file__).resolve().parent.parent / "tests" / "data" / "mini-catalog.json"


def load_catalog(cfg: Config) -> Catalog:
    """The catalog this terminal shows: the SQLite store (seeded from [catalog].seed on first
    start). Only when the store is empty AND the seed file is missing — a development checkout
    before the sample catalog exists — does it fall back to the test catalog, with a warning."""
    store = importlib.import_module("kiosk.catalog")
    opener = getattr(store, "open_catalog", None)
    if opener is None:
        return catalog_from_file(cfg.path(cfg.catalog.seed) if cfg.catalog.seed else MINI_CATALOG)
    try:
        catalog: Catalog = opener(cfg)
    except CatalogError:
        if cfg.catalog.seed and cfg.path(cfg.catalog.seed).is_file():
            raise
        log.warning("catalog store empty and no seed catalog at %s: showing the test catalog",
                    cfg.catalog.seed)
        return catalog_from_file(MINI_CATALOG)
    return catalog


def catalog_from_file(path: Path) -> Catalog:
    if not path.exists() and path != MINI_CATALOG:
        path = MINI_CATALOG  # the sample catalog is not there yet: the test one still shows
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"{path}: cannot read the catalog ({exc})") from None
    return Catalog.from_document(doc)


# ---- search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    field: str
    text: str
    spans: list[tuple[int, int]]


@dataclass(frozen=True)
class Hit:
    code: str
    name: str
    score: float
    matches: list[Match] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    suggestions: list[str] = field(default_factory=list)


class Searcher(Protocol):
    """What the search screen needs (kiosk.search.SearchIndex has these methods)."""

    def search(self, query: str, limit: int) -> Any: ...

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

    def search(self, query: str, limit: int) -> Any:
        return self.index().search(query, limit)

    def complete(self, prefix: str, limit: int) -> list[str]:
        return self.index().complete(prefix, limit)


def make_searcher(catalog: Catalog) -> Searcher:
    try:
        mod = importlib.import_module("kiosk.search")
    except ImportError:
        return SubstringSearch(catalog)
    index: Searcher = mod.SearchIndex.build(catalog)
    return index


class SubstringSearch:
    """Stand-in for kiosk.search until it lands: substring on name, aliases and keywords, and
    pinyin initials of the name (DB → 低保), with the matched characters as spans."""

    def __init__(self, catalog: Catalog) -> None:
        self._rows = [(s, (s.name, *s.aliases, *s.keywords)) for s in catalog.summaries()]
        self._initials: list[tuple[str, ...]] | None = None

    def _all_initials(self) -> list[tuple[str, ...]]:
        """Per row, the initials of each text (one letter per character, so positions in
        the initials are positions in the text)."""
        if self._initials is None:  # built on the first Latin query: pypinyin is slow-ish
            from pypinyin import Style, lazy_pinyin

            self._initials = [
                tuple("".join(p[:1].lower() for p in lazy_pinyin(
                    t, style=Style.FIRST_LETTER, errors=_each_char)) for t in texts)
                for _, texts in self._rows]
        return self._initials

    def search(self, query: str, limit: int) -> SearchResult:
        q = query.strip().lower()
        if not q:
            return SearchResult(query, [], 0)
        initials = self._all_initials() if q.isascii() and q.isalpha() else None
        hits: list[Hit] = []
        for i, (s, texts) in enumerate(self._rows):
            hit = _substring_hit(s, texts, q)
            if hit is None and initials is not None:
                hit = _initials_hit(s, initials[i], q)
            if hit is not None:
                hits.append(hit)
        hits.sort(key=lambda h: -h.score)
        return SearchResult(query, hits[:limit], len(hits))

    def complete(self, prefix: str, limit: int) -> list[str]:
        """Names and aliases whose pinyin initials (or text) start with `prefix`."""
        p = prefix.strip().lower()
        if not p:
            return []
        words = {t for _, texts in self._rows for t in texts[1:] if t.lower().startswith(p)}
        if p.isascii() and p.isalpha():
            for (_, texts), inis in zip(self._rows, self._all_initials(), strict=True):
                words |= {t for t, ini in zip(texts, inis, strict=True) if ini.startswith(p)}
        return sorted(words, key=len)[:limit]


def _substring_hit(s: ItemSummary, texts: tuple[str, ...], q: str) -> Hit | None:
    for i, text in enumerate(texts):
        at = text.lower().find(q)
        if at >= 0:
            spans = [(at, at + len(q))] if i == 0 else []
            return Hit(s.code, s.name, s.popularity - 1000 * i - at, [Match("name", s.name, spans)])
    return None


def _initials_hit(s: ItemSummary, initials: tuple[str, ...], q: str) -> Hit | None:
    for i, ini in enumerate(initials):
        at = ini.find(q)
        if at >= 0:
            spans = [(at, at + len(q))] if i == 0 else []
            return Hit(s.code, s.name, s.popularity - 2000 - 1000 * i - at,
                       [Match("name", s.name, spans)])
    return None


def _each_char(chunk: str) -> Any:
    """pypinyin's `errors` hook: keep non-Han text one entry per character, so positions
    in the initials string stay positions in the text."""
    return list(chunk)
