"""A query as words: Chinese segmented with jieba, pinyin split the way an input method does.

    words = Vocabulary.build(terms, lexicon, ngrams)   # once, at index time
    words.analyze("父亲过世了怎么办")   # [Word('过世', means=(死亡, …))]: 父亲 carries no
                                       # procedure, 了 and 怎么办 are filler
    words.analyze("zhangfuqushi")      # [Word('qushi', spelled='去世', …)]: 丈夫 dropped

Chinese: jieba's Tokenizer with our own dictionary — about 17,000 everyday words
(common-words.txt, from jieba's dictionary), the catalog's names, short names, aliases,
keywords, synonym terms and categories, and the lexicon's words — so 农村建房审批 is 农村 | 建房 |
审批 and 老人八十岁补贴 is 老人 | 八十岁 | 补贴. Pinyin: the letters are read as syllables
(kiosk.search.pinyin.segmentations) and the syllables grouped into the words of that same
vocabulary with a small dynamic programme over every reading (longer words score more; a
word still being typed may be a prefix). A word that spells nothing gets one try at one
wrong, missing or extra letter (ganling → gaoling 高龄).
"""

from __future__ import annotations

import io
import math
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, product
from pathlib import Path

import jieba

from kiosk.search.lexicon import Lexicon, digits
from kiosk.search.normalize import fold
from kiosk.search.pinyin import SYLLABLES, readings, segmentations

