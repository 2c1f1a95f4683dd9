"""Search by words on the real sample catalog: segmentation, filler, the colloquial lexicon,
pinyin phrases, tolerance, ranking of multi-word queries and the "did you mean" page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.catalog.catalog import Catalog
from kiosk.search import SearchIndex, SearchResult
from kiosk.search import bands as B
from tests.unit.search_catalog import custom_index, item

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "catalog" / "sample-catalog.json"
DEATH = {"QH-QT-04", "QH-MZ-08", "QH-SB-06"}      # the three 身后事 items


@pytest.fixture(scope="module")
def sample() -> SearchIndex:
    return SearchIndex.build(Catalog.from_document(json.loads(SAMPLE.read_text("utf-8"))))


def codes(result: SearchResult, k: int = 30) -> list[str]:
    return [h.code for h in result.hits[:k]]


def words(index: SearchIndex, query: str) -> list[str]:
    return [w.spelled or w.text for w in index.words(query) if w.weight > 0]


@pytest.mark.parametrize("query, expected", [
    ("农村建房审批", ["农村", "建房审批"]),          # an alias stays one word
    ("老人八十岁补贴", ["老人", "八十岁", "补贴"]),
    ("父亲过世了怎么办", ["过世"]),                  # 父亲 carries no procedure; filler dropped
    ("我想问一下低保要什么材料", ["低保", "材料"]),
    ("laonianbutie", ["老年", "补贴"]),              # pinyin split like an input method
    ("zhangfuqushi", ["去世"]),                      # 丈夫 carries no procedure
    ("lnbt", ["老年", "补贴"]),                      # initials too
    ("zenmebanlaonianbutie", ["老年", "补贴"]),      # filler in pinyin
])
def test_words_of_a_query(sample: SearchIndex, query: str, expected: list[str]) -> None:
    assert words(sample, query) == expected


@pytest.mark.parametrize("query, top3", [
    ("父亲过世了", DEATH),
    ("看不起病", {"QH-YB-07"}),
    ("孩子没人管", {"QH-MZ-07"}),
    ("腿断了残疾", {"QH-CL-01"}),
    ("新房验收", {"QH-ZR-02"}),
    ("农村建房审批", {"QH-ZR-01"}),
    ("老人八十岁补贴", {"QH-MZ-01"}),
    ("laonianbutie", {"QH-MZ-01", "QH-MZ-10"}),
    ("lnbt", {"QH-MZ-01", "QH-MZ-10"}),
])
def test_the_issues_phrases_find_their_procedures(sample: SearchIndex, query: str,
                                                  top3: set[str]) -> None:
    assert top3 & set(codes(sample.search(query), 3)), codes(sample.search(query), 5)


def test_words_spread_over_fields_still_find_the_item(sample: SearchIndex) -> None:
    """生孩子补贴: 生孩子 is a keyword of 育儿补贴申领's neighbours, 补贴 in its name."""
    found = codes(sample.search("生孩子补贴"), 5)
    assert {"QH-WJ-01", "QH-WJ-02"} <= set(found)


def test_one_unknown_word_never_wipes_out_a_known_one(sample: SearchIndex) -> None:
    alone = set(codes(sample.search("qushi")))
    assert alone >= DEATH
    assert set(codes(sample.search("zhangfuqushi"), 5)) >= DEATH
    assert set(codes(sample.search("zhangfu qushi"), 5)) >= DEATH


@pytest.mark.parametrize("query, code", [
    ("dibaoo", "QH-MZ-02"),             # an extra letter
    ("shebaok", "QH-SB-12"),            # the last word still being typed
    ("ganlingjintie", "QH-MZ-01"),      # a wrong letter
    ("yanglaojing", "QH-SB-03"),        # 养老金: jin typed jing
    ("jiehundenji", "QH-MZ-12"),        # a missing letter
    ("殘疾證新辦", "QH-CL-01"),          # traditional characters
    ("高齡津貼", "QH-MZ-01"),
    ("ＤＩＢＡＯ", "QH-MZ-02"),           # full-width letters
    ("低保　申请？？", "QH-MZ-02"),       # stray spaces and punctuation
    (" 养 老 金 ", "QH-SB-03"),
])
def test_tolerance(sample: SearchIndex, query: str, code: str) -> None:
    assert code in codes(sample.search(query), 3), codes(sample.search(query), 5)


def test_whole_query_name_matches_rank_above_words() -> None:
    index = custom_index([item("W", "农村建房补助发放", 90, keywords=["审批"]),
                          item("N", "农村建房审批", 1),
                          item("S", "宅基地农村建房审批申请", 2)])
    result = index.search("农村建房审批")
    assert codes(result) == ["N", "S", "W"]          # exact, prefix… then by words
    assert result.hits[1].score >= B.NAME > result.hits[2].score


def test_more_of_the_query_covered_ranks_higher() -> None:
    index = custom_index([item("A", "高龄老人津贴申领", 1, keywords=["八十岁"]),
                          item("B", "老人助餐服务", 99),
                          item("C", "残疾人津贴", 50)])
    result = index.search("八十岁老人津贴")
    assert codes(result)[0] == "A"
    assert "C" not in codes(result) or codes(result).index("C") > 0


def test_why_a_colloquial_hit_came_up(sample: SearchIndex) -> None:
    result = sample.search("父亲过世了")
    why = {h.code: h.because for h in result.hits}
    assert why["QH-QT-04"] is not None and why["QH-QT-04"].word == "过世"
    assert why["QH-QT-04"].line().startswith("因为：过世 → ")
    hit = next(h for h in result.hits if h.code == "QH-QT-04")
    lit = [hit.name[s:e] for m in hit.matches if m.text == hit.name for s, e in m.spans]
    assert lit, "the official word the colloquial one means is lit in the name"
    assert sample.search("户口注销").hits[0].because is None     # typed as the catalog says


def test_did_you_mean_instead_of_an_empty_page(sample: SearchIndex) -> None:
    result = sample.search("办护照")
    assert result.hits == [] and result.total == 0
    sug = result.suggestions
    assert sug is not None and "您是不是要找" in sug.message and sug.closest
    assert sug.popular
    assert sample.search("zzzzqqq").suggestions is not None


def test_candidate_bar_offers_the_words_it_can_make(sample: SearchIndex) -> None:
    assert sample.complete("gaol")                       # as before: words begun
    offered = sample.complete("zhangfuqushi")
    assert "去世" in offered


def test_json_keeps_its_keys_and_adds_because(sample: SearchIndex) -> None:
    doc = sample.search("父亲过世了").to_json()
    assert {"query", "total", "hits", "suggestions"} <= doc.keys()
    hit = doc["hits"][0]
    assert {"code", "name", "score", "matches"} <= hit.keys()
    assert any("because" in h for h in doc["hits"])
    empty = sample.search("办护照").to_json()
    assert empty["suggestions"]["closest"]
