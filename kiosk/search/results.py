"""What a search returns: hits best first, what matched in each, and, when nothing matched,
suggestions (never an error: a citizen who finds nothing is offered a way on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from kiosk.catalog.catalog import Category, ItemSummary

Field = Literal["name", "short_name", "alias", "keyword", "synonym", "material", "department",
                "step", "pinyin", "initials"]

# Order in which a hit's matches are listed (and highlighted first).
FIELD_ORDER: tuple[Field, ...] = ("name", "short_name", "alias", "synonym", "pinyin",
                                  "initials", "keyword", "material", "department", "step")


@dataclass(frozen=True)
class Match:
    """One matched text of a hit. `spans` are [start, end) character offsets into `text` to
    highlight. For pinyin/initials matches `text` is the item's name and the spans cover the
    Chinese characters the letters stood for; for a synonym match, the phrase it stands for."""

    field: Field
    text: str
    spans: list[tuple[int, int]]

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "text": self.text, "spans": [list(s) for s in self.spans]}


@dataclass(frozen=True)
class Hit:
    code: str
    name: str
    score: float
    matches: list[Match] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "score": self.score,
                "matches": [m.to_json() for m in self.matches]}


@dataclass(frozen=True)
class Suggestions:
    """Offered when a search finds nothing (or nothing was typed yet)."""

    message: str
    popular: list[ItemSummary]
    categories: list[Category]

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message,
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
