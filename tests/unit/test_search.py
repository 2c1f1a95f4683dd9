"""Search over real Catalog objects: what a citizen types and what must come back."""

from __future__ import annotations

import pytest
from pypinyin import Style, pinyin

from kiosk.search import SearchIndex, SearchResult
from kiosk.search.normalize import fold
from tests.unit.search_catalog import LADDER, POLYPHONES, custom_index, item, mini_index


@pytest.fixture(scope="module")
def mini() -> SearchIndex:
    return mini_index()[1]


@pytest.fixture(scope="module")
def poly() -> SearchIndex:
    return custom_index(POLYPHONES)


def codes(result: SearchResult) -> list[str]:
    return [h.code for h in result.hits]


def spans_of(result: SearchResult, code: str, field: str) -> list[tuple[int, int]]:
    hit = next(h for h in result.hits if h.code == code)
    return [s for m in hit.matches if m.field == field for s in m.spans]


@pytest.mark.parametrize("query, code, span", [
    ("低", "T-0001", (1, 2)),                 # one character, inside the name
    ("最", "T-0001", (0, 1)),
    ("保险", "T-0003", (8, 10)),              # two characters (below FTS5's trigram limit)
    ("高龄", "T-0002", (9, 11)),
    ("审核确认", "T-0001", (6, 10)),
    ("宅基地", "T-0004", (4, 7)),
])
def test_name_substrings_of_any_length(mini: SearchIndex, query: str, code: str,
                                       span: tuple[int, int]) -> None:
    result = mini.search(query)
    assert result.hits[0].code == code
    assert spans_of(result, code, "name") == [span]


def test_one_character_finds_every_name_holding_it(mini: SearchIndex) -> None:
    result = mini.search("保")
    assert set(codes(result)) >= {"T-0001", "T-0003"}
    for hit in result.hits:
        for m in hit.matches:
            assert all(m.text[s:e] == "保" for s, e in m.spans)


@pytest.mark.parametrize("query, code, phrase", [
    ("低保", "T-0001", "最低生活保障"),
    ("养老钱", "T-0003", "城乡居民基本养老保险待遇"),
    ("高龄补贴", "T-0002", "高龄津贴"),
])
def test_colloquial_words_through_the_synonym_table(mini: SearchIndex, query: str, code: str,
                                                    phrase: str) -> None:
    result = mini.search(query)
    assert result.hits[0].code == code
    hit = result.hits[0]
    syn = [m for m in hit.matches if m.field == "synonym" and m.text == hit.name]
    assert syn, hit.matches
    assert [hit.name[s:e] for s, e in syn[0].spans] == [phrase]


def test_alias_is_found_and_highlighted(mini: SearchIndex) -> None:
    result = mini.search("低保申请")
    hit = result.hits[0]
    assert hit.code == "T-0001"
    alias = [m for m in hit.matches if m.field == "alias"]
    assert alias and alias[0].text == "低保申请" and alias[0].spans == [(0, 4)]


@pytest.mark.parametrize("letters, code, chars", [
    ("dibao", "T-0001", None),                 # via the synonym term 低保
    ("gaoling", "T-0002", "高龄"),
    ("gaol", "T-0002", "高龄"),                # partial last syllable
    ("gaolingjintie", "T-0002", "高龄津贴"),
    ("zuidishenghuobaozhang", "T-0001", "最低生活保障"),
])
def test_full_pinyin(mini: SearchIndex, letters: str, code: str, chars: str | None) -> None:
    result = mini.search(letters)
    assert result.hits and result.hits[0].code == code
    if chars:
        hit = result.hits[0]
        assert [hit.name[s:e] for s, e in spans_of(result, code, "pinyin")] == [chars]


@pytest.mark.parametrize("letters, code, chars", [
    ("gljt", "T-0002", "高龄津贴"),
    ("zdsh", "T-0001", "最低生活"),
    ("nccm", "T-0004", "农村村民"),
])
def test_initials(mini: SearchIndex, letters: str, code: str, chars: str) -> None:
    result = mini.search(letters)
    assert result.hits[0].code == code
    hit = result.hits[0]
    assert [hit.name[s:e] for s, e in spans_of(result, code, "initials")] == [chars]


def test_initials_of_a_synonym_term(mini: SearchIndex) -> None:
    assert mini.search("db").hits[0].code == "T-0001"


@pytest.mark.parametrize("letters, code, chars", [
    ("yinhang", "P-1", "银行"),      # 行: xing / hang
    ("changqi", "P-2", "长期"),      # 长: chang / zhang
    ("zhongdu", "P-3", "重度"),      # 重: zhong / chong
    ("chongdu", "P-3", "重度"),
    ("leling", "P-4", "乐龄"),       # 乐: le / yue
    ("chuanran", "P-5", "传染"),     # 传: chuan / zhuan
    ("cunzhang", "P-6", "村长"),     # 长 read zhang
    ("yh", "P-1", "银行"),
])
def test_polyphones_match_every_reading(poly: SearchIndex, letters: str, code: str,
                                        chars: str) -> None:
    result = poly.search(letters)
    assert result.hits[0].code == code
    hit = result.hits[0]
    matched = [hit.name[s:e] for m in hit.matches if m.field in ("pinyin", "initials")
               for s, e in m.spans]
    assert matched == [chars]


