"""Substring lookup in one field of every item (names, aliases, materials …).

Why distinct texts: a county catalog repeats itself — the same 16 village items in 657
villages, 居民身份证 in nearly every item's materials. Each distinct (normalised) text is stored
once with the sorted ids of the items that carry it, so a lookup costs in distinct texts, not
in items. One-character queries (the commonest on a touchscreen, and the case SQLite's trigram
index cannot serve) read a per-character posting list; longer ones run str.find over one
joined buffer, which is C speed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from kiosk.search.normalize import fold

SEP = "\x00"


class TextField:
    """Distinct normalised texts of one field, with the items that carry each."""

    def __init__(self, pairs: Iterable[tuple[int, str]]) -> None:
        owners: dict[str, list[int]] = {}
        for item, text in pairs:
            if text:
                owners.setdefault(fold(text), []).append(item)
        self.texts: list[str] = list(owners)
        self.items: list[tuple[int, ...]] = [tuple(sorted(set(v))) for v in owners.values()]
        self._index = {t: i for i, t in enumerate(self.texts)}
        self._starts: list[int] = []
        pos = 0
        for t in self.texts:
            self._starts.append(pos)
            pos += len(t) + 1
        self._buf = SEP.join(self.texts)
        self._chars: dict[str, list[int]] = {}
        for tid, t in enumerate(self.texts):
            for c in set(t):
                self._chars.setdefault(c, []).append(tid)

    def __len__(self) -> int:
        return len(self.texts)

    def text_id(self, text: str) -> int | None:
        """The id of a normalised text present exactly, else None."""
        return self._index.get(text)

    def find(self, q: str) -> list[int]:
        """Ids of the distinct texts containing normalised `q`, ascending."""
        if not q or SEP in q:
            return []
        if len(q) == 1:
            return self._chars.get(q, [])
        out: list[int] = []
        starts = self._starts
        n = len(starts)
        buf = self._buf
        pos = buf.find(q)
        while pos >= 0:
            tid = bisect_right(starts, pos) - 1
            out.append(tid)
            if tid + 1 >= n:
                break
            pos = buf.find(q, starts[tid + 1])
        return out

    def items_of(self, tids: Iterable[int]) -> set[int]:
        """Every item carrying any of these texts."""
        return set().union(*[self.items[t] for t in tids])
