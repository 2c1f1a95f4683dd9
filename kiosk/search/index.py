"""The search a citizen's typing drives, keystroke by keystroke.

    index = SearchIndex.build(catalog)        # once, on a worker thread
    result = index.search("gl补贴", limit=30) # hits best first, with spans to highlight
    words = index.complete("gl")              # 高龄, 公路 … for the candidate bar

A query is matched twice: as one piece (the whole text, and the parts of mixed input), whose
exact, prefix and substring matches rank first; and as words (kiosk.search.words: jieba for
Chinese, an input method's split for pinyin, the colloquial lexicon for what words mean),
ranked by how much of the query each item covers (kiosk.search.coverage). When neither finds
anything, the items closest to what was typed are offered ("您是不是要找").

Everything is in memory and read-only after build, so searches from several threads are
safe; the small caches have their own lock.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from threading import Lock

from kiosk.catalog.catalog import Catalog, Category, ItemSummary
from kiosk.search import bands as B
from kiosk.search import bits
from kiosk.search import coverage as C
from kiosk.search.closest import CLOSEST, closest_items
from kiosk.search.complete import Completer
from kiosk.search.data import IndexData
from kiosk.search.explain import matches_for
from kiosk.search.lexicon import Lexicon, load_lexicon
from kiosk.search.normalize import normalize_query, query_parts, script_runs
from kiosk.search.results import Hit, SearchResult, Suggestions
from kiosk.search.words import Vocabulary, Word

NOTHING_FOUND = "没有找到与“{query}”相关的事项。您可以换个说法，或看看下面的常办事项和分类。"
DID_YOU_MEAN = "没有找到与“{query}”完全相符的事项。您是不是要找："
NOTHING_TYPED = "请输入您要办理的事情，例如：低保、高龄津贴、dibao。"
CACHE_SIZE = 256
WORD_CACHE = 1024
MAX_PIECES = 8       # a pasted paragraph is not a search; its first pieces are enough


def _pieces(query: str, whole: str) -> list[str]:
    """The separately matched pieces of mixed input: parts the citizen separated, split
    again where letters, digits and characters meet. Empty when the query is one piece."""
    pieces = [run for part in query_parts(query) for run in script_runs(part)]
    return pieces[:MAX_PIECES] if len(pieces) > 1 else []


class SearchIndex:
    def __init__(self, data: IndexData, completer: Completer, vocabulary: Vocabulary,
                 popular: list[ItemSummary], categories: list[Category]) -> None:
        self._data = data
        self._completer = completer
        self._vocab = vocabulary
        self._popular = popular
        self._categories = categories
        self._cache: OrderedDict[tuple[str, int], SearchResult] = OrderedDict()
        self._words: OrderedDict[tuple[str, bool], tuple[B.Piece, B.Bands]] = OrderedDict()
        self._lock = Lock()

    @classmethod
    def build(cls, catalog: Catalog, popular: int = 8,
              lexicon: Lexicon | None = None) -> SearchIndex:
        """`lexicon`: the colloquial lexicon (default: the one shipped with the kiosk)."""
        synonyms = catalog.meta.synonyms
        data = IndexData(catalog.summaries(), [(s.term, s.means) for s in synonyms])
        completer = Completer(data.items, [s.term for s in synonyms])
        categories = [*catalog.categories("theme"), *catalog.categories("life_event")]
        terms: list[str] = [s.term for s in synonyms]
        terms += [c.name for c in categories]
        for table in (data.name, data.short, data.alias, data.keyword, data.department):
            terms += table.texts
        vocab = Vocabulary.build(terms, lexicon or load_lexicon(), completer.words())
        return cls(data, completer, vocab, catalog.popular(popular), categories)

    def __len__(self) -> int:
        return len(self._data)

    @property
    def ready(self) -> bool:
        """Always: a built index answers at once (kiosk.lookup.Searcher)."""
        return True

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
            self._words.clear()

    def words(self, query: str) -> list[Word]:
        """The words a query is searched as (filler dropped), for tests and `kiosk search`."""
        return self._vocab.analyze(normalize_query(query))

    def _search(self, query: str, limit: int) -> SearchResult:
        whole = normalize_query(query)
        if not whole:
            return SearchResult(query, [], 0, self._suggest(NOTHING_TYPED))
        piece, cached = self._lookup(whole)
        found = dict(cached)          # merged into below: the cached dict stays as it is
        pieces = [piece]
        parts = _pieces(query, whole)
        if parts:
            per_part = [self._lookup(p) for p in parts]
            pieces += [p for p, _ in per_part]
            B.merge(found, B.all_of([b for _, b in per_part], limit))
        words = self._vocab.analyze(whole)
        covered = self._by_words(words, whole, limit, found, pieces)
        best, total = B.top(found, limit, covered)
        if not total:
            return SearchResult(query, [], 0, self._nothing(whole))
        return SearchResult(query, [self._hit(i, band, pieces) for i, band in best], total)

    def _by_words(self, words: list[Word], whole: str, limit: int, found: B.Bands,
                  pieces: list[B.Piece]) -> int:
        """Add the items the words find to `found` (and their pieces, for highlighting);
        every item that qualifies, for the total."""
        if not _worth_words(words, whole) or _page_full(found, limit):
            return 0
        alone = len(words) == 1 and words[0].text == whole
        n = len(self._data)
        # Words that weigh nothing (父亲) or only help (a stray character, 办) are not looked
        # up beside a word that can make a hit: they would cost the most (一 character is in
        # half the names of a county) and change the least.
        words = [w for w in words if C.major(w)]
        hits = [C.word_hits(w, self._word_lookup, not alone, n) for w in words]
        ranked, covered = C.rank(hits, limit + limit, n)
        B.merge(found, ranked)
        for h in hits:
            pieces += [*h.pieces, *h.via]
        return covered

    def _word_lookup(self, text: str) -> tuple[B.Piece, B.Bands]:
        with self._lock:
            whole = self._words.get((text, False))    # a part already looked up in full
        return whole if whole is not None else self._lookup(text, word=True)

    def _lookup(self, text: str, word: bool = False) -> tuple[B.Piece, B.Bands]:
        """piece_bands of a text, cached: typing a phrase looks its words up again on
        every key, and a query's parts are often its words. The cached sets are never
        changed (B.merge and coverage make new ones)."""
        key = (text, word)
        with self._lock:
            got = self._words.get(key)
            if got is not None:
                self._words.move_to_end(key)
                return got
        got = B.piece_bands(self._data, text, word)
        with self._lock:
            self._words[key] = got
            while len(self._words) > WORD_CACHE:
                self._words.popitem(last=False)
        return got

    def _hit(self, item: int, band: float, pieces: list[B.Piece]) -> Hit:
        s = self._data.items[item]
        matches, because = matches_for(self._data, item, pieces)
        return Hit(s.code, s.name, float(band), matches, because)

    def _nothing(self, whole: str) -> Suggestions:
        """您是不是要找: the letters read loosely (one letter off, towards any word of the
        names) first; else the items sharing most of the query's characters."""
        found: B.Bands = {}
        covered = self._by_words(self._vocab.analyze(whole, loose=True), "", CLOSEST, found, [])
        best, _ = B.top(found, CLOSEST, covered)
        closest = [self._data.items[i] for i, _ in best] or \
            closest_items(self._data, self._vocab, self._word_lookup, whole)
        if closest:
            return Suggestions(DID_YOU_MEAN.format(query=whole), list(self._popular),
                               list(self._categories), closest)
        return self._suggest(NOTHING_FOUND.format(query=whole))

    def _suggest(self, message: str) -> Suggestions:
        return Suggestions(message, list(self._popular), list(self._categories))

    def complete(self, prefix: str, limit: int = 8) -> list[str]:
        """Words the catalog knows that the typed letters (or characters) begin; when the
        letters as a whole begin none, the words they can be split into (zhangfuqushi →
        丈夫, 去世), so the candidate bar keeps offering something to tap."""
        found = self._completer.complete(prefix, limit)
        if found or limit <= 0:
            return found
        tail = _TRAILING_LATIN.search(normalize_query(prefix))
        if tail is None or len(tail.group()) < 4:
            return found
        return self._vocab.words_for(tail.group())[:limit]


_TRAILING_LATIN = re.compile(r"[a-z]+$")


def _page_full(found: B.Bands, limit: int) -> bool:
    """Whether name matches of the whole query already fill the page: words rank below
    them (coverage scores stay under B.NAME), so they could not change what is shown.
    The total then counts the whole query's matches only."""
    top = [ids for band, ids in found.items() if band >= B.NAME]
    return sum(b.bit_count() for b in top) >= limit and bits.union(top).bit_count() >= limit


def _worth_words(words: list[Word], whole: str) -> bool:
    """Whether the words can find more than the whole query as one piece already does."""
    if not any(C.major(w) for w in words):
        return False      # only stray characters and weak verbs: they never make a hit
    if len(words) > 1:
        return True
    w = words[0]
    return w.text != whole or bool(w.means) or bool(w.variants)