@pytest.mark.parametrize("query, code", [
    ("80岁", "T-0002"),
    ("gl补贴", "T-0002"),
    ("dibao申请", "T-0001"),
    ("80 高龄", "T-0002"),
    ("养老 领取", "T-0003"),
])
def test_mixed_input(mini: SearchIndex, query: str, code: str) -> None:
    result = mini.search(query)
    assert result.hits and result.hits[0].code == code


def test_lower_ranked_fields_material_department_step(mini: SearchIndex) -> None:
    result = mini.search("户口簿")
    assert set(codes(result)) == {"T-0001", "T-0002", "T-0003", "T-0004"}
    assert all(h.matches[0].field == "material" for h in result.hits)
    dep = mini.search("社保所")
    assert codes(dep) == ["T-0003"] and dep.hits[0].matches[0].field == "department"


def test_ranking_ladder() -> None:
    index = custom_index(LADDER)
    result = index.search("残疾")
    assert codes(result) == ["L-exact", "L-prefix", "L-sub-popular", "L-sub", "L-tie-long",
                             "L-alias", "L-keyword", "L-material", "L-step"]
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert result.total == len(LADDER)


def test_pinyin_ranks_below_characters_and_prefix_first() -> None:
    index = custom_index([item("A", "老年人高龄津贴申领", 50), item("B", "高龄津贴", 1),
                          item("C", "村务公开", 99, aliases=["高龄"])])
    assert codes(index.search("高龄"))[:2] == ["B", "A"]          # exact > substring
    result = index.search("gaoling")
    assert codes(result)[:2] == ["C", "B"]      # the whole alias spelled, then name prefix
    assert result.hits[1].score > result.hits[2].score


def test_limit_and_total(mini: SearchIndex) -> None:
    result = mini.search("居民身份证", limit=2)
    assert len(result.hits) == 2 and result.total == 4
    assert mini.search("居民身份证", limit=0).hits == []


@pytest.mark.parametrize("query", ["", "   ", "\u3000", "！？", "zzzzqqq", "火星签证", "ü"])
def test_nothing_found_suggests_instead(mini: SearchIndex, query: str) -> None:
    result = mini.search(query)
    assert result.hits == [] and result.total == 0
    assert result.suggestions is not None
    catalog, _ = mini_index()
    assert [s.code for s in result.suggestions.popular] == [s.code for s in catalog.popular(8)]
    assert {c.name for c in result.suggestions.categories} >= {"社会救助", "养老"}
    assert result.suggestions.message


def test_found_means_no_suggestions(mini: SearchIndex) -> None:
    assert mini.search("低保").suggestions is None


@pytest.mark.parametrize("query", ["ＤＩＢＡＯ", "DiBao", " di bao ", "di'bao", "低　保"])
def test_width_case_spaces_folded(mini: SearchIndex, query: str) -> None:
    assert mini.search(query).hits[0].code == "T-0001"


def test_zero_folded_onto_ling() -> None:
    index = custom_index([item("Z", "二〇二六年度补贴发放")])
    assert codes(index.search("二零二六")) == ["Z"]
    assert codes(index.search("二〇二六")) == ["Z"]


def _reads(ch: str) -> set[str]:
    return {r for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]}


@pytest.mark.parametrize("query", ["低", "保险", "低保", "dibao", "gljt", "gaol", "80岁",
                                   "gl补贴", "身份证", "民政", "yinhang", "zhongdu"])
def test_spans_highlight_what_was_typed(mini: SearchIndex, poly: SearchIndex,
                                        query: str) -> None:
    """Literal spans cover exactly the typed characters; pinyin spans cover characters whose
    readings begin with the letters' initials, one character per syllable."""
    for index in (mini, poly):
        for hit in index.search(query).hits:
            assert hit.matches, hit
            for m in hit.matches:
                for s, e in m.spans:
                    assert 0 <= s < e <= len(m.text)
                    part = fold(m.text[s:e])
                    if m.field in ("pinyin", "initials"):
                        letters = "".join(c for c in query if c.isascii())
                        assert all(_reads(c) for c in part)
                        assert any(r.startswith(letters[0]) for r in _reads(part[0]))
                    elif m.field not in ("synonym", "colloquial") and \
                            not any(c.isascii() for c in query):
                        assert part in fold(query), (query, m)


def test_repeated_query_is_served_from_cache(mini: SearchIndex) -> None:
    assert mini.search("高龄") is mini.search("高龄")
    mini.clear_cache()
    assert mini.search("高龄") == mini.search("高龄")


def test_one_character_does_not_search_materials_steps_departments(mini: SearchIndex) -> None:
    """证 is in 居民身份证 of every item: one character searches names and terms only."""
    index = custom_index([item("A", "残疾人证申领", materials=["居民身份证"]),
                          item("B", "高龄津贴申领", materials=["居民身份证"])])
    result = index.search("证")
    assert codes(result) == ["A"]
    assert [m.field for m in result.hits[0].matches] == ["name"]
    assert set(codes(mini.search("身份证"))) == {"T-0001", "T-0002", "T-0003", "T-0004"}



def test_one_letter_finds_names_beginning_with_it_first() -> None:
    index = custom_index([item("A", "高龄津贴申领", 1), item("B", "老年人高龄补贴", 9)])
    assert codes(index.search("g")) == ["A", "B"]
    assert codes(index.search("gl")) == ["A", "B"]      # both; the name beginning with it first
