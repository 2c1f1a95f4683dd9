"""Candidate words for the on-screen keyboard's candidate bar: `gl` → 高龄, 公路 ….

The dictionary is the catalog's own vocabulary: short names, aliases, synonym terms, keywords,
categories and departments (curated, so they rank high), plus the 2–4-character runs that
recur in names (高龄, 津贴, 残疾人 …) and single characters. Only words the catalog knows are
offered, so a tapped candidate always finds something.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable

from kiosk.catalog.catalog import ItemSummary
from kiosk.search.normalize import fold, normalize_query
from kiosk.search.pinyin import Kind
from kiosk.search.pyindex import LineHit, PinyinIndex

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_TRAILING_LATIN = re.compile(r"[a-z]+$")
CURATED = 1_000_000          # curated terms outrank any mined n-gram
NGRAM_NAMES = 5000           # n-grams are mined from the most asked-for distinct names
MIN_NGRAM_COUNT = 2


def _curated(items: Iterable[ItemSummary], synonym_terms: Iterable[str]) -> Counter[str]:
    weights: Counter[str] = Counter()
    for s in items:
        for t in (s.short_name, *s.aliases, *s.keywords, *s.themes, *s.life_events,
                  s.department):
            if t and _CJK_RUN.search(t):
                weights[fold(t)] += 1
    for t in synonym_terms:
        weights[fold(t)] += 1
    for t in weights:
        weights[t] += CURATED
    return weights


def _mined(items: list[ItemSummary]) -> Counter[str]:
    """Characters and 2–4-character runs of names, counted over items (3–4-character runs
    only when they recur: one-off runs are mostly two words cut in half)."""
    per_name: Counter[str] = Counter(fold(s.name) for s in items)
    grams: Counter[str] = Counter()
    for name, n in per_name.most_common(NGRAM_NAMES):
        seen: set[str] = set()
        for run in _CJK_RUN.findall(name):
            for size in range(1, 5):
                seen.update(run[i:i + size] for i in range(len(run) - size + 1))
        for g in seen:
            grams[g] += n
    return Counter({g: c for g, c in grams.items() if c >= MIN_NGRAM_COUNT or len(g) <= 2})


class Completer:
    """Words matching typed pinyin/initials (anchored at the word's start) or a typed
    Chinese prefix."""

    def __init__(self, items: list[ItemSummary], synonym_terms: Iterable[str]) -> None:
        weights = _mined(items)
        weights.update(_curated(items, synonym_terms))
        self._weights = weights
        self._words = sorted(weights)
        self._py = PinyinIndex(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def words(self) -> list[str]:
        """Every word it can offer (sorted)."""
        return self._words

    def complete(self, prefix: str, limit: int = 8) -> list[str]:
        text = normalize_query(prefix)
        if not text or limit <= 0:
            return []
        latin = _TRAILING_LATIN.search(text)
        if latin:
            return self._by_pinyin(latin.group(), limit)
        return self._by_prefix(text, limit)

    def _by_pinyin(self, letters: str, limit: int) -> list[str]:
        best: dict[int, LineHit] = {}
        for hit, lines in self._py.find(letters, anchored=True).groups.items():
            for line in lines:
                old = best.get(line)
                if old is None or hit > old:
                    best[line] = hit
        single = len(letters) == 1
        ranked = []
        for line, hit in best.items():
            word = self._words[line]
            # One letter says little: offer words before single characters. Longer input:
            # words the letters spell completely first (gl → 高龄 before 高龄津贴).
            first = (len(word) == 1) if single else (not hit.whole)
            ranked.append((first, -int(hit.kind == Kind.FULL), -self._weights[word], len(word),
                           word))
        ranked.sort()
        return [r[-1] for r in ranked[:limit]]

    def _by_prefix(self, text: str, limit: int) -> list[str]:
        i = bisect_left(self._words, text)
        found: list[str] = []
        while i < len(self._words) and self._words[i].startswith(text):
            if self._words[i] != text:
                found.append(self._words[i])
            i += 1
        found.sort(key=lambda w: (-self._weights[w], len(w), w))
        return found[:limit]
