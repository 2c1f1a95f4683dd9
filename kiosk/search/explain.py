"""What matched in one hit, with the character spans to highlight.

Computed only for the hits a screen shows (the best 30), never for every item found: the
band lookup says *that* an item matched; this says *where*, by matching again in its texts.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from kiosk.catalog.catalog import ItemSummary
from kiosk.search.bands import Piece
from kiosk.search.data import IndexData
from kiosk.search.normalize import fold
from kiosk.search.pinyin import Kind, match_line
from kiosk.search.results import FIELD_ORDER, Field, Match, merge_spans, occurrences

Found = dict[tuple[Field, str], list[tuple[int, int]]]


@lru_cache(maxsize=4096)
def _texts(s: ItemSummary) -> tuple[tuple[Field, str, str], ...]:
    """(field, text, normalised text) of every searchable text of an item."""
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


def _note(found: Found, fld: Field, text: str, spans: list[tuple[int, int]]) -> None:
    if spans:
        found.setdefault((fld, text), []).extend(spans)


def _literal(s: ItemSummary, piece: Piece, found: Found) -> None:
    q = piece.text
    for fld, text, norm in _texts(s):
        if q in norm:
            _note(found, fld, text, occurrences(norm, q))


def _synonyms(s: ItemSummary, means: Iterable[str], found: Found) -> None:
    name = fold(s.name)
    for m in means:
        _note(found, "synonym", s.name, occurrences(name, m))
        for a in s.aliases:
            _note(found, "synonym", a, occurrences(fold(a), m))


def _pinyin(data: IndexData, s: ItemSummary, piece: Piece, found: Found) -> None:
    lm = match_line(fold(s.name), piece.text)
    if lm is not None:
        fld: Field = "initials" if lm.kind == Kind.INITIALS else "pinyin"
        _note(found, fld, s.name, [(lm.start, lm.end)])
    terms: list[tuple[Field, str]] = [("short_name", s.short_name)] if s.short_name else []
    terms += [("alias", a) for a in s.aliases]
    terms += [("keyword", k) for k in (*s.keywords, *s.themes, *s.life_events)]
    for fld, text in terms:
        line = data.term_index.get(fold(text))
        if line is not None and line in piece.py_terms:
            tm = match_line(fold(text), piece.text)
            if tm is not None:
                _note(found, fld, text, [(tm.start, tm.end)])
    _synonyms(s, dict.fromkeys(piece.py_synonym_means), found)


def matches_for(data: IndexData, s: ItemSummary, pieces: Iterable[Piece]) -> list[Match]:
    found: Found = {}
    for piece in pieces:
        _literal(s, piece, found)
        _synonyms(s, (m for _, means in piece.synonyms for m in means), found)
        if piece.latin:
            _pinyin(data, s, piece, found)
    order = {f: i for i, f in enumerate(FIELD_ORDER)}
    keys = sorted(found, key=lambda k: order[k[0]])
    return [Match(fld, text, merge_spans(found[fld, text])) for fld, text in keys]
