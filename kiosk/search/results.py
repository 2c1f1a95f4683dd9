"""What a search returns: hits best first, what matched in each, and, when nothing matched,
suggestions (never an error: a citizen who finds nothing is offered a way on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from kiosk.catalog.catalog import Category, ItemSummary

Field = Literal["name", "short_name", "alias", "keyword", "synonym", "colloquial", "material",
                "department", "step", "pinyin", "initials"]

# Order in which a hit's matches are listed (and highlighted first).
FIELD_ORDER: tuple[Field, ...] = ("name", "short_name", "alias", "synonym", "colloquial",
                                  "pinyin", "initials", "keyword", "material", "department",
                                  "step")


@dataclass(frozen=True)
class Match:
    """One matched text of a hit. `spans` are [start, end) character offsets into `text` to
    highlight. For pinyin/initials matches `text` is the item's name and the spans cover the
    Chinese characters the letters stood for; for a synonym match, the phrase it stands for;
    for a colloquial match (the kiosk's lexicon: 过世 → 注销), the official word's place."""

    field: Field
    text: str
    spans: list[tuple[int, int]]

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "text": self.text, "spans": [list(s) for s in self.spans]}


@dataclass(frozen=True)
class Because:
    """Why a hit came up when it matched only through a colloquial word: the word the
    citizen used and the item's own text holding what it means ("过世" → "注销户口")."""

    word: str
    means: str

    def line(self) -> str:
        return f"因为：{self.word} → {self.means}"


@dataclass(frozen=True)
class Hit:
    code: str
    name: str
    score: float
    matches: list[Match] = field(default_factory=list)
    because: Because | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "name": self.name, "score": self.score,
                               "matches": [m.to_json() for m in self.matches]}
        if self.because is not None:
            out["because"] = {"word": self.because.word, "means": self.because.means}
        return out


@dataclass(frozen=True)
class Suggestions:
    """Offered when a search finds nothing (or nothing was typed yet): the items closest to
    what was typed ("您是不是要找：…"), when there are any, then popular items and categories."""

    message: str
    popular: list[ItemSummary]
    categories: list[Category]
    closest: list[ItemSummary] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message,
                "closest": [{"code": s.code, "name": s.name} for s in self.closest],
                "popular": [{"code": s.code, "name": s.name} for s in self.popular],
                "categories": [{"kind": c.kind, "name": c.name, "count": c.count}
                               for c in self.categories]}


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    suggestions: Suggestions | None = None

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total,
                "hits": [h.to_json() for h in self.hits],
                "suggestions": self.suggestions.to_json() if self.suggestions else None}


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, with overlapping or touching spans joined (one highlight per run)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def occurrences(text: str, q: str) -> list[tuple[int, int]]:
    """Non-overlapping [start, end) spans of `q` in `text` (both normalised)."""
    out: list[tuple[int, int]] = []
    if not q:
        return out
    pos = text.find(q)
    while pos >= 0:
        out.append((pos, pos + len(q)))
        pos = text.find(q, pos + len(q))
    return out
