"""Items ranked by how much of a query's words they cover, with field weights.

Each word of the query (kiosk.search.words) is looked up like a whole query is
(bands.piece_bands), and also through the official terms of its colloquial meaning
(过世 → 注销 …). Where the word was found in an item gives a field value:

    name 80 · alias / short name / synonym / a whole term in pinyin 70 · name in pinyin 60
    keyword / theme / life event 40 · material / department / step 28

(a match only through the colloquial meaning counts VIA of that). An item's score is the
weighted mean over the query's words, Σ weight·value / Σ weight, one below a whole-query match
in the same field (so exact, prefix and substring name matches stay first). A word's weight is
its lexicon weight times its rarity, log2(1 + items / items it finds): 补贴 in a thousand
items counts less than 八十岁 in one. A word no item has carries no weight at all: one unknown
word (zhangfu) never hides the items a known one (qushi) finds. Items must cover at least
MIN_COVER of the known words' weight.

Fast without a loop over items: every word's finds are split into disjoint sets (bits,
kiosk.search.bits) by best value; the cells of that product lattice are visited best score
first (a heap), each cell one AND of integers; the first cell an item turns up in is its best.
Only the cells needed to fill the page are visited, and the total is one union of
intersections over word subsets.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations

from kiosk.search import bands as B
from kiosk.search.words import Word

VIA = 0.85           # a match only through the colloquial meaning counts this much
MIN_COVER = 0.5      # share of the known words' weight an item must cover
MAX_CELLS = 400      # lattice cells visited at most per query
COMMON = 4           # a word in more than a quarter of the items is not searched as a word
COMMON_FROM = 2000   # … in catalogs of this many items or more (a small one has no such words)
WEAK = 0.25          # words of this lexicon weight or less (办, 申请) never make a hit alone


def value_of(band: float) -> float:
    """The field value of a single-piece band (see the table above)."""
    if band >= B.NAME:
        return 80.0
    if band >= 64:
        return 70.0
    if band >= 50:
        return 60.0
    if band >= B.KEYWORD_PINYIN:
        return 40.0
    return 28.0


@dataclass
class WordHits:
    """What one word found: disjoint item sets by best value, best first."""

    word: Word
    levels: list[tuple[float, int]]
    found: int                                        # every item it found (bits)
    direct: int                                       # … by itself, not via its meaning
    pieces: list[B.Piece] = field(default_factory=list)      # for highlighting
    via: list[B.Piece] = field(default_factory=list)         # the meanings' pieces

    def __len__(self) -> int:
        return self.found.bit_count()


def word_hits(word: Word, lookup: Callable[[str], tuple[B.Piece, B.Bands]],
              direct: bool = True, n_items: int = 0) -> WordHits:
    """`lookup(text)` gives piece_bands of a text (cached by the index: never mutated).
    `direct=False`: the word is the whole query, already matched as one piece; only what
    it means is added (so a colloquial meaning never outranks what was typed)."""
    by_value: dict[float, int] = {}
    pieces: list[B.Piece] = []
    via: list[B.Piece] = []
    found_direct = 0
    for text in (word.text, *word.variants) if direct else word.variants:
        piece, bands = lookup(text)
        pieces.append(piece)
        if n_items >= COMMON_FROM and \
                any(ids.bit_count() * COMMON > n_items for ids in bands.values()):
            # In a large share of the catalog (申请, 受理, 居民): it tells nothing apart, and
            # its sets are the costliest to combine. It weighs nothing; highlights stay.
            return WordHits(word, [], 0, 0, pieces, [])
        for band, ids in bands.items():
            v = value_of(band)
            by_value[v] = by_value.get(v, 0) | ids
            found_direct |= ids
    for m in word.means:
        piece, bands = lookup(m)
        piece = replace(piece, via=word.spelled or word.text)   # the cached one stays plain
        via.append(piece)
        for band, ids in bands.items():
            if band < B.KEYWORD_PINYIN:
                continue      # a meaning counts in names, aliases and keywords only
            v = round(value_of(band) * VIA, 1)
            by_value[v] = by_value.get(v, 0) | ids
    levels: list[tuple[float, int]] = []
    seen = 0
    for v in sorted(by_value, reverse=True):
        ids = by_value[v] & ~seen
        if ids:
            levels.append((v, ids))
            seen |= ids
    return WordHits(word, levels, seen, found_direct, pieces, via)


def weights(hits: Sequence[WordHits], n_items: int) -> list[float]:
    return [h.word.weight * math.log2(1 + n_items / len(h)) if len(h) else 0.0
            for h in hits]


def major(word: Word) -> bool:
    """A word that can make a hit: not a stray character, not a weak verb (办, 申请)."""
    return not word.minor and word.weight > WEAK


def _enough(ws: list[float], majors: list[bool], sets: list[int | None],
            need: float) -> bool:
    """A cell qualifies when its words carry `need` of the weight, one of them more than a
    stray character (照 alone never makes 营业执照 a hit for 办护照)."""
    on = [k for k, s in enumerate(sets) if s is not None]
    return any(majors[k] for k in on) and sum(ws[k] for k in on) + 1e-9 >= need


def _total(hits: Sequence[WordHits], q: list[float], need: float) -> int:
    """Items covering at least `need` of the weight: a union over minimal word subsets."""
    idx = [i for i, w in enumerate(q) if w > 0]
    out = 0
    minimal: list[frozenset[int]] = []
    for r in range(1, len(idx) + 1):
        for combo in combinations(idx, r):
            s = frozenset(combo)
            if sum(q[i] for i in combo) + 1e-9 < need or any(m <= s for m in minimal) or \
                    not any(major(hits[i].word) for i in combo):
                continue
            minimal.append(s)
            cell = -1
            for i in combo:
                cell &= hits[i].found
            out |= cell
    return out


def rank(hits: Sequence[WordHits], limit: int, n_items: int
         ) -> tuple[B.Bands, int]:
    """Score bands (score → items) enough to fill `limit`, and every item that qualifies."""
    q = weights(hits, n_items)
    known = sum(q)
    if known <= 0 or limit <= 0:
        return {}, 0
    need = MIN_COVER * known
    qualified = _total(hits, q, need)
    if not qualified:
        return {}, 0
    live = [(h, w) for h, w in zip(hits, q, strict=True) if w > 0]
    lists = [[*h.levels, (0.0, None)] for h, _ in live]
    majors = [major(h.word) for h, _ in live]
    return _walk(lists, [w for _, w in live], majors, need, known, limit), qualified


Level = tuple[float, "int | None"]


def _walk(lists: list[list[Level]], ws: list[float], majors: list[bool], need: float,
          known: float, limit: int) -> B.Bands:
    """Visit the lattice's cells best score first until `limit` items are placed."""
    def score(ix: tuple[int, ...]) -> float:
        return sum(ws[k] * lists[k][i][0] for k, i in enumerate(ix))

    start = tuple(0 for _ in lists)
    heap = [(-score(start), start)]
    seen = {start}
    out: B.Bands = {}
    got = 0
    placed = 0
    cells = 0
    while heap and placed < limit and cells < MAX_CELLS:
        neg, ix = heapq.heappop(heap)
        cells += 1
        sets = [lists[k][i][1] for k, i in enumerate(ix)]
        chosen = [s for s in sets if s is not None]
        if not chosen:
            break
        if _enough(ws, majors, sets, need):
            cell = ~got
            for s in chosen:
                cell &= s
            if cell:
                B.add(out, round(-neg / known - 1, 1), cell)
                got |= cell
                placed += cell.bit_count()
        for k in range(len(ix)):
            nxt = (*ix[:k], ix[k] + 1, *ix[k + 1:])
            if ix[k] + 1 < len(lists[k]) and nxt not in seen:
                seen.add(nxt)
                heapq.heappush(heap, (-score(nxt), nxt))
    return out
