"""Sets of item ids as bits of a Python integer: bit i is set when item i is in the set.

Why: a query at 100,000 items combines sets found almost everywhere (申请 in every 申请表
name, 受理 in every item's steps). As Python sets, each union or intersection of two such
sets hashes ~100,000 ints (2–3 ms); as integers it is a word-wise AND/OR over 12.5 kB (a few
microseconds), and an integer is immutable, so a cached one can be shared freely. Counting
is int.bit_count(); the best N of a set are its lowest bits (ids are in rank order, data.py).

Building an integer from ids costs in the ids (a loop in Python), so the index builds the
big ones once (textfield.py) and a query builds only what is small.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable
from itertools import islice, repeat

from kiosk.search.pinyin import bit_positions

Bits = int
_DENSE = 5000        # from this many ids on, one byte per id and int(…, 2) is quicker
_WINDOW = 4096       # bits read at a time when looking for the lowest ids
_LOW = (1 << _WINDOW) - 1
_ONE = ord("1")


def from_ids(ids: Collection[int]) -> Bits:
    """The integer with exactly these bits set."""
    if not ids:
        return 0
    top = max(ids) + 1
    if len(ids) >= _DENSE:
        digits = bytearray(b"0") * top
        deque(map(digits.__setitem__, ids, repeat(_ONE)), 0)
        return int(digits[::-1], 2)
    packed = bytearray((top >> 3) + 1)
    for i in ids:
        packed[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(packed, "little")


def union(parts: Iterable[Bits]) -> Bits:
    out = 0
    for b in parts:
        out |= b
    return out


def ids_of(b: Bits) -> list[int]:
    """Every id in the set, ascending."""
    return bit_positions(b)


def lowest(b: Bits, k: int) -> list[int]:
    """The `k` smallest ids in the set, ascending (read a window of bits at a time: the
    best hits of a big band are found without writing out all of it)."""
    out: list[int] = []
    base = 0
    while b and len(out) < k:
        window = b & _LOW
        if window:
            out += islice((base + p for p in bit_positions(window)), k - len(out))
        b >>= _WINDOW
        base += _WINDOW
    return out
