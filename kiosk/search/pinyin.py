"""Pinyin and initials matching over a list of Chinese texts ("lines").

How it stays fast: every character position of all lines (joined with a separator) is one bit
in a Python big integer per initial letter: bit p of `bits["g"]` is set when some reading of
the character at p starts with g. A query is segmented into syllable tokens ("gaol" → gao|l,
"gljt" → g|l|j|t); positions where the tokens' initial letters follow each other come from
shifting and AND-ing those integers (C speed, a few microseconds for 10,000 names), and only
those candidate positions are checked against the full readings. Polyphones (行 xing/hang,
长 chang/zhang, 重, 乐, 传 …) are handled by indexing every reading pypinyin knows
(heteronym=True), so 银行 matches yinhang and 长期 changqi.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from pypinyin import Style, pinyin

# Toneless syllables (pypinyin's spelling: ü as v). Interjections m/n/ng/hm/hng are left out
# of query segmentation: they would split ordinary input into nonsense.
SYLLABLES = frozenset("""
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang
cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan
chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di
dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng
fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia
jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong
kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang
liao lie lin ling liu lo long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng
mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang
niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi
pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng
sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun
shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong
tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing
xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan
zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua
zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
""".split())

PREFIXES = frozenset(s[:i] for s in SYLLABLES for i in range(1, len(s) + 1))
# Letters that begin a syllable. Vowels only count as an initial at the start of a query:
# "gaol" must not also read as g|a|o|l.
_CONSONANTS = frozenset("bcdfghjklmnpqrstwxyz")
_INITIAL_PAIRS = frozenset(("zh", "ch", "sh"))
MAX_SEGMENTATIONS = 32
SEP = "\x00"

_NONZERO = re.compile(rb"[^\x00]")
_BITS = [tuple(k for k in range(8) if b >> k & 1) for b in range(256)]


class Kind(IntEnum):
    """How the letters matched: all initials, a mix, or full syllables."""

    INITIALS = 0
    MIXED = 1
    FULL = 2


@lru_cache(maxsize=32768)
def readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one (normalised) character; a Latin letter reads as itself."""
    if "a" <= ch <= "z":
        return (ch,)
    if not ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch == "零"):
        return ()
    found = pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
    out = tuple(dict.fromkeys(r.lower() for r in found if r.isascii() and r.isalpha()))
    return out


def _token_kind(seg: tuple[str, ...]) -> Kind:
    if len(seg) == 1:
        return Kind.FULL if len(seg[0]) > 1 else Kind.INITIALS
    if all(t in SYLLABLES for t in seg[:-1]):
        return Kind.FULL
    if all(len(t) == 1 or t in _INITIAL_PAIRS for t in seg):
        return Kind.INITIALS
    return Kind.MIXED


@lru_cache(maxsize=1024)
def segmentations(q: str) -> tuple[tuple[tuple[str, ...], Kind], ...]:
    """Ways to read `q` as tokens: full syllables, then initials, the last token any syllable
    prefix. Longest pieces first, at most MAX_SEGMENTATIONS."""
    out: list[tuple[tuple[str, ...], Kind]] = []

    def walk(i: int, acc: list[str], initials_started: bool) -> None:
        if len(out) >= MAX_SEGMENTATIONS:
            return
        rest = q[i:]
        if rest in PREFIXES:
            seg = (*acc, rest)
            out.append((seg, _token_kind(seg)))
        for j in range(min(len(q), i + 6), i, -1):
            piece = q[i:j]
            if j == len(q):
                continue
            if piece in SYLLABLES and not initials_started:
                walk(j, [*acc, piece], False)
            elif (len(piece) == 1 and (piece in _CONSONANTS or i == 0)) or \
                    piece in _INITIAL_PAIRS:
                walk(j, [*acc, piece], True)

    if q and q.isascii() and q.isalpha():
        walk(0, [], False)
    return tuple(out)


def _token_ok(token: str, ch: str, last: bool) -> bool:
    rs = readings(ch)
    if not last and token in SYLLABLES:
        return token in rs
    return any(r.startswith(token) for r in rs)


def _seg_at(text: str, p: int, seg: tuple[str, ...]) -> bool:
    last = len(seg) - 1
    return all(_token_ok(tok, text[p + k], k == last) for k, tok in enumerate(seg))


