"""Pinyin readings, query segmentation and matching letters against one text.

A query is segmented into syllable tokens ("gaol" → gao|l, "gljt" → g|l|j|t, "gaolingjt" →
gao|ling|j|t); each token matches a character when one of its readings is that syllable (or,
for an initial or the last token, begins with it). Polyphones (行 xing/hang,
长 chang/zhang, 重, 乐, 传 …) are handled by indexing every reading pypinyin knows
(heteronym=True) that some word in its phrase dictionary uses, so 银行 matches yinhang and
长期 changqi but 生育 is not zhou-anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from pypinyin import Style, pinyin

# Toneless syllables (pypinyin's spelling: ü as v). Interjections m/n/ng/hm/hng are left out
# of query segmentation: they would split ordinary input into nonsense.
_SYLLABLE_TEXT = """
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
"""
SYLLABLES = frozenset(_SYLLABLE_TEXT.split())

PREFIXES = frozenset(s[:i] for s in SYLLABLES for i in range(1, len(s) + 1))
# Letters that begin a syllable. Vowels only count as an initial at the start of a query:
# "gaol" must not also read as g|a|o|l.
_CONSONANTS = frozenset("bcdfghjklmnpqrstwxyz")
_INITIAL_PAIRS = frozenset(("zh", "ch", "sh"))
MAX_SEGMENTATIONS = 32
MAX_LETTERS = 60     # longer runs of letters are not pinyin anyone typed (and bound recursion)
SEP = "\x00"

_ONE = re.compile("1")
_START = re.Match.start


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
    # The first reading, and the others only where some word uses them: pypinyin also lists
    # archaic readings (育 zhou, 次 zi, 家 gu, 移 chi) that made ZD find 生育登记 and offer
    # the candidate 育登 — nonsense to anyone typing.
    used = _phrase_readings().get(ch, frozenset())
    return tuple(r for i, r in enumerate(out) if i == 0 or r in used)


@lru_cache(maxsize=1)
def _phrase_readings() -> dict[str, frozenset[str]]:
    """Toneless readings each character has in pypinyin's phrase dictionary (≈0.1 s, once)."""
    from pypinyin.constants import PHRASES_DICT

    seen: dict[str, set[str]] = {}
    for phrase, syllables in PHRASES_DICT.items():
        if len(phrase) == len(syllables):
            for ch, reading in zip(phrase, syllables, strict=True):
                seen.setdefault(ch, set()).add(_toneless(reading[0]))
    return {ch: frozenset(rs) for ch, rs in seen.items()}


def _toneless(reading: str) -> str:
    """yù → yu, lǜ → lv (pypinyin's Style.NORMAL spelling)."""
    bare = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in bare if not unicodedata.combining(c)).lower()


def _token_kind(seg: tuple[str, ...]) -> Kind:
    if len(seg) == 1:
        return Kind.FULL if len(seg[0]) > 1 else Kind.INITIALS
    if all(t in SYLLABLES for t in seg[:-1]):
        return Kind.FULL
    if all(len(t) == 1 or t in _INITIAL_PAIRS for t in seg):
        return Kind.INITIALS
    return Kind.MIXED


def _absorbs(prev: str, letter: str) -> bool:
    """deng|ji, not den|g|ji: a letter that continues the syllable before it is not read as
    the initial of a new character (as pinyin input methods do)."""
    return prev in SYLLABLES and prev + letter in PREFIXES


def _initial_ok(piece: str, i: int, acc: list[str], initials_started: bool) -> bool:
    if piece in _INITIAL_PAIRS:
        return True
    if len(piece) != 1 or not (piece in _CONSONANTS or i == 0):
        return False
    return initials_started or not acc or not _absorbs(acc[-1], piece)


@lru_cache(maxsize=1024)
def segmentations(q: str) -> tuple[tuple[tuple[str, ...], Kind], ...]:
    """Ways to read `q` as tokens: full syllables, then initials, the last token any syllable
    prefix. Longest pieces first, at most MAX_SEGMENTATIONS."""
    out: list[tuple[tuple[str, ...], Kind]] = []

    def walk(i: int, acc: list[str], initials_started: bool) -> None:
        if len(out) >= MAX_SEGMENTATIONS:
            return
        rest = q[i:]
        if rest in PREFIXES and not (acc and len(rest) == 1 and _absorbs(acc[-1], rest)):
            seg = (*acc, rest)
            out.append((seg, _token_kind(seg)))
        for j in range(min(len(q), i + 6), i, -1):
            piece = q[i:j]
            if j == len(q):
                continue
            if piece in SYLLABLES and not initials_started and \
                    not (len(piece) == 1 and acc and _absorbs(acc[-1], piece)):
                walk(j, [*acc, piece], False)
            elif _initial_ok(piece, i, acc, initials_started):
                walk(j, [*acc, piece], True)

    if q and len(q) <= MAX_LETTERS and q.isascii() and q.isalpha():
        walk(0, [], False)
    return tuple(out)


def exact_token(token: str, last: bool) -> bool:
    """A full syllable before the last token must be a whole reading; the last token (and
    any initial) only has to begin one."""
    return not last and token in SYLLABLES


@lru_cache(maxsize=1 << 16)
def token_ok(token: str, exact: bool, ch: str) -> bool:
    rs = readings(ch)
    if exact:
        return token in rs
    return any(r.startswith(token) for r in rs)


def seg_at(text: str, p: int, seg: tuple[str, ...]) -> bool:
    last = len(seg) - 1
    return all(token_ok(tok, exact_token(tok, k == last), text[p + k])
               for k, tok in enumerate(seg))


def bit_positions(b: int) -> list[int]:
    """Indexes of the set bits of a non-negative integer, ascending."""
    if not b:
        return []
    return list(map(_START, _ONE.finditer(bin(b)[:1:-1])))


def bits_from_positions(positions: Iterable[int], size: int) -> int:
    """An integer with exactly these bits set (cost in positions, not in size)."""
    packed = bytearray((size >> 3) + 1)
    for p in positions:
        packed[p >> 3] |= 1 << (p & 7)
    return int.from_bytes(packed, "little")


@dataclass(frozen=True)
class LineMatch:
    """A pinyin match in one line: its kind and the characters [start, end) it covers."""

    kind: Kind
    start: int
    end: int


def match_line(text: str, q: str) -> LineMatch | None:
    """The best match of letters `q` in one normalised text (for highlighting one hit):
    best kind first, then earliest."""
    best: LineMatch | None = None
    for seg, kind in sorted(segmentations(q), key=lambda sk: -sk[1]):
        if best is not None and kind < best.kind:
            break
        for p in range(len(text) - len(seg) + 1):
            if best is not None and p >= best.start:
                break
            if seg_at(text, p, seg):
                best = LineMatch(kind, p, p + len(seg))
                break
    return best
