"""Pinyin building blocks: query segmentation, one-text matching, the many-line index, and
word completion for the candidate bar."""

from __future__ import annotations

import pytest

from kiosk.search.pinyin import (
    Kind,
    bit_positions,
    bits_from_positions,
    match_line,
    readings,
    segmentations,
)
from kiosk.search.pyindex import LineHit, PinyinIndex
from tests.unit.search_catalog import custom_index, item, mini_index


def test_archaic_readings_nobody_types_are_left_out() -> None:
    """pypinyin lists 育 zhou, 次 zi, 家 gu, 移 chi; with them ZD found 生育登记 (lighting
    育登) and offered 育登 / 次登 as candidate words on the real sample catalog."""
    assert readings("育") == ("yu",) and readings("次") == ("ci",)
    assert readings("家") == ("jia",) and readings("移") == ("yi",)
    assert readings("绿") == ("lv", "lu")          # 绿 lu as in 绿林: a word uses it
    index = custom_index([item("T-1", "生育登记"), item("T-2", "首次登记"),
                          item("T-3", "最低生活保障")])
    assert [h.code for h in index.search("zd", limit=5).hits] == ["T-3"]
    assert index.complete("zd", limit=8) == ["最低"]


def segs(q: str) -> list[str]:
    return ["|".join(s) for s, _ in segmentations(q)]


def test_readings_include_every_polyphone_reading() -> None:
    assert {"xing", "hang"} <= set(readings("行"))
    assert {"chang", "zhang"} <= set(readings("长"))
    assert {"zhong", "chong"} <= set(readings("重"))
    assert readings("b") == ("b",)
    assert readings("8") == () and readings("，") == ()


@pytest.mark.parametrize("q, first, kind", [
    ("dibao", "di|bao", Kind.FULL),
    ("gaol", "gao|l", Kind.FULL),
    ("gljt", "g|l|j|t", Kind.INITIALS),
    ("gaolingjt", "gao|ling|j|t", Kind.MIXED),
    ("zhongdu", "zhong|du", Kind.FULL),
])
def test_segmentation(q: str, first: str, kind: Kind) -> None:
    assert segs(q)[0] == first
    assert segmentations(q)[0][1] == kind


def test_segmentation_reads_like_an_input_method() -> None:
    assert segs("dengji") == ["deng|ji"]          # not den|g|ji
    assert segs("gaol") == ["gao|l"]              # not ga|o|l
    assert "xi|an" in segs("xian") and "xian" in segs("xian")
    assert segs("123") == [] and segs("") == []
    assert len(segmentations("a" * 60)) <= 32


def test_match_line_prefers_full_pinyin_then_earliest() -> None:
    lm = match_line("老年人高龄津贴高龄", "gaoling")
    assert lm is not None and (lm.kind, lm.start, lm.end) == (Kind.FULL, 3, 5)
    assert match_line("最低生活保障", "xyz") is None


def test_bits_round_trip() -> None:
    positions = [0, 7, 8, 63, 64, 1000]
    assert bit_positions(bits_from_positions(positions, 1001)) == positions
    assert bit_positions(0) == []


def test_index_groups_lines_by_how_they_matched() -> None:
    index = PinyinIndex(["高龄津贴", "老年人高龄", "高", "公路养护"])
    found = index.find("gl")
    assert found.groups[LineHit(Kind.INITIALS, True, False)] == {0, 3}    # 高龄…, 公路…
    assert found.groups[LineHit(Kind.INITIALS, False, False)] == {1}
    assert index.find("gao").groups[LineHit(Kind.FULL, True, True)] == {2}
    anchored = index.find("gaoling", anchored=True).lines()
    assert anchored == {0}
    assert index.find("gaoling").span_in(1, "老年人高龄") == (Kind.FULL, 3, 5)


def test_empty_and_odd_lines() -> None:
    index = PinyinIndex(["", "b超检查", "123"])          # lines come normalised (folded)
    assert index.find("bchao").lines() == {1}
    assert index.find("b").lines() == {1}
    assert index.find("zz").lines() == set()


def test_complete_offers_words_the_letters_spell() -> None:
    _, index = mini_index()
    words = index.complete("gl")
    assert words and words[0] == "高龄"
    assert "低保" in index.complete("db")
    assert "低保" in index.complete("dib")
    assert index.complete("ylq")[0] == "养老钱"
    assert all(w.startswith("高龄") for w in index.complete("高龄"))
    assert index.complete("") == [] and index.complete("   ") == []
    assert index.complete("gl", limit=2) == words[:2]
    assert index.complete("gao")[0] == "高"          # one syllable: the character first


def test_complete_continues_after_typed_characters() -> None:
    index = custom_index([item("A", "高龄津贴申领", 5), item("B", "高龄津贴发放", 3),
                          item("C", "公路养护", 1)])
    assert index.complete("高龄jt")[0] == "津贴"
    assert "公路" in index.complete("gl")
