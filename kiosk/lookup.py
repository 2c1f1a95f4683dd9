"""The ONE place the UI gets its catalog and its search index from.

Why one place: the SQLite store (`kiosk.catalog.open_catalog`) and the real search index
(`kiosk.search.SearchIndex`) are built on other branches. Until they land this falls back to
the seed JSON document and to a plain substring search with the same method names, so the
screens never change when the real parts arrive.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kiosk.catalog.catalog import Catalog, ItemSummary
from kiosk.config import Config
from kiosk.errors import CatalogError

MINI_CATALOG = Path(__file__).resolve().parent.parent / "tests" / "data" / "mini-catalog.json"


def load_catalog(cfg: Config) -> Catalog:
    """The catalog this terminal shows: the store if it exists, else the seed document."""
    try:
        store = importlib.import_module("kiosk.catalog")
        opener = getattr(store, "open_catalog", None)
    except ImportError:  # pragma: no cover - the package always exists
        opener = None
    if opener is not None:
        catalog: Catalog = opener(cfg)
        return catalog
    return catalog_from_file(cfg.path(cfg.catalog.seed) if cfg.catalog.seed else MINI_CATALOG)


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


def make_searcher(catalog: Catalog) -> Searcher:
    try:
        mod = importlib.import_module("kiosk.search")
    except ImportError:
        return SubstringSearch(catalog)
    index: Searcher = mod.SearchIndex.build(catalog)
    return index


class SubstringSearch:
    """Stand-in for kiosk.search: case-insensitive substring on name, aliases, keywords.
    Typed Latin letters match nothing here (no pinyin) — the real index handles those."""

    def __init__(self, catalog: Catalog) -> None:
        self._rows = [(s, (s.name, *s.aliases, *s.keywords)) for s in catalog.summaries()]

    def search(self, query: str, limit: int) -> SearchResult:
        q = query.strip().lower()
        if not q:
            return SearchResult(query, [], 0)
        hits: list[Hit] = []
        for s, texts in self._rows:
            hit = _substring_hit(s, texts, q)
            if hit is not None:
                hits.append(hit)
        hits.sort(key=lambda h: -h.score)
        return SearchResult(query, hits[:limit], len(hits))

    def complete(self, prefix: str, limit: int) -> list[str]:
        p = prefix.strip().lower()
        if not p:
            return []
        words = {t for _, texts in self._rows for t in texts if t.lower().startswith(p)}
        return sorted(words, key=len)[:limit]


def _substring_hit(s: ItemSummary, texts: tuple[str, ...], q: str) -> Hit | None:
    for i, text in enumerate(texts):
        at = text.lower().find(q)
        if at >= 0:
            spans = [(at, at + len(q))] if i == 0 else []
            return Hit(s.code, s.name, s.popularity - 1000 * i - at, [Match("name", s.name, spans)])
    return None
