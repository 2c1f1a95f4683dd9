"""What matched in one hit, with the character spans to highlight.

Computed only for the hits a screen shows (the best 30), never for every item found: the
band lookup says *that* an item matched; this says *where*, by matching again in its texts.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.catalog.catalog import ItemSummary
from kiosk.search.bands import MIN_LOW_FIELD, Piece
from kiosk.search.data import IndexData
from kiosk.search.normalize import fold
from kiosk.search.pinyin import Kind
from kiosk.search.pyindex import Found
from kiosk.search.results import (
    FIELD_ORDER,
    Because,
    Field,
    Match,
    merge_spans,
    occurrences,
)

Spans = dict[tuple[Field, str], list[tuple[int, int]]]
Texts = tuple[tuple[Field, str, str], ...]
EXPLAIN_CACHE = 4096
LOW_FIELDS = frozenset(("material", "department", "step"))


def _texts(s: ItemSummary) -> tuple[tuple[Field, str, str], ...]:
    """(field, text, normalised text) of every searchable text of an item (fold is
    cached, so this is cheap even for the same material in every item)."""
    out: list[tuple[Field, str]] = [("name", s.name)]
    if s.short_name:
        out.append(("short_name", s.short_name))
    out += [("alias", a) for a in s.aliases]
    out += [("keyword", k) for k in (*s.keywords, *s.themes, *s.life_events)]
    out += [("material", m) for m in s.materials]
    if s.department:
        out.append(("department", s.department))
    out += [("step", st) for st in s.steps]
    return tuple((f, t, fold(t)) for f, t in out)


def _note(found: Spans, fld: Field, text: str, spans: list[tuple[int, int]]) -> None:
    if spans:
        found.setdefault((fld, text), []).extend(spans)


def _literal(texts: Texts, joined: str, piece: Piece, found: Spans) -> None:
    q = piece.text
    if q not in joined:
        return
    short = len(q) < MIN_LOW_FIELD or bool(piece.via)   # meanings: not in materials …
    for fld, text, norm in texts:
        if short and fld in LOW_FIELDS:
            continue
        if q in norm:
            _note(found, "colloquial" if piece.via else fld, text, occurrences(norm, q))


def _synonyms(s: ItemSummary, means: Iterable[str], found: Spans) -> None:
    name = fold(s.name)
    for m in means:
        _note(found, "synonym", s.name, occurrences(name, m))
        for a in s.aliases:
            _note(found, "synonym", a, occurrences(fold(a), m))


def _span(found: Found | None, line: int | None, text: str) -> tuple[Kind, int, int] | None:
    if found is None or line is None:
        return None
    return found.span_in(line, text)


def _pinyin(data: IndexData, s: ItemSummary, texts: Texts, piece: Piece,
            found: Spans) -> None:
    name = fold(s.name)
    noted = False
    sp = _span(piece.names_found, data.name.text_id(name), name)
    if sp is not None:
        fld: Field = "initials" if sp[0] == Kind.INITIALS else "pinyin"
        _note(found, fld, s.name, [(sp[1], sp[2])])
        noted = True
    for fld, text, norm in texts:
        if fld in ("short_name", "alias", "keyword"):
            tsp = _span(piece.terms_found, data.term_index.get(norm), norm)
            if tsp is not None:
                _note(found, fld, text, [(tsp[1], tsp[2])])
                noted = True
    _synonyms(s, dict.fromkeys(piece.py_synonym_whole), found)
    if not noted:
        # Letters that only begin a colloquial term (dib… for 低保): show what it stands
        # for, but not when the letters already matched something more precise.
        _synonyms(s, dict.fromkeys(piece.py_synonym_part), found)


def _item_texts(data: IndexData, item: int) -> tuple[Texts, str]:
    """An item's texts and all of them joined (one `in` rules out a piece), kept for the
    items shown recently: typing refines a query, so the same hits come back keystroke
    after keystroke."""
    cache = data.explain_cache
    got = cache.get(item)
    if got is None:
        texts = _texts(data.items[item])
        got = (texts, "\x00".join(norm for _, _, norm in texts))
        if len(cache) >= EXPLAIN_CACHE:
            cache.clear()
        cache[item] = got
    return got


def matches_for(data: IndexData, item: int, pieces: Iterable[Piece]
                ) -> tuple[list[Match], Because | None]:
    """What matched in item `item` (an id of data.items), fields in FIELD_ORDER; and, when
    it matched only through colloquial words, why it came up."""
    s = data.items[item]
    found: Spans = {}
    texts, joined = _item_texts(data, item)
    pieces = list(pieces)
    for piece in pieces:
        _literal(texts, joined, piece, found)
        _synonyms(s, (m for _, means in piece.synonyms for m in means), found)
        if piece.latin:
            _pinyin(data, s, texts, piece, found)
    order = {f: i for i, f in enumerate(FIELD_ORDER)}
    keys = sorted(found, key=lambda k: order[k[0]])
    matches = [Match(fld, text, merge_spans(found[fld, text])) for fld, text in keys]
    if any(m.field not in ("colloquial", "synonym") for m in matches):
        # What was typed matched: light that, not what a colloquial word also means.
        return [m for m in matches if m.field != "colloquial"], None
    return matches, _because(s, texts, pieces, matches)


def _because(s: ItemSummary, texts: Texts, pieces: list[Piece], matches: list[Match]
             ) -> Because | None:
    """过世 → 注销户口: the colloquial word and the item's shortest own title (short name,
    alias or name; else a keyword) holding its meaning — only when nothing the citizen
    typed matched."""
    if not matches or any(m.field not in ("colloquial", "synonym") for m in matches):
        return None
    titles = sorted(((t, n) for f, t, n in texts if f in ("name", "short_name", "alias")),
                    key=lambda tn: len(tn[0]))
    titles += [(t, n) for f, t, n in texts if f == "keyword"]   # 独生子女死亡
    for piece in pieces:
        pairs = [(piece.via, piece.text)] if piece.via else \
            [(term, m) for term, means in piece.synonyms for m in means]
        for word, meaning in pairs:
            for title, norm in titles:
                if meaning in norm:
                    return Because(word, title)
    return None
