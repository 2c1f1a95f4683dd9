"""Text normalisation shared by the index and the query.

Traditional characters (殘疾證, typed on a phone-style keyboard or pasted) are folded onto
simplified ones with OpenCC's character table, one character at a time.

Why one character in, one character out: spans found in the normalised text must be valid
offsets into the original text the screen highlights. So full-width forms, case and the like
are folded per character (NFKC only where it yields exactly one character), and separators
that a citizen types but the catalog never contains (spaces, pinyin apostrophes) are removed
from the QUERY only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# Typed variants folded onto what catalogs write; 〇 onto 零 so 二〇二六 and 二零二六 meet.
_EXTRA = {"〇": "零", "ü": "v", "Ü": "v", "　": " "}

# What a citizen may type between words: removed from a query before matching.
_QUERY_DROP = re.compile(r"[\s'’`·・,，、.。;；:：!！?？\"“”()（）\[\]【】<>《》/\\|_~-]+")

_LATIN = re.compile(r"[a-z]+")
_RUNS = re.compile(r"[a-z]+|[0-9]+|[^a-z0-9]+")


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc  # reads its dictionaries: on first use, never at import

    return opencc.OpenCC("t2s").convert


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """One character → its search form (always exactly one character)."""
    if ch in _EXTRA:
        return _EXTRA[ch]
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        folded = ch
    if "\u3400" <= folded <= "\u9fff" or "\uf900" <= folded <= "\ufaff":
        simple = _t2s()(folded)
        return simple if len(simple) == 1 else folded
    low = folded.lower()
    return low if len(low) == 1 else folded


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Length-preserving search form of a catalog text: fold_char on every character.
    Cached: catalogs repeat the same material and step names thousands of times."""
    if text.isascii():
        return text.lower()
    return "".join([fold_char(c) for c in text])


def normalize_query(query: str) -> str:
    """The query as matched: folded, with spaces and punctuation removed."""
    return _QUERY_DROP.sub("", fold(query))


def query_parts(query: str) -> list[str]:
    """Parts a citizen separated with spaces or punctuation, each normalised; empty ones
    dropped. Used when the whole query is not found as one piece."""
    return [p for p in (_QUERY_DROP.sub("", s) for s in _QUERY_DROP.split(fold(query))) if p]


def is_latin(text: str) -> bool:
    """Whether a normalised query is letters only (a pinyin or initials query)."""
    return bool(_LATIN.fullmatch(text))


def script_runs(text: str) -> list[str]:
    """Runs of letters, of digits and of everything else: 'gl补贴' → ['gl', '补贴'],
    '80岁' → ['80', '岁']. Mixed input is matched run by run."""
    return _RUNS.findall(text)
