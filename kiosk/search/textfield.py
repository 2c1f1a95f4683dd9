"""Substring lookup in one field of every item (names, aliases, materials …).

Why distinct texts: a county catalog repeats itself — the same 16 village items in 657
villages, 居民身份证 in nearly every item's materials. Each distinct (normalised) text is stored
once with the sorted ids of the items that carry it, so a lookup costs in distinct texts, not
in items. One-character queries (the commonest on a touchscreen, and the case SQLite's trigram
index cannot serve) read a per-character posting list; longer ones run str.find over one
joined buffer, which is C speed.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.search.normalize import fold


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
        self._chars: dict[str, list[int]] = {}
        self._first: dict[str, list[int]] = {}
        for tid, t in enumerate(self.texts):
            self._first.setdefault(t[0], []).append(tid)
            for c in set(t):
                self._chars.setdefault(c, []).append(tid)

    def __len__(self) -> int:
        return len(self.texts)

    def text_id(self, text: str) -> int | None:
        """The id of a normalised text present exactly, else None."""
        return self._index.get(text)

    def find(self, q: str) -> list[int]:
        """Ids of the distinct texts containing normalised `q`, ascending. Candidates are
        the texts holding q's rarest character; `in` (C) checks each."""
        if not q:
            return []
        if len(q) == 1:
            return self._chars.get(q, [])
        shortest: list[int] | None = None
        for c in set(q):
            posting = self._chars.get(c)
            if posting is None:
                return []
            if shortest is None or len(posting) < len(shortest):
                shortest = posting
        texts = self.texts
        return [t for t in shortest or () if q in texts[t]]

    def starting_with(self, q: str) -> list[int]:
        """Ids of the distinct texts that begin with normalised `q`."""
        if not q:
            return []
        texts = self.texts
        return [t for t in self._first.get(q[0], ()) if texts[t].startswith(q)]

    def items_of(self, tids: Iterable[int]) -> set[int]:
        """Every item carrying any of these texts."""
        return set().union(*[self.items[t] for t in tids])
