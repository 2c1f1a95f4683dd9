"""Pinyin and initials lookup over many Chinese texts ("lines": distinct names, or terms).

How it stays fast in pure Python:
- one token ("g", "gao", "zh"): the characters it can stand for are looked up once per
  token, and the lines containing any of them come from per-character posting lists (a set
  union in C);
- several tokens ("gljt", "gaoling"): every character position of all lines (joined with a
  separator) is one bit of a Python big integer. bits(token) has bit p set when the
  character at p can stand for the token. Positions where token 1, token 2 … follow each
  other are `bits(t1) & bits(t2) >> 1 & bits(t3) >> 2 …`: a few C-speed operations on
  integers of a few tens of kilobytes, and exactly the hits, so nothing is verified
  afterwards. Initial-letter integers are built at start; full-syllable ones on first use
  (then kept in a small cache).
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from threading import Lock

from kiosk.search.pinyin import (
    Kind,
    bit_positions,
    bits_from_positions,
    exact_token,
    readings,
    segmentations,
)

SEP = "\x00"
TOKEN_CACHE_BYTES = 16_000_000


@dataclass(frozen=True, order=True)
class LineHit:
    """How letters matched one line (ordered: better compares greater)."""

    kind: Kind
    at_start: bool      # the match begins the line
    whole: bool         # the match covers the whole line


class PinyinIndex:
    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        self._starts: list[int] = []
        self._owner = array("I")            # position → line (a lookup, not a bisect, per hit)
        pos = 0
        for lid, line in enumerate(self.lines):
            self._starts.append(pos)
            pos += len(line) + 1
            self._owner.extend(repeat(lid, len(line) + 1))
        self._size = pos
        self._buf = SEP.join(self.lines) + SEP
        self._char_pos: dict[str, array[int]] = {}
        self._char_lines: dict[str, list[int]] = {}
        self._first_lines: dict[str, list[int]] = {}
        self._index_chars()
        self._by_reading: dict[str, list[str]] = {}
        for c in self._char_pos:
            for r in readings(c):
                self._by_reading.setdefault(r, []).append(c)
        self._charsets: dict[tuple[str, bool], tuple[str, ...]] = {}
        self._bits: OrderedDict[tuple[str, bool], int] = OrderedDict()
        self._lock = Lock()                  # searches may come from several threads
        self._max_bits = max(32, TOKEN_CACHE_BYTES // max(self._size // 8, 1))
        self._heads = bits_from_positions((s for s, ln in zip(self._starts, self.lines,
                                                              strict=True) if ln), self._size)
        for letter in "abcdefghjklmnopqrstwxyz":   # the commonest tokens: ready before use
            self._token_bits(letter, False)

    def _index_chars(self) -> None:
        for lid, line in enumerate(self.lines):
            if line:
                self._first_lines.setdefault(line[0], []).append(lid)
            for c in set(line):
                self._char_lines.setdefault(c, []).append(lid)
        for p, c in enumerate(self._buf):
            if c != SEP and c in self._char_lines:
                found = self._char_pos.get(c)
                if found is None:
                    found = self._char_pos[c] = array("I")
                found.append(p)
        # Characters no reading can match never need positions.
        for c in [c for c in self._char_pos if not readings(c)]:
            del self._char_pos[c]

    def __len__(self) -> int:
        return len(self.lines)

    def chars_for(self, token: str, exact: bool) -> tuple[str, ...]:
        """Characters of these lines that can stand for `token`."""
        key = (token, exact)
        found = self._charsets.get(key)
        if found is None:
            if exact:
                found = tuple(self._by_reading.get(token, ()))
            else:
                found = tuple({c for r, cs in self._by_reading.items() if r.startswith(token)
                               for c in cs})
            if len(self._charsets) > 4096:
                self._charsets.clear()
            self._charsets[key] = found
        return found

    def _token_bits(self, token: str, exact: bool) -> int:
        key = (token, exact)
        with self._lock:
            b = self._bits.get(key)
            if b is not None:
                self._bits.move_to_end(key)
                return b
        chars = self.chars_for(token, exact)
        b = bits_from_positions((p for c in chars for p in self._char_pos[c]), self._size)
        with self._lock:
            self._bits[key] = b
            while len(self._bits) > self._max_bits:
                self._bits.popitem(last=False)
        return b

    def find(self, q: str, anchored: bool = False) -> Found:
        """Lines matching letters `q` (normalised a-z), grouped by how they matched.
        `anchored`: only matches that begin the line (word completion)."""
        found = Found(starts=self._starts)
        for seg, kind in segmentations(q):
            if len(seg) == 1:
                self._one_token(seg[0], kind, anchored, found)
            else:
                self._tokens(seg, kind, anchored, found)
        found.groups = {h: lines for h, lines in found.groups.items() if lines}
        return found

    def _one_token(self, token: str, kind: Kind, anchored: bool, found: Found) -> None:
        chars = self.chars_for(token, False)
        found.one_token.append((kind, frozenset(chars)))
        heads: set[int] = set().union(*[self._first_lines.get(c, ()) for c in chars])
        single = {lid for lid in heads if len(self.lines[lid]) == 1}
        found.add(LineHit(kind, True, True), single)
        found.add(LineHit(kind, True, False), heads - single)
        if not anchored:
            others: set[int] = set().union(*[self._char_lines[c] for c in chars])
            found.add(LineHit(kind, False, False), others - heads)

    def _tokens(self, seg: tuple[str, ...], kind: Kind, anchored: bool, found: Found) -> None:
        last = len(seg) - 1
        b = -1
        for k, tok in enumerate(seg):
            b &= self._token_bits(tok, exact_token(tok, k == last)) >> k
            if not b:
                return
        if anchored:
            b &= self._heads
        n = len(seg)
        found.segs.append((kind, n, b))
        # Positions → lines with map() over the position→line array: no Python-level loop.
        lids = set(map(self._owner.__getitem__, bit_positions(b)))
        head = set(map(self._owner.__getitem__, bit_positions(b & self._heads)))
        found.multi.append((kind, seg, [self.chars_for(tok, exact_token(tok, k == last))
                                        for k, tok in enumerate(seg)], lids, head))
        whole = {lid for lid in head if len(self.lines[lid]) == n}
        found.add(LineHit(kind, False, False), lids - head)
        found.add(LineHit(kind, True, False), head - whole)
        found.add(LineHit(kind, True, True), whole)


@dataclass
class Found:
    """What a pinyin lookup found: lines grouped by how they matched (a line may be in
    several groups; callers keep its best), and where, for highlighting."""

    groups: dict[LineHit, set[int]] = field(default_factory=dict)
    starts: Sequence[int] = ()
    segs: list[tuple[Kind, int, int]] = field(default_factory=list)   # kind, tokens, bits
    one_token: list[tuple[Kind, frozenset[str]]] = field(default_factory=list)
    # Readings of two tokens or more: kind, the tokens, the characters each can stand for,
    # the lines matched, the lines the match begins (what items a name's match gives:
    # bands.py).
    multi: list[tuple[Kind, tuple[str, ...], list[tuple[str, ...]], set[int], set[int]]] = \
        field(default_factory=list)

    def add(self, hit: LineHit, lines: set[int]) -> None:
        if lines:
            self.groups.setdefault(hit, set()).update(lines)

    def lines(self) -> set[int]:
        return set().union(*self.groups.values())

    def span_in(self, line: int, text: str) -> tuple[Kind, int, int] | None:
        """Best (kind, start, end) of the match in this line (`text` is the line): better
        kind, then the reading covering more characters (zdsh: 最低生活 as four initials,
        not 最低生 with sh for 生), then the earliest."""
        best: tuple[Kind, int, int] | None = None
        start = self.starts[line]
        window_mask = (1 << len(text)) - 1
        for kind, n, bits in self.segs:
            window = (bits >> start) & window_mask
            if window:
                off = (window & -window).bit_length() - 1
                best = _better(best, (kind, off, off + n))
        for kind, chars in self.one_token:
            at = next((i for i, c in enumerate(text) if c in chars), -1)
            if at >= 0:
                best = _better(best, (kind, at, at + 1))
        return best


def _better(old: tuple[Kind, int, int] | None,
            new: tuple[Kind, int, int]) -> tuple[Kind, int, int]:
    if old is None:
        return new
    key_old = (old[0], old[2] - old[1], -old[1])
    key_new = (new[0], new[2] - new[1], -new[1])
    return new if key_new > key_old else old
