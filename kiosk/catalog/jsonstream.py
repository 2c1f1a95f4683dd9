"""A catalog file read as a stream: the top-level keys one by one, then each item of `items`
on its own, so memory stays bounded by one item (not the whole document) at 100,000 items.

Why not `json.loads`: it builds the whole document first — 306 MB peak at a county's 10,847
items, 2.4 GB at 100,000 — and a 200 MB malformed export could get a kiosk killed for memory
before a single problem was reported. Here the file is read in 1 MiB chunks, decoded as UTF-8
incrementally (a bad byte is named by line and byte), and each top-level value and each item
is decoded by the standard library's C scanner (`JSONDecoder.raw_decode`) from the buffer.

Limits are checked before any schema work: the file's size, the size of one item or one
top-level value, the number of items, and the length of a number (Python refuses integers of
more than 4,300 digits with a ValueError that is no JSON error). Anything that stops reading is
a `StreamStop` with one plain problem line; repeated keys are reported and reading goes on.

Only `\\u` escapes can put a lone surrogate or a control character into a JSON string (raw
control characters are a syntax error, raw surrogates are not UTF-8), so an item's raw text is
searched for them and only a match walks the item (`suspicious`).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kiosk.catalog.jsontext import paths_of
from kiosk.errors import CatalogError

CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What a catalog file may be, checked before its content is validated."""

    file_bytes: int = 1 << 30          # 1 GiB: 100,000 generated items are ~510 MB
    items: int = 200_000               # a county publishes ~10,000; the kiosk is tested at 100k
    item_chars: int = 1 << 20          # one item's JSON text (a typical one is ~5 KB)
    head_chars: int = 16 << 20         # one top-level value other than items (synonyms…)
    number_digits: int = 30            # popularity and friends fit in 19


LIMITS = Limits()

# \u0000-\u00ff (controls, C1), \ud800-\udfff (surrogates, paired or not), \b, \f, raw C1
_SUSPICIOUS = re.compile(r"\\u00[0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}|\\[bf]|[\x7f-\x9f]")
_WS = " \t\n\r"


