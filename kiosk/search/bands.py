"""Which items a query piece finds, grouped in rank bands, and the best N of those bands.

A band is a score shared by every hit found the same way (exact name, name prefix, pinyin of
the name …). Higher band wins; inside a band the smaller item id wins (ids are in
popularity order, see data.py). Working with sets of ids per band keeps the per-query work in
C (set union/difference) instead of a Python loop over every hit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

from kiosk.search.data import IndexData
from kiosk.search.normalize import is_latin
from kiosk.search.pinyin import Kind
from kiosk.search.pyindex import Found

EXACT = 100          # the name (or short name) is the query
PREFIX = 90          # the name starts with the query
NAME = 80            # the name contains the query
ALIAS = 70           # a short name or alias contains it
SYNONYM = 68         # a colloquial term (低保) whose official phrase the name contains
KEYWORD = 40
SYNONYM_PART = 44    # the query contains a colloquial term among other words
MATERIAL = 30
DEPARTMENT = 28
STEP = 26

# Pinyin of the name: (kind, starts the name) → band.
NAME_PINYIN = {(Kind.FULL, True): 62, (Kind.FULL, False): 60,
               (Kind.MIXED, True): 57, (Kind.MIXED, False): 55,
               (Kind.INITIALS, True): 52, (Kind.INITIALS, False): 50}
# Pinyin of a term (alias, short name, synonym): (kind, the letters spell the whole term).
TERM_PINYIN = {(Kind.FULL, True): 64, (Kind.FULL, False): 56,
               (Kind.MIXED, True): 58, (Kind.MIXED, False): 53,
               (Kind.INITIALS, True): 54, (Kind.INITIALS, False): 48}
KEYWORD_PINYIN = 38
# Materials, departments and steps are searched from two characters on: one character (证,
# 办) is in the materials of nearly every item, so it would only bury the real hits under
# the whole catalog.
MIN_LOW_FIELD = 2

Bands = dict[float, set[int]]


@dataclass
class Piece:
    """One normalised piece of a query, with what explaining its hits needs again."""

    text: str
    latin: bool
    synonyms: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    names_found: Found | None = None      # pinyin lookup over names (where it matched)
    terms_found: Found | None = None      # … over aliases, short names, synonym terms
    py_synonym_whole: list[str] = field(default_factory=list)   # means of terms spelled out
    py_synonym_part: list[str] = field(default_factory=list)    # … of terms only begun
    via: str = ""       # the colloquial word this piece is the official meaning of


def add(bands: Bands, band: float, ids: Iterable[int]) -> None:
    cur = bands.get(band)
    if cur is None:
        # A fresh set from items_of() is taken as is: no copy of a 100,000-item band.
        bands[band] = ids if type(ids) is set else set(ids)
    else:
        cur.update(ids)


def piece_bands(data: IndexData, text: str, word: bool = False) -> tuple[Piece, Bands]:
    """Every way one piece of text (a whole query or one of its words) finds items.
    `word`: materials, departments and steps are searched only when no name, alias or
    keyword holds it (a word's weakest fields; at 100,000 items the costliest to gather)."""
    piece = Piece(text, is_latin(text))
    bands: Bands = {}
    _name_bands(data, text, bands)
    for table, band in ((data.short, ALIAS), (data.alias, ALIAS), (data.keyword, KEYWORD),
                        (data.material, MATERIAL), (data.department, DEPARTMENT),
                        (data.step, STEP)):
        if band <= MATERIAL and (len(text) < MIN_LOW_FIELD or (word and bands)):
            continue
        tids = table.find(text)
        if tids:
            add(bands, band, table.items_of(tids))
    exact_short = data.short.text_id(text)
    if exact_short is not None:
        add(bands, EXACT, data.short.items[exact_short])
    _synonym_bands(data, piece, bands)
    if piece.latin:
        _name_pinyin_bands(data, piece, bands)
        _term_pinyin_bands(data, piece, bands)
    return piece, bands


def _name_bands(data: IndexData, text: str, bands: Bands) -> None:
    tids = data.name.find(text)
    if not tids:
        return
    add(bands, NAME, data.name.items_of(tids))
    add(bands, PREFIX, data.name.items_of(data.name.starting_with(text)))
    exact = data.name.text_id(text)
    if exact is not None:
        add(bands, EXACT, data.name.items[exact])


def _synonym_bands(data: IndexData, piece: Piece, bands: Bands) -> None:
    text = piece.text
    for syn in data.synonyms:
        if syn.term not in text:
            continue
        piece.synonyms.append((syn.term, syn.means))
        if syn.term == text:
            add(bands, SYNONYM, syn.items)
            continue
        add(bands, SYNONYM_PART, syn.items)
        for m in syn.means:
            expanded = text.replace(syn.term, m)
            add(bands, SYNONYM, data.name.items_of(data.name.find(expanded)))
            add(bands, SYNONYM, data.alias.items_of(data.alias.find(expanded)))


def _name_pinyin_bands(data: IndexData, piece: Piece, bands: Bands) -> None:
    piece.names_found = data.name_py.find(piece.text)
    for hit, lines in piece.names_found.groups.items():
        add(bands, NAME_PINYIN[hit.kind, hit.at_start], data.name.items_of(lines))


def _term_pinyin_bands(data: IndexData, piece: Piece, bands: Bands) -> None:
    piece.terms_found = found = data.terms_py.find(piece.text)
    for hit, lines in found.groups.items():
        for line in lines:
            term = data.term_lines[line]
            for role, owners in data.term_roles[line]:
                if role == "keyword":
                    add(bands, KEYWORD_PINYIN, owners)
                    continue
                add(bands, TERM_PINYIN[hit.kind, hit.whole], owners)
                if role == "synonym":
                    means = data.synonym_means.get(term, ())
                    (piece.py_synonym_whole if hit.whole else piece.py_synonym_part).extend(means)


def all_of(per_piece: list[Bands], limit: int | None = None) -> Bands:
    """Items every piece found (mixed input: 'gl补贴' = 'gl' and '补贴'); a hit ranks by its
    weakest piece, one below a whole-query hit of that band. Walks the band levels from the
    top with set operations: at level v, the items whose every piece reached v. Once `limit`
    items are placed, the rest go in one band below: they could never reach the page (every
    item on it has a band at least as high), and the walk over 100,000-item sets stops."""
    levels = sorted(set().union(*[b.keys() for b in per_piece]), reverse=True)
    reached: list[set[int]] = [set() for _ in per_piece]
    assigned: set[int] = set()
    out: Bands = {}
    for k, v in enumerate(levels):
        if limit is not None and len(assigned) >= limit and k < len(levels) - 1:
            every = [set().union(*b.values()) for b in per_piece]
            rest = set.intersection(*every) - assigned
            if rest:
                out[v - 1] = rest
            break
        for i, b in enumerate(per_piece):
            if v in b:
                reached[i] |= b[v]
        now = set.intersection(*reached) - assigned
        if now:
            out[v - 1] = now
            assigned |= now
    return out


def merge(into: Bands, other: Bands) -> None:
    """Add `other`'s bands to `into` without changing any set either holds (the index
    caches the bands of words it looked up)."""
    for band, ids in other.items():
        cur = into.get(band)
        into[band] = ids if cur is None else cur | ids


def _smallest(ids: set[int], k: int, n_items: int) -> list[int]:
    if len(ids) * 32 > n_items:
        # A big band: walk ids in rank order until k are found (cheaper than sorting it).
        return list(islice(filter(ids.__contains__, range(n_items)), k))
    return sorted(ids)[:k]


def top(bands: Bands, limit: int, n_items: int, also: set[int] | None = None
        ) -> tuple[list[tuple[int, float]], int]:
    """The best `limit` (item, band) pairs and how many items were found in all (`also`:
    more items found that are not in `bands`). While the list is not full every item of the
    higher bands is in it, so only the chosen few need skipping in the next band."""
    best: list[tuple[int, float]] = []
    chosen: set[int] = set()
    for band in sorted(bands, reverse=True):
        need = limit - len(best)
        if need <= 0:
            break
        ids = bands[band]
        for i in _smallest(ids, need + len(chosen & ids), n_items):
            if i not in chosen and len(best) < limit:
                best.append((i, band))
                chosen.add(i)
    if any(len(ids) == n_items for ids in bands.values()):
        return best, n_items          # 申请 (in every 申请表): no union of the whole catalog
    if also and len(also) == n_items:
        return best, n_items
    return best, len(set().union(*bands.values(), also or ()))
