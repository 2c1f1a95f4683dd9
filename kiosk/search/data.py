"""The index's tables, built once from a Catalog and then only read.

Item ids are positions in `items`, which are sorted by the ranking's tie-break (most popular
first, then shorter name). So within one rank band a smaller id is always the better hit, and
"best 30 of a band" is "30 smallest ids" — no per-hit scoring or sorting by key at query time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kiosk.catalog.catalog import ItemSummary
from kiosk.search.normalize import fold
from kiosk.search.pinyin import readings
from kiosk.search.pyindex import PinyinIndex
from kiosk.search.results import Field
from kiosk.search.textfield import TextField


@dataclass(frozen=True)
class Synonym:
    """A colloquial term (低保) and the official phrases it stands for (最低生活保障)."""

    term: str                    # normalised
    means: tuple[str, ...]       # normalised
    items: int                   # items whose name or alias contains one of `means` (bits)


def rank_order(summaries: Iterable[ItemSummary]) -> list[ItemSummary]:
    return sorted(summaries, key=lambda s: (-s.popularity, len(s.name), s.name, s.code))


def _pairs(items: Sequence[ItemSummary], ids: Sequence[int],
           attr: str) -> list[tuple[int, str]]:
    """(item id, text) for one field. `ids` is one shared list of int objects, so the id
    tuples of every field point at the same 100,000 ints instead of making their own."""
    out: list[tuple[int, str]] = []
    for i, s in zip(ids, items, strict=True):
        value = getattr(s, attr)
        if isinstance(value, str):
            out.append((i, value))
        else:
            out.extend((i, v) for v in value)
    return out


class IndexData:
    """Per-field substring tables, pinyin over names and over catalog terms, synonyms."""

    def __init__(self, summaries: Iterable[ItemSummary],
                 synonyms: Iterable[tuple[str, Sequence[str]]]) -> None:
        self.items = rank_order(summaries)
        items = self.items
        ids = list(range(len(items)))

        def pairs(attr: str) -> list[tuple[int, str]]:
            return _pairs(items, ids, attr)

        self.name = TextField(pairs("name"), single=True)
        self.short = TextField(pairs("short_name"), single=True)
        self.alias = TextField(pairs("aliases"))
        self.keyword = TextField(pairs("keywords") + pairs("themes")
                                 + pairs("life_events"))
        self.material = TextField(pairs("materials"))
        self.department = TextField(pairs("department"), single=True)
        self.step = TextField(pairs("steps"))
        self.name_py = PinyinIndex(self.name.texts)
        self.name.index_pairs(lambda c: {r[0] for r in readings(c)})
        self.synonyms = [self._synonym(t, m) for t, m in synonyms if fold(t)]
        self._build_terms()
        # item → its texts for highlighting (explain.py); filled as hits are shown.
        self.explain_cache: dict[int, tuple[tuple[tuple[Field, str, str], ...], str]] = {}

    def _synonym(self, term: str, means: Sequence[str]) -> Synonym:
        norm = tuple(m for m in (fold(x) for x in means) if m)
        found = 0
        for m in norm:
            found |= self.name.find_items(m) | self.alias.find_items(m)
        return Synonym(fold(term), norm, found)

    def _build_terms(self) -> None:
        """Catalog terms a citizen may spell in pinyin: short names, aliases, synonym terms,
        keywords. One pinyin index over all of them; each term remembers its roles."""
        roles: dict[str, list[tuple[Field, int]]] = {}
        tables: tuple[tuple[Field, TextField], ...] = (
            ("short_name", self.short), ("alias", self.alias), ("keyword", self.keyword))
        for fld, table in tables:
            for tid, text in enumerate(table.texts):
                roles.setdefault(text, []).append((fld, table.bits_of(tid)))
        self.synonym_means: dict[str, tuple[str, ...]] = {}
        for syn in self.synonyms:
            roles.setdefault(syn.term, []).append(("synonym", syn.items))
            self.synonym_means[syn.term] = self.synonym_means.get(syn.term, ()) + syn.means
        self.term_lines = list(roles)
        self.term_roles = [roles[t] for t in self.term_lines]
        self.term_index = {t: i for i, t in enumerate(self.term_lines)}
        self.terms_py = PinyinIndex(self.term_lines)

    def __len__(self) -> int:
        return len(self.items)
