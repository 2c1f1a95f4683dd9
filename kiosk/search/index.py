"""The search a citizen's typing drives, keystroke by keystroke.

    index = SearchIndex.build(catalog)        # once, on a worker thread (≈0.2 s per 10,000)
    result = index.search("gl补贴", limit=30) # hits best first, with spans to highlight
    words = index.complete("gl")              # 高龄, 公路 … for the candidate bar

Everything is in memory and read-only after build, so searches from several threads are
safe; the small result cache has its own lock.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from kiosk.catalog.catalog import Catalog, Category, ItemSummary
from kiosk.search import bands as B
from kiosk.search.complete import Completer
from kiosk.search.data import IndexData
from kiosk.search.explain import matches_for
from kiosk.search.normalize import normalize_query, query_parts, script_runs
from kiosk.search.results import Hit, SearchResult, Suggestions

NOTHING_FOUND = "没有找到与“{query}”相关的事项。您可以换个说法，或看看下面的常办事项和分类。"
NOTHING_TYPED = "请输入您要办理的事情，例如：低保、高龄津贴、dibao。"
CACHE_SIZE = 256
MAX_PIECES = 8       # a pasted paragraph is not a search; its first pieces are enough


def _pieces(query: str, whole: str) -> list[str]:
    """The separately matched pieces of mixed input: parts the citizen separated, split
    again where letters, digits and characters meet. Empty when the query is one piece."""
    pieces = [run for part in query_parts(query) for run in script_runs(part)]
    return pieces[:MAX_PIECES] if len(pieces) > 1 else []


class SearchIndex:
    def __init__(self, data: IndexData, completer: Completer, popular: list[ItemSummary],
                 categories: list[Category]) -> None:
        self._data = data
        self._completer = completer
        self._popular = popular
        self._categories = categories
        self._cache: OrderedDict[tuple[str, int], SearchResult] = OrderedDict()
        self._lock = Lock()

    @classmethod
    def build(cls, catalog: Catalog, popular: int = 8) -> SearchIndex:
        data = IndexData(catalog.summaries(),
                         [(s.term, s.means) for s in catalog.meta.synonyms])
        completer = Completer(data.items, [s.term for s in catalog.meta.synonyms])
        categories = [*catalog.categories("theme"), *catalog.categories("life_event")]
        return cls(data, completer, catalog.popular(popular), categories)

    def __len__(self) -> int:
        return len(self._data)

    def search(self, query: str, limit: int = 30) -> SearchResult:
        """Hits best first; never raises for any text a citizen can type."""
        key = (query, limit)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        result = self._search(query, max(0, limit))
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def clear_cache(self) -> None:
        """Forget cached results (benchmarks measure cold queries)."""
        with self._lock:
            self._cache.clear()

    def _search(self, query: str, limit: int) -> SearchResult:
        whole = normalize_query(query)
        if not whole:
            return SearchResult(query, [], 0, self._suggest(NOTHING_TYPED))
        piece, found = B.piece_bands(self._data, whole)
        pieces = [piece]
        parts = _pieces(query, whole)
        if parts:
            per_part = [B.piece_bands(self._data, p) for p in parts]
            pieces += [p for p, _ in per_part]
            B.merge(found, B.all_of([b for _, b in per_part]))
        best, total = B.top(found, limit, len(self._data))
        if not total:
            return SearchResult(query, [], 0, self._suggest(NOTHING_FOUND.format(query=whole)))
        hits = [self._hit(item, band, pieces) for item, band in best]
        return SearchResult(query, hits, total, None)

    def _hit(self, item: int, band: int, pieces: list[B.Piece]) -> Hit:
        s = self._data.items[item]
        return Hit(s.code, s.name, float(band), matches_for(self._data, item, pieces))

    def _suggest(self, message: str) -> Suggestions:
        return Suggestions(message, list(self._popular), list(self._categories))

    def complete(self, prefix: str, limit: int = 8) -> list[str]:
        """Words the catalog knows that the typed letters (or characters) begin."""
        return self._completer.complete(prefix, limit)