COMMON_WORDS = Path(__file__).resolve().parent / "common-words.txt"
VOCAB_FREQ = 200_000       # catalog and lexicon words outweigh everyday ones in a split
MAX_WORDS = 6              # words searched per query (a pasted paragraph is not a query)
MAX_READINGS = 4           # spellings kept per word (polyphones)
CURATED = 2                # vocabulary weight of catalog terms and lexicon words (names' runs: 1)
MAX_SPLITS = 6             # syllable readings of one run of letters tried
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_RUN = re.compile(r"[a-z]+|[^a-z]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Word:
    """One word of a query. `text` is what is searched (Chinese, or letters); `spelled`
    the Chinese word letters stand for when the vocabulary knows it; `means` the official
    terms of a colloquial word; `weight` the lexicon's factor (1 unless weak)."""

    text: str
    latin: bool
    spelled: str = ""
    means: tuple[str, ...] = ()
    weight: float = 1.0
    typed: str = ""            # the letters as typed, when corrected (ganling → gaoling)
    variants: tuple[str, ...] = field(default=())   # the same word in digits (八十岁 → 80岁)
    minor: bool = False        # one character no dictionary knows: never enough by itself


def _spellings(word: str) -> list[tuple[str, str]]:
    """(full pinyin, initials) of a Chinese word, every reading combination up to a few."""
    per_char = [readings(c) for c in word]
    if len(word) == 1:
        per_char = [r[:1] for r in per_char]     # 给 is gei here, not ji
    if not all(per_char):
        return []
    out: list[tuple[str, str]] = []
    for combo in islice(product(*per_char), MAX_READINGS):
        out.append(("".join(combo), "".join(r[0] for r in combo)))
    return out


def _tokenizer(words: dict[str, int]) -> jieba.Tokenizer:
    """A jieba Tokenizer over our dictionary, built in memory: no file written, nothing
    read but common-words.txt (jieba's own 349,046-word dictionary is never loaded)."""
    lines = "\n".join(f"{w} {f}" for w, f in words.items()).encode("utf-8")
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total = tk.gen_pfdict(io.BytesIO(lines))
    tk.initialized = True
    return tk


@lru_cache(maxsize=1)
def common_words() -> dict[str, int]:
    out: dict[str, int] = {}
    for line in COMMON_WORDS.read_text(encoding="utf-8").splitlines():
        w, _, f = line.partition(" ")
        if w:
            out[w] = int(f or 1)
    return out


class Vocabulary:
    def __init__(self, tokenizer: jieba.Tokenizer, lexicon: Lexicon,
                 full: dict[str, list[str]], initials: dict[str, list[str]],
                 weights: dict[str, int]) -> None:
        self._tk = tokenizer
        self.lexicon = lexicon
        self._full = full
        self._initials = initials
        self._keys = sorted(full)
        self._weights = weights

    @classmethod
    def build(cls, terms: Iterable[str], lexicon: Lexicon, ngrams: Iterable[str] = ()
              ) -> Vocabulary:
        """`terms`: the catalog's names, short names, aliases, keywords, synonym terms and
        categories (normalised or not); `ngrams`: more words for pinyin only (the
        completer's mined runs of names)."""
        dictionary = dict(common_words())
        known: dict[str, int] = {}
        for t in terms:
            t = fold(t)
            if _CJK.search(t):
                dictionary[t] = VOCAB_FREQ
                known[t] = known.get(t, 0) + CURATED
        for t in (*lexicon.words(), *lexicon.filler()):
            # A single character keeps its everyday frequency: 给 at VOCAB_FREQ made
            # 把地租给别人种 read as 地租 | 给 | 别人.
            dictionary[t] = dictionary.get(t, VOCAB_FREQ) if len(t) == 1 else VOCAB_FREQ
            known[t] = known.get(t, 0) + CURATED + 1
        for t in ngrams:
            if _CJK.search(t):
                known[t] = known.get(t, 0) + 1
        full, initials = _pinyin_tables(known, lexicon)
        return cls(_tokenizer(dictionary), lexicon, full, initials, known)

    # ---- Chinese -----------------------------------------------------------------------
    def cut(self, text: str) -> list[str]:
        """jieba's split of normalised text (no HMM: unknown characters stay single)."""
        return [w for w in self._tk.cut(text, HMM=False) if w.strip()]

    def _chinese(self, text: str) -> list[Word]:
        out: list[Word] = []
        for w in self.cut(text):
            if self.lexicon.is_filler(w):
                continue
            e = self.lexicon.entry(w)
            d = digits(w)
            variants = (d,) if d != w else ()
            if e is not None:
                out.append(Word(w, False, w, e.means, e.weight, variants=variants))
            elif len(w) == 1 and self._weights.get(w, 0) < CURATED:
                out.append(Word(w, False, w, (), 0.5, variants=variants, minor=True))
            else:
                out.append(Word(w, False, w, (), 1.0, variants=variants))
        return out

    # ---- pinyin ------------------------------------------------------------------------
    def spelled(self, letters: str) -> list[str]:
        """Chinese words of the vocabulary these letters spell, best known first; for
        letters that only begin words (shebaok), the words they begin."""
        found = self._full.get(letters) or self._initials.get(letters)
        if found:
            return found
        i = bisect_left(self._keys, letters)
        begun: list[str] = []
        for key in self._keys[i:i + 20]:
            if not key.startswith(letters):
                break
            begun += self._full[key]
        return sorted(begun, key=lambda w: (-self._weights.get(w, 0), len(w)))

    def _prefix_known(self, letters: str) -> bool:
        i = bisect_left(self._keys, letters)
        return i < len(self._keys) and self._keys[i].startswith(letters)

    def _span_score(self, toks: tuple[str, ...], i: int, j: int) -> float:
        key = "".join(toks[i:j])
        n = j - i
        last = j == len(toks)
        if all(t in SYLLABLES for t in toks[i:j - 1]) and (last or toks[j - 1] in SYLLABLES):
            if key in self._full:
                return 2.0 * n * n
            if last and n >= 2 and self._prefix_known(key):
                return 1.5 * n * n     # the last word, still being typed (shebaok)
        if n >= 2 and all(len(t) == 1 for t in toks[i:j]) and key in self._initials:
            return 1.0 * n * n
        return -1.0 if n == 1 else -math.inf

    def split_letters(self, letters: str) -> list[tuple[str, bool]]:
        """The best grouping of a run of letters into words: (letters, known) pairs.
        Unknown syllables next to each other stay one unknown word."""
        best: tuple[float, list[tuple[str, bool]]] = (-math.inf, [(letters, False)])
        for toks, _ in segmentations(letters)[:MAX_SPLITS]:
            m = len(toks)
            score = [0.0] + [-math.inf] * m
            back = [0] * (m + 1)
            for j in range(1, m + 1):
                for i in range(max(0, j - 8), j):
                    s = score[i] + self._span_score(toks, i, j)
                    if s > score[j]:
                        score[j], back[j] = s, i
            if score[m] <= best[0]:
                continue
            spans: list[tuple[str, bool]] = []
            j = m
            while j > 0:
                i = back[j]
                spans.append(("".join(toks[i:j]), j - i > 1 or
                              self._span_score(toks, i, j) > 0))
                j = i
            best = (score[m], _join_unknown(spans[::-1]))
        return best[1]

    def _best_weight(self, key: str) -> int:
        return max(self._weights.get(w, 0) for w in self._full[key])

    def correct(self, letters: str, loose: bool = False) -> str | None:
        """The best-known word's letters one edit away (wrong, missing or extra letter):
        a catalog term or lexicon word; with `loose` (the query found nothing) also a
        run mined from names."""
        floor = 1 if loose else CURATED
        found = [v for v in _edits(letters) if v in self._full and self._best_weight(v) >= floor]
        if not found:
            return None
        return max(found, key=lambda v: (self._best_weight(v), -abs(len(v) - len(letters)), v))

    def _latin(self, letters: str, first: bool, loose: bool) -> list[Word]:
        spans = self.split_letters(letters)
        if not all(known for _, known in spans) and len(letters) >= 4:
            # Something spells nothing: one wrong, missing or extra letter in the whole run
            # first (canjirnzheng → canjirenzheng), then in the unknown word alone.
            fixed = self.correct(letters, loose)
            if fixed is not None:
                return [w for w in (self._latin_word(fixed, letters, True, first, False),)
                        if w is not None]
        out: list[Word] = []
        for k, (piece, known) in enumerate(spans):
            typed = ""
            if not known and len(piece) >= 4:
                fixed = self.correct(piece, loose)
                if fixed is not None:
                    typed, piece, known = piece, fixed, True
            word = self._latin_word(piece, typed, known, first and k == 0, len(spans) > 1)
            if word is None or (len(spans) > 1 and not word.spelled and len(piece) <= 2):
                continue     # a stray letter or two between words (dibaoo, zzzzqqq)
            out.append(word)
        return out

    def _latin_word(self, piece: str, typed: str, known: bool, first: bool, several: bool
                    ) -> Word | None:
        spelled = self.spelled(piece) if known else []
        if spelled and self.lexicon.is_filler(spelled[0]) and \
                (len(spelled[0]) > 1 or (several and not first)):
            return None     # zenmeban, woyao; a trailing le or ma after other words
        # Initials stand for several words (ln: 老年, 老娘): the first that carries a
        # procedure decides; a word with no weight only when it is all the letters can be.
        chosen: tuple[str, tuple[str, ...], float] | None = None
        for w in spelled:
            e = self.lexicon.entry(w)
            if e is None:
                chosen = (w, (), 1.0)
                break
            if e.weight > 0:
                chosen = (w, e.means, e.weight)
                break
            chosen = chosen or (w, e.means, e.weight)
        w, means, weight = chosen or ("", (), 1.0)
        if w and piece not in self._full:
            means = ()     # initials or a word begun stand for too many words to expand
        return Word(piece, True, w, means, weight, typed)

    def analyze(self, norm: str, loose: bool = False) -> list[Word]:
        """The words of a normalised query (kiosk.search.normalize.normalize_query), filler
        dropped, at most MAX_WORDS. `loose`: the strict reading found nothing, so letters
        may be corrected towards any word of the names too."""
        out: list[Word] = []
        for run in _LATIN_RUN.findall(norm):
            if run.isascii() and run.isalpha():
                out += self._latin(run, not out, loose)
            else:
                out += self._chinese(run)
        if len(out) == 1 and not out[0].latin and len(out[0].text) >= 4 and not out[0].means:
            # One long dictionary word (a catalog term, 农村建房审批): its own words too, so
            # an item holding them apart (农村建房… in the name, 审批 a keyword) is found.
            whole = out[0].text
            out += [Word(w, False, w) for w in dict.fromkeys(self._tk.cut_for_search(
                whole, HMM=False)) if w != whole and len(w) > 1]
        return out[:MAX_WORDS]

    def words_for(self, letters: str) -> list[str]:
        """Chinese words the letters can make, grouped as typed: for the candidate bar when
        the letters as a whole begin no word (zhangfuqushi → 丈夫, 去世)."""
        out: list[str] = []
        for piece, known in self.split_letters(letters):
            if not known and len(piece) >= 4:
                piece = self.correct(piece, True) or piece
            out += [w for w in self.spelled(piece)[:3] if not self.lexicon.is_filler(w)]
        return list(dict.fromkeys(out))


def _pinyin_tables(known: dict[str, int], lexicon: Lexicon
                   ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Full-pinyin and initials spellings → the words they spell, best known first."""
    full: dict[str, list[str]] = {}
    initials: dict[str, list[str]] = {}
    for w in known:
        if len(w) < 2 and not lexicon.is_filler(w):
            continue
        for f, i in _spellings(w):
            full.setdefault(f, []).append(w)
            if len(w) >= 2:
                initials.setdefault(i, []).append(w)
    for table in (full, initials):
        for ws in table.values():
            ws.sort(key=lambda w: -known[w])
    return full, initials


def _join_unknown(spans: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for piece, known in spans:
        if out and not known and not out[-1][1]:
            out[-1] = (out[-1][0] + piece, False)
        else:
            out.append((piece, known))
    return out


def _edits(w: str) -> set[str]:
    """Every string one deletion, substitution, insertion or swap away from `w`."""
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(w)
    return out
