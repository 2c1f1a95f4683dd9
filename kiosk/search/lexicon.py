"""The colloquial lexicon: how citizens say what procedures call something else.

    lex = load_lexicon()                       # the one shipped (kiosk/search/colloquial.json)
    lex = load_lexicon([county_file])          # … plus a county's own groups, merged over it
    lex.entry("过世")   # Entry(word='过世', means=('死亡', '去世', '注销', '丧葬', '殡葬'), …)
    lex.is_filler("怎么办")

A county's file has the same format (docs/search-lexicon.md). Its groups are added to the
shipped ones; a word in both gets the union of their meanings and the county's weight. A bad
file is refused with its path and the group or word at fault, and the shipped lexicon stays.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kiosk.errors import CatalogError
from kiosk.search.normalize import fold

SHIPPED = Path(__file__).resolve().parent / "colloquial.json"
FORMAT = "township-kiosk-lexicon"

_DIGIT = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
_NUMERAL_RUN = re.compile(r"[零一二两三四五六七八九十百]+")


class LexiconError(CatalogError):
    """A lexicon file that cannot be used (the message names the file and the entry)."""


@dataclass(frozen=True)
class Entry:
    word: str                   # normalised colloquial word
    means: tuple[str, ...]      # normalised official terms it stands for
    weight: float               # how much the word counts in a query (0: not at all)
    group: str                  # the group's name, for explanations and tests


def _numeral_value(run: str) -> int | None:
    """八十 → 80, 十八 → 18, 一百 → 100, 九 → 9; None for what is not a plain number."""
    if run in ("十", "百"):
        return 10 if run == "十" else 100
    total, cur = 0, 0
    for ch in run:
        if ch in _DIGIT:
            cur = cur * 10 + _DIGIT[ch] if cur and ch != "零" else _DIGIT[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
    return total + cur


def digits(text: str) -> str:
    """Chinese numbers of two or more characters, or with 十/百, written in digits:
    八十多岁 → 80多岁, 六十岁 → 60岁, 十八岁 → 18岁 (三岁 stays: one digit is a word)."""
    def repl(m: re.Match[str]) -> str:
        run = m.group()
        if len(run) < 2 and run not in ("十", "百"):
            return run
        value = _numeral_value(run)
        return run if value is None else str(value)

    return _NUMERAL_RUN.sub(repl, text)


class Lexicon:
    def __init__(self, filler: Iterable[str], entries: Mapping[str, Entry]) -> None:
        self._filler = frozenset(fold(w) for w in filler if w)
        self._entries = dict(entries)

    def __len__(self) -> int:
        return len(self._entries)

    def is_filler(self, word: str) -> bool:
        return word in self._filler

    def entry(self, word: str) -> Entry | None:
        return self._entries.get(word)

    def words(self) -> list[str]:
        """Every colloquial word (normalised), for the segmenter's dictionary."""
        return list(self._entries)

    def filler(self) -> frozenset[str]:
        return self._filler

    def merged(self, other: Lexicon) -> Lexicon:
        entries = dict(self._entries)
        for word, e in other._entries.items():
            old = entries.get(word)
            means = tuple(dict.fromkeys((*old.means, *e.means))) if old else e.means
            entries[word] = Entry(word, means, e.weight, e.group)
        return Lexicon(self._filler | other._filler, entries)


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"{where}: must be a list of non-empty strings")
    return list(value)


def _group_entries(group: Any, where: str) -> list[Entry]:
    if not isinstance(group, dict):
        raise LexiconError(f"{where}: a group must be an object")
    name = group.get("name")
    if not isinstance(name, str) or not name:
        raise LexiconError(f"{where}: missing name")
    if not isinstance(group.get("source"), str) or not group["source"].strip():
        raise LexiconError(f"{where} ({name}): missing source (where the group comes from)")
    weight = group.get("weight", 1)
    if not isinstance(weight, int | float) or isinstance(weight, bool) or not 0 <= weight <= 1:
        raise LexiconError(f"{where} ({name}): weight must be a number from 0 to 1")
    words = _strings(group.get("words"), f"{where} ({name}).words")
    means = tuple(dict.fromkeys(fold(m) for m in _strings(group.get("means", []),
                                                           f"{where} ({name}).means")))
    out: list[Entry] = []
    for w in words:
        for form in dict.fromkeys((fold(w), digits(fold(w)))):
            out.append(Entry(form, tuple(m for m in means if m != form), float(weight), name))
    return out


def lexicon_from_document(doc: Any, origin: str) -> Lexicon:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise LexiconError(f"{origin}: not a lexicon (format must be {FORMAT!r})")
    if doc.get("format_version") != 1:
        raise LexiconError(f"{origin}: format_version {doc.get('format_version')!r} is not 1")
    filler_doc = doc.get("filler", {"words": []})
    filler = _strings(filler_doc.get("words", []) if isinstance(filler_doc, dict) else None,
                      f"{origin}: filler.words")
    groups = doc.get("groups", [])
    if not isinstance(groups, list):
        raise LexiconError(f"{origin}: groups must be a list")
    entries: dict[str, Entry] = {}
    for i, group in enumerate(groups):
        for e in _group_entries(group, f"{origin}: groups[{i}]"):
            old = entries.get(e.word)
            if old is not None:
                e = Entry(e.word, tuple(dict.fromkeys((*old.means, *e.means))),
                          min(old.weight, e.weight), old.group)
            entries[e.word] = e
    return Lexicon(filler, entries)


def read_lexicon(path: Path) -> Lexicon:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LexiconError(f"{path}: cannot read the lexicon ({exc})") from None
    return lexicon_from_document(doc, str(path))


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    return read_lexicon(SHIPPED)


def load_lexicon(extra: Iterable[Path] = ()) -> Lexicon:
    """The shipped lexicon with each extra file (a county's) merged over it, in order."""
    lex = shipped_lexicon()
    for path in extra:
        lex = lex.merged(read_lexicon(path))
    return lex
