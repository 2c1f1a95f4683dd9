"""Wrapping by display width: CJK two columns, ASCII words and numbers never split."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from devices.receipt_printer.wrap import checklist_lines, text_width, wrap


def test_cjk_takes_two_columns() -> None:
    assert text_width("居民身份证") == 10
    assert text_width("A007") == 4
    assert wrap("一二三四五六七八九十", 10) == ["一二三四五", "六七八九十"]


def test_numbers_and_words_are_not_split() -> None:
    lines = wrap("咨询电话：0000-5550101，网址 www.example.gov.cn", 20)
    assert any("0000-5550101" in line for line in lines)
    assert any("www.example.gov.cn" in line for line in lines)
    assert all(text_width(line) <= 20 for line in lines)


def test_token_wider_than_the_line_is_split_hard() -> None:
    url = "https://example.gov.cn/very/long/path/that/does/not/fit"
    lines = wrap(url, 20)
    assert "".join(lines) == url
    assert all(text_width(line) <= 20 for line in lines)


def test_punctuation_does_not_start_a_line() -> None:
    lines = wrap("本指南仅供参考，以窗口最新要求为准。", 16)
    assert lines == ["本指南仅供参考，", "以窗口最新要求为", "准。"]
    assert not any(line[0] in "，。" for line in wrap("一二三四五六七，八九", 14))


def test_hanging_indent_and_newlines() -> None:
    lines = wrap("1. 受理申请材料并当场审查是否齐全\n第二段", 16, indent=3)
    assert lines[0].startswith("1. ")
    assert lines[1].startswith("   ")
    assert lines[-1] == "第二段"


def test_long_checklist_flows_with_details_under_the_text() -> None:
    items = (("农村宅基地和建房（规划许可）申请表", "原件1份，复印件1份"), ("户口簿", ""))
    lines = checklist_lines(items, "□", 32)
    assert lines == ["□ 农村宅基地和建房（规划许可）", "   申请表", "   原件1份，复印件1份",
                     "□ 户口簿"]


@given(st.text(alphabet=st.sampled_from(list("居民身份证原件复印件，。AB12 -x")), max_size=200),
       st.integers(min_value=4, max_value=48))
def test_lines_fit_and_keep_every_character(text: str, cols: int) -> None:
    lines = wrap(text, cols)
    assert all(text_width(line) <= cols for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_punctuation_after_a_word_takes_the_whole_word_down() -> None:
    assert wrap("一二三 ABC12，四", 10) == ["一二三", "ABC12，四"]
    assert wrap("一二三四ABC12，", 13) == ["一二三四", "ABC12，"]


@given(st.lists(st.sampled_from(["居民", "证明", "A007", "0000-5550101", "，", "。", " ", "x",
                                 "2026-11-23", "（", "）"]), max_size=40),
       st.integers(min_value=12, max_value=48))
def test_ascii_words_are_never_split(parts: list[str], cols: int) -> None:
    text = "".join(parts)
    lines = wrap(text, cols)
    import re

    for word in re.findall(r"[\x21-\x7e]+", text):
        if len(word) <= cols:
            assert any(word in line for line in lines), (word, lines)


def test_opening_bracket_does_not_end_a_line() -> None:
    lines = wrap("时间：周一至周五 上午8:30—12:00，下午14:00—17:30（法定节假日除外）", 32)
    assert not any(line.endswith("（") for line in lines)
    assert all(text_width(line) <= 32 for line in lines)


def test_a_range_is_never_broken_after_its_dash() -> None:
    from devices.receipt_printer.wrap import wrap

    hours = "周一至周五 上午8:30—12:00，下午14:00—17:30（法定节假日除外）"
    for cols in range(14, 40):
        for a, b in zip(wrap(hours, cols), wrap(hours, cols)[1:], strict=False):
            assert not (a.endswith("—") or b.startswith(("12:00", "17:30"))), (cols, a, b)
    assert "".join(wrap("缴费基数60%至300%自选", 12)).count("60%至300%") == 1
