"""Substring lookup in one field of every item (names, aliases, materials …).

Why distinct texts: a county catalog repeats itself — the same 16 village items in 657
villages, 居民身份证 in nearly every item's materials. Each distinct (normalised) text is stored
once with the sorted ids of the items that carry it, so a lookup costs in distinct texts, not
in items. One-character queries (the commonest on a touchscreen, and the case SQLite's trigram
index cannot serve) read a per-character posting list; longer ones run str.find over one
joined buffer, which is C speed.

What a lookup gives is the set of items as bits (kiosk.search.bits). Texts carried by many
items keep theirs ready (built once); the few-item rest is gathered per query. In a field of
one text per item (the name) the texts' item sets are disjoint, so the items of every text
holding a character are kept too, and a lookup that matches most of them is that set minus the
few that do not match: 申请 is most of the names holding 申.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from itertools import pairwise, repeat

from kiosk.search import bits
from kiosk.search.normalize import fold

BIG = 64             # a text carried by this many items keeps its item bits ready
FEW = 2000           # gathering this many items one by one is cheaper than any detour


class TextField:
    """Distinct normalised texts of one field, with the items that carry each.
    `single`: every item has at most one text in this field (name, department)."""

    def __init__(self, pairs: Iterable[tuple[int, str]], single: bool = False) -> None:
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
        self._masks: list[int | None] = [bits.from_ids(ids) if len(ids) >= BIG else None
                                         for ids in self.items]
        # Items gathered one by one when a text has no ready bits (its cost in a lookup).
        self._loose = [0 if m is not None else len(ids)
                       for m, ids in zip(self._masks, self.items, strict=True)]
        self.single = single
        self._all = range(len(self.texts))
        self._all_bits = self._gather(self._all) if single else 0
        self._pairs: dict[str, set[int]] = {}
        self._pair_bits: dict[str, int] = {}
        self._char_bits: dict[str, int] = {}
        self._first_bits: dict[str, int] = {}
        if single:
            self._char_bits = {c: self._gather(t) for c, t in self._chars.items()}
            self._first_bits = {c: self._gather(t) for c, t in self._first.items()}

    def __len__(self) -> int:
        return len(self.texts)

    def text_id(self, text: str) -> int | None:
        """The id of a normalised text present exactly, else None."""
        return self._index.get(text)

    def bits_of(self, tid: int) -> int:
        """The items carrying text `tid`, as bits."""
        m = self._masks[tid]
        return m if m is not None else bits.from_ids(self.items[tid])

    def _rarest(self, q: str) -> list[int] | None:
        shortest: list[int] | None = None
        for c in set(q):
            posting = self._chars.get(c)
            if posting is None:
                return None
            if shortest is None or len(posting) < len(shortest):
                shortest = posting
        return shortest

    def find(self, q: str) -> list[int]:
        """Ids of the distinct texts containing normalised `q`, ascending. Candidates are
        the texts holding q's rarest character; `in` (C) checks each."""
        if not q:
            return []
        if len(q) == 1:
            return self._chars.get(q, [])
        texts = self.texts
        return [t for t in self._rarest(q) or () if q in texts[t]]

    def find_items(self, q: str) -> int:
        """The items whose text contains `q`, as bits (what find() gives, gathered)."""
        if not q:
            return 0
        if self.single:
            if len(q) == 1:
                return self._char_bits.get(q, 0)
            posting = self._rarest(q)
            if not posting:
                return 0
            c = next(c for c in q if self._chars[c] is posting)
            texts = self.texts
            return self.within([t for t in posting if q in texts[t]], posting,
                                self._char_bits[c])
        return self.items_of(self.find(q))

    def starting_with(self, q: str) -> list[int]:
        """Ids of the distinct texts that begin with normalised `q`."""
        if not q:
            return []
        texts = self.texts
        return [t for t in self._first.get(q[0], ()) if texts[t].startswith(q)]

    def starting_items(self, q: str) -> int:
        """The items whose text begins with `q`, as bits."""
        if not q:
            return 0
        tids = self.starting_with(q)
        if self.single:
            return self.within(tids, self._first.get(q[0], []), self._first_bits.get(q[0], 0))
        return self.items_of(tids)

    def index_pairs(self, letters: Callable[[str], Iterable[str]]) -> None:
        """Keep, for every two letters `ab`, the texts (and their items, as bits) where a
        character one of whose readings begins with a is followed by one beginning with b
        (single fields only: the name's pinyin lookup narrows to these, bands.py)."""
        found: dict[str, set[int]] = {}
        for tid, t in enumerate(self.texts):
            firsts = [set(letters(c)) for c in t]
            for a, b in pairwise(firsts):
                for x in a:
                    for y in b:
                        found.setdefault(x + y, set()).add(tid)
        self._pairs = found
        self._pair_bits = {ab: self._gather(tids) for ab, tids in found.items()}

    def with_pair(self, ab: str) -> tuple[set[int], int]:
        """Texts (ids) and items (bits) where letters `ab` follow each other (index_pairs)."""
        return self._pairs.get(ab, set()), self._pair_bits.get(ab, 0)

    def char_items(self, chars: Iterable[str]) -> int:
        """Items whose text holds any of these characters (single fields only)."""
        return bits.union(map(self._char_bits.get, chars, repeat(0)))

    def first_items(self, chars: Iterable[str]) -> int:
        """Items whose text begins with any of these characters (single fields only)."""
        return bits.union(map(self._first_bits.get, chars, repeat(0)))

    def with_chars(self, chars: Iterable[str]) -> set[int]:
        """Ids of the texts holding any of these characters."""
        return set().union(*map(self._chars.get, chars, repeat(())))

    def first_chars(self, chars: Iterable[str]) -> set[int]:
        """Ids of the texts beginning with any of these characters."""
        return set().union(*map(self._first.get, chars, repeat(())))

    def items_of(self, tids: Iterable[int]) -> int:
        """Every item carrying any of these texts, as bits."""
        if self.single:
            chosen = tids if isinstance(tids, (set, frozenset)) else set(tids)
            return self.within(chosen, self._all, self._all_bits)
        return self._gather(tids)

    def within(self, tids: Collection[int],
               universe: Collection[int], universe_bits: int) -> int:
        """Items of `tids`, a subset of the texts `universe` whose items are
        `universe_bits` (single fields only): gathered, or the universe minus the items of
        the texts left out, whichever gathers fewer items one by one."""
        if len(tids) == len(universe):
            return universe_bits
        if not tids:
            return 0
        loose = self._loose
        cost = sum(map(loose.__getitem__, tids))
        if cost <= FEW or 2 * cost <= sum(map(loose.__getitem__, universe)):
            return self._gather(tids)
        inside = tids if isinstance(tids, (set, frozenset)) else set(tids)
        return universe_bits ^ self._gather([t for t in universe if t not in inside])

    def _gather(self, tids: Iterable[int]) -> int:
        out = 0
        loose: list[int] = []
        masks = self._masks
        items = self.items
        for t in tids:
            m = masks[t]
            if m is None:
                loose += items[t]
            else:
                out |= m
        return out | bits.from_ids(loose) if loose else out