def bit_positions(b: int) -> list[int]:
    """Indexes of the set bits of a non-negative integer, ascending."""
    if not b:
        return []
    data = b.to_bytes((b.bit_length() + 7) // 8, "little")
    out: list[int] = []
    for m in _NONZERO.finditer(data):
        i = m.start()
        base = i * 8
        out.extend(base + k for k in _BITS[data[i]])
    return out


@dataclass(frozen=True)
class LineMatch:
    """Best pinyin match in one line: its kind, where it starts and ends (characters)."""

    kind: Kind
    start: int
    end: int

    @property
    def at_start(self) -> bool:
        return self.start == 0


def match_line(text: str, q: str) -> LineMatch | None:
    """The best match of letters `q` in one normalised text (for highlighting one hit)."""
    best: LineMatch | None = None
    for seg, kind in segmentations(q):
        for p in range(len(text) - len(seg) + 1):
            if _seg_at(text, p, seg):
                cand = LineMatch(kind, p, p + len(seg))
                if best is None or (cand.kind, -cand.start) > (best.kind, -best.start):
                    best = cand
                break
    return best


class PinyinIndex:
    """Pinyin/initials lookup over normalised lines (distinct names, terms …)."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        self._starts: list[int] = []
        pos = 0
        for line in self.lines:
            self._starts.append(pos)
            pos += len(line) + 1
        self._size = pos
        self._buf = SEP.join(self.lines) + SEP
        self._bits = self._letter_bits()
        heads = bytearray(b"0" * max(self._size, 1))
        for s, line in zip(self._starts, self.lines, strict=True):
            if line:
                heads[s] = 49
        self._heads = int(bytes(heads[::-1]), 2)
        self._letter_cache: dict[tuple[str, bool], dict[int, LineMatch]] = {}

    def _letter_bits(self) -> dict[str, int]:
        """bits[letter]: positions whose character has a reading starting with letter.
        Characters are first coded as one byte per initials-set (in groups of 255 sets), so
        each letter then costs one bytes.translate and one int() parse."""
        chars = sorted(set(self._buf) - {SEP})
        sets: dict[frozenset[str], int] = {}
        char_set: dict[str, int] = {}
        for c in chars:
            ini = frozenset(r[0] for r in readings(c))
            if ini:
                char_set[c] = sets.setdefault(ini, len(sets))
        by_id = list(sets)
        bits: dict[str, int] = {}
        for g in range(0, len(by_id), 255):
            table = {ord(c): chr(sid - g + 1) if g <= sid < g + 255 else "\x00"
                     for c, sid in char_set.items()}
            table.update({ord(c): "\x00" for c in chars if c not in char_set})
            table[ord(SEP)] = "\x00"
            coded = self._buf.translate(table).encode("latin-1")[::-1]
            group = by_id[g:g + 255]
            for letter in set().union(*group):
                marks = bytes(49 if 0 < k <= len(group) and letter in group[k - 1] else 48
                              for k in range(256))
                bits[letter] = bits.get(letter, 0) | int(coded.translate(marks), 2)
        return bits

    def line_of(self, pos: int) -> int:
        return bisect_right(self._starts, pos) - 1

    def _candidates(self, key: str, anchored: bool) -> int:
        b = self._bits.get(key[0], 0)
        for k, letter in enumerate(key[1:], 1):
            if not b:
                break
            b &= self._bits.get(letter, 0) >> k
        return b & self._heads if anchored else b

    def _single_letter(self, q: str, anchored: bool) -> dict[int, LineMatch]:
        """One letter matches a huge share of lines: computed once per letter, then kept."""
        key = (q, anchored)
        cached = self._letter_cache.get(key)
        if cached is None:
            heads = self._bits.get(q, 0) & self._heads
            cached = {self.line_of(p): LineMatch(Kind.INITIALS, 0, 1)
                      for p in bit_positions(heads)}
            if not anchored:
                for p in bit_positions(self._bits.get(q, 0) & ~self._heads):
                    line = self.line_of(p)
                    if line not in cached:
                        s = p - self._starts[line]
                        cached[line] = LineMatch(Kind.INITIALS, s, s + 1)
            self._letter_cache[key] = cached
        return cached

    def find(self, q: str, anchored: bool = False) -> dict[int, LineMatch]:
        """Lines matching letters `q` (normalised, a-z), each with its best match."""
        if len(q) == 1:
            return self._single_letter(q, anchored)
        by_key: dict[str, list[tuple[tuple[str, ...], Kind]]] = {}
        for seg, kind in segmentations(q):
            by_key.setdefault("".join(t[0] for t in seg), []).append((seg, kind))
        found: dict[int, LineMatch] = {}
        for key, segs in by_key.items():
            segs.sort(key=lambda sk: -sk[1])
            for p in bit_positions(self._candidates(key, anchored)):
                self._take(found, p, segs)
        return found

    def _take(self, found: dict[int, LineMatch], p: int,
              segs: list[tuple[tuple[str, ...], Kind]]) -> None:
        for seg, kind in segs:
            if _seg_at(self._buf, p, seg):
                line = self.line_of(p)
                start = p - self._starts[line]
                cand = LineMatch(kind, start, start + len(seg))
                old = found.get(line)
                if old is None or (cand.kind, -cand.start) > (old.kind, -old.start):
                    found[line] = cand
                return

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines)
