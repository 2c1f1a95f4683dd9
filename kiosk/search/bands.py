"""Which items a query piece finds, grouped in rank bands, and the best N of those bands.

A band is a score shared by every hit found the same way (exact name, name prefix, pinyin of
the name …). Higher band wins; inside a band the smaller item id wins (ids are in
popularity order, see data.py). Each band's items are one integer of bits (kiosk.search.bits),
so combining bands is a few word-wise operations in C, never a Python loop over every hit,
and a band can be cached and shared as it is (an integer never changes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kiosk.search import bits
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

Bands = dict[float, int]          # band → its items as bits


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


def add(bands: Bands, band: float, ids: int) -> None:
    if ids:
        bands[band] = bands.get(band, 0) | ids


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
        add(bands, band, table.find_items(text))
    exact_short = data.short.text_id(text)
    if exact_short is not None:
        add(bands, EXACT, data.short.bits_of(exact_short))
    _synonym_bands(data, piece, bands)
    if piece.latin:
        _name_pinyin_bands(data, piece, bands)
        _term_pinyin_bands(data, piece, bands)
    return piece, bands


def _name_bands(data: IndexData, text: str, bands: Bands) -> None:
    found = data.name.find_items(text)
    if not found:
        return
    add(bands, NAME, found)
    add(bands, PREFIX, data.name.starting_items(text))
    exact = data.name.text_id(text)
    if exact is not None:
        add(bands, EXACT, data.name.bits_of(exact))


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
            add(bands, SYNONYM, data.name.find_items(expanded))
            add(bands, SYNONYM, data.alias.find_items(expanded))


def _name_pinyin_bands(data: IndexData, piece: Piece, bands: Bands) -> None:
    """Items whose name the letters match, by (kind, at start). The name pinyin index's
    lines are the name field's texts, and every item has one name, so the items of names
    where each two tokens' first letters follow each other and holding a character of every
    token are bits ready in the field (ANDs of its per-pair and per-character sets); a
    match's items are those, less the few names that hold them apart."""
    name = data.name
    piece.names_found = found = data.name_py.find(piece.text)
    for kind, one in found.one_token:
        heads = name.first_items(one)
        add(bands, NAME_PINYIN[kind, True], heads)
        add(bands, NAME_PINYIN[kind, False], name.char_items(one) & ~heads)
    for kind, seg, per_token, lines, head in found.multi:
        some, some_bits = name.with_pair(seg[0][0] + seg[1][0])
        some = set(some)
        for k in range(1, len(seg) - 1):
            more, more_bits = name.with_pair(seg[k][0] + seg[k + 1][0])
            some &= more
            some_bits &= more_bits
        for tok, chars in zip(seg, per_token, strict=True):
            if len(tok) > 1:      # one letter: the pairs already say as much
                some &= name.with_chars(chars)
                some_bits &= name.char_items(chars)
        heads = name.within(head, some & name.first_chars(per_token[0]),
                            some_bits & name.first_items(per_token[0]))
        add(bands, NAME_PINYIN[kind, True], heads)
        add(bands, NAME_PINYIN[kind, False], name.within(lines, some, some_bits) & ~heads)


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
    top: at level v, the items whose every piece reached v. Once `limit` items are placed,
    the rest go in one band below: they could never reach the page (every item on it has a
    band at least as high)."""
    levels = sorted(set().union(*[b.keys() for b in per_piece]), reverse=True)
    reached = [0 for _ in per_piece]
    assigned = 0
    placed = 0
    out: Bands = {}
    for k, v in enumerate(levels):
        if limit is not None and placed >= limit and k < len(levels) - 1:
            rest = _every(bits.union(b.values()) for b in per_piece) & ~assigned
            if rest:
                out[v - 1] = rest
            break
        for i, b in enumerate(per_piece):
            if v in b:
                reached[i] |= b[v]
        now = _every(reached) & ~assigned
        if now:
            out[v - 1] = now
            assigned |= now
            placed += now.bit_count()
    return out


def _every(sets: Iterable[int]) -> int:
    out = -1
    for b in sets:
        out &= b
        if not out:
            return 0
    return out if out >= 0 else 0


def merge(into: Bands, other: Bands) -> None:
    """Add `other`'s bands to `into`."""
    for band, ids in other.items():
        into[band] = into.get(band, 0) | ids


def top(bands: Bands, limit: int, also: int = 0) -> tuple[list[tuple[int, float]], int]:
    """The best `limit` (item, band) pairs and how many items were found in all (`also`:
    more items found that are not in `bands`). While the list is not full every item of the
    higher bands is in it, so a band's new items are its bits less those bands'."""
    best: list[tuple[int, float]] = []
    taken = 0
    for band in sorted(bands, reverse=True):
        need = limit - len(best)
        if need <= 0:
            break
        ids = bands[band]
        best += [(i, band) for i in bits.lowest(ids & ~taken, need)]
        taken |= ids
    return best, (bits.union(bands.values()) | also).bit_count()