class StreamStop(Exception):
    """Reading cannot go on; `problem` says where and why, in the validator's words."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class _NumberTooLong(ValueError):
    pass


class _NotFinite(ValueError):
    pass


def _parse_int(limit: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if len(text.lstrip("-")) > limit:
            raise _NumberTooLong(f"a number of {len(text.lstrip('-'))} digits (at most "
                                 f"{limit} are allowed)")
        return int(text)
    return parse


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(f"the number {text[:30]} is too large")
    return value


def _parse_constant(name: str) -> float:
    raise _NotFinite(f"{name} is not a number JSON allows")


@dataclass
class Item:
    """One item as read: its index, the decoded object, and whether its raw text holds a
    `\\u` escape or a C1 character worth a closer look (surrogates, control characters)."""

    index: int
    value: Any
    suspicious: bool


class CatalogStream:
    """Iterate `events()`: ('key', name, value) for each top-level key, ('item', Item) for
    each item (then ('key', 'items', []) once the list has ended), ('problem', text) for a
    repeated key. Raises StreamStop. After the
    iteration, `sha256` is the file's digest and `items` the count read."""

    def __init__(self, path: Path, limits: Limits = LIMITS, *, check_repeats: bool = True
                 ) -> None:
        self.path = path
        self.limits = limits
        self.items = 0
        self.sha256 = ""
        self._repeats: list[tuple[dict[str, Any], list[str]]] = []
        self._decoder = json.JSONDecoder(
            object_pairs_hook=self._pairs if check_repeats else None,
            parse_int=_parse_int(limits.number_digits), parse_float=_parse_float,
            parse_constant=_parse_constant)
        self._buf = ""
        self._pos = 0
        self._lines = 0          # newlines in the text dropped from the buffer so far
        self._col0 = 0           # characters after the last of them, before the buffer
        self._bytes = 0          # bytes read so far
        self._eof = False
        self._file: BinaryIO | None = None
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")()
        self._digest = hashlib.sha256()
        self._raw_lines = 0      # newlines in the bytes read so far (for a bad byte's line)

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            keys = [k for k, _ in pairs]
            self._repeats.append((obj, [k for k in obj if keys.count(k) > 1]))
        return obj

    # -- reading -----------------------------------------------------------------------------

    def _open(self) -> BinaryIO:
        try:
            size = self.path.stat().st_size
            if size > self.limits.file_bytes:
                raise StreamStop(f"(top level): the file is {size / 2**20:.0f} MiB; a catalog "
                                 f"may be at most {self.limits.file_bytes / 2**20:.0f} MiB")
            return self.path.open("rb")
        except OSError as e:
            raise CatalogError(f"{self.path}: cannot read the catalog file ({e.strerror})"
                               ) from e

    def _more(self) -> bool:
        """Append the next chunk to the buffer (dropping what was consumed); False at EOF."""
        if self._eof:
            return False
        assert self._file is not None
        if self._pos:
            dropped = self._buf[:self._pos]
            newlines = dropped.count("\n")
            self._lines += newlines
            self._col0 = (len(dropped) - dropped.rfind("\n") - 1 if newlines
                          else self._col0 + len(dropped))
            self._buf = self._buf[self._pos:]
            self._pos = 0
        try:
            data = self._file.read(CHUNK)
        except OSError as e:
            raise CatalogError(f"{self.path}: cannot read the catalog file ({e.strerror})"
                               ) from e
        self._bytes += len(data)
        if self._bytes > self.limits.file_bytes:     # grew while being read
            raise StreamStop(f"(top level): the file is larger than "
                             f"{self.limits.file_bytes / 2**20:.0f} MiB")
        self._digest.update(data)
        try:
            text = self._utf8.decode(data, final=not data)
        except UnicodeDecodeError as e:
            pending = len(e.object) - len(data)
            at = self._bytes - len(data) - pending + e.start
            line = self._raw_lines + data.count(b"\n", 0, max(0, e.start - pending)) + 1
            raise StreamStop(f"line {line}, byte {at}: not UTF-8 text ({e.reason}); save the "
                             "file as UTF-8") from None
        self._raw_lines += data.count(b"\n")
        self._buf += text
        if not data:
            self._eof = True
        return True

    def _where(self, pos: int) -> str:
        line = self._lines + self._buf.count("\n", 0, pos) + 1
        nl = self._buf.rfind("\n", 0, pos)
        col = pos - nl if nl >= 0 else self._col0 + pos + 1
        return f"line {line}, column {col}"

    def _skip_ws(self) -> str:
        """The next non-blank character ('' at the end of the file), not consumed."""
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in _WS:
                pos += 1
            self._pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._more():
                return ""

    def _expect(self, chars: str, what: str) -> str:
        c = self._skip_ws()
        if not c or c not in chars:
            found = "the end of the file" if not c else repr(c)
            raise StreamStop(f"{self._where(self._pos)}: not valid JSON (expected {what}, "
                             f"found {found})")
        self._pos += 1
        return c

    def _value(self, limit: int, path: str) -> tuple[Any, int]:
        """Decode the JSON value at the buffer position: (value, its start)."""
        while True:
            start = self._pos
            try:
                value, end = self._decoder.raw_decode(self._buf, start)
            except json.JSONDecodeError as e:
                if self._grow(start, limit, path):
                    continue
                raise StreamStop(f"{self._where(e.pos)}: not valid JSON ({e.msg})") from None
            except _NumberTooLong as e:
                raise StreamStop(f"{path}: {e}") from None
            except _NotFinite as e:
                raise StreamStop(f"{path}: {e}") from None
            except RecursionError:
                raise StreamStop(f"{path}: nested too deeply to be a catalog") from None
            if end == len(self._buf) and self._grow(start, limit, path):
                continue                             # a number may go on in the next chunk
            self._pos = end
            return value, start

    def _grow(self, start: int, limit: int, path: str) -> bool:
        """Read more for a value that starts at `start`; False at the end of the file."""
        if len(self._buf) - start > limit:
            raise StreamStop(f"{path}: larger than {limit // 1024} KiB of JSON text; a "
                             "catalog entry is never that large")
        return self._more()

    # -- the document ------------------------------------------------------------------------

    def events(self) -> Iterator[tuple[Any, ...]]:
        self._file = self._open()
        try:
            yield from self._document()
            self.sha256 = self._digest.hexdigest()
        finally:
            self._file.close()

    def _document(self) -> Iterator[tuple[Any, ...]]:
        first = self._skip_ws()
        if first != "{":
            got = "an empty file" if not first else f"text starting {self._buf[self._pos:][:20]!r}"
            raise StreamStop(f"(top level): expected a JSON object (the catalog), got {got}")
        self._pos += 1
        seen: set[str] = set()
        if self._skip_ws() == "}":
            self._pos += 1
        else:
            while True:
                key = self._key()
                if key in seen:
                    yield ("problem", f"(top level): key '{key}' appears more than once; "
                                      "keep one")
                seen.add(key)
                if key == "items" and self._skip_ws() == "[":
                    self._pos += 1
                    yield from self._items()
                    yield ("key", "items", [])      # the list was there (items come above)
                else:
                    value, _ = self._value(self.limits.head_chars, key)
                    yield from self._repeat_problems(value, key)
                    yield ("key", key, value)
                if self._expect(",}", "',' or '}'") == "}":
                    break
        if self._skip_ws():
            raise StreamStop(f"{self._where(self._pos)}: not valid JSON (extra data after the "
                             "catalog)")

    def _key(self) -> str:
        if self._skip_ws() != '"':
            self._expect('"', "a key in double quotes")
        key, _ = self._value(1024, "(top level)")
        self._expect(":", "':'")
        self._skip_ws()
        return str(key)

    def _items(self) -> Iterator[tuple[Any, ...]]:
        if self._skip_ws() == "]":
            self._pos += 1
            return
        while True:
            path = f"items[{self.items}]"
            if self.items >= self.limits.items:
                raise StreamStop(f"items: more than {self.limits.items} items; a catalog for "
                                 "one kiosk is never that large")
            self._skip_ws()
            value, start = self._value(self.limits.item_chars, path)
            suspicious = _SUSPICIOUS.search(self._buf, start, self._pos) is not None
            yield from self._repeat_problems(value, path)
            yield ("item", Item(self.items, value, suspicious))
            self.items += 1
            if self._expect(",]", "',' or ']'") == "]":
                return

    def _repeat_problems(self, value: Any, path: str) -> Iterator[tuple[Any, ...]]:
        if not self._repeats:
            return
        found = paths_of(value, {id(obj) for obj, _ in self._repeats})
        for obj, keys in self._repeats:
            inner = found.get(id(obj), "?")
            where = path + ("" if inner == "(top level)" else
                            inner if inner.startswith("[") else f".{inner}")
            for k in keys:
                yield ("problem", f"{where}: key '{k}' appears more than once; keep one")
        self._repeats.clear()
