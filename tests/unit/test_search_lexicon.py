"""The colloquial lexicon shipped with the kiosk (kiosk/search/colloquial.json) and the
evaluation set (tests/data/search-eval.json): both files held to their own rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog.catalog import Catalog
from kiosk.search import SearchIndex
from kiosk.search.lexicon import (
    SHIPPED,
    LexiconError,
    digits,
    lexicon_from_document,
    load_lexicon,
    read_lexicon,
    shipped_lexicon,
)
from kiosk.search.normalize import fold
from tests.unit.search_catalog import custom_index, item

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "assets" / "catalog" / "sample-catalog.json"
EVAL = ROOT / "tests" / "data" / "search-eval.json"


def _doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return data


def test_every_group_says_where_it_comes_from() -> None:
    groups = _doc()["groups"]
    assert isinstance(groups, list) and len(groups) >= 30
    for g in groups:
        assert len(g["source"]) >= 20, g["name"]
        assert g["words"], g["name"]


def test_meanings_are_words_the_sample_catalog_uses() -> None:
    """No meaning made up: each group's official terms occur in the sample catalog's
    names, aliases, keywords or synonyms (the catalog procedures really use them)."""
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    texts = " ".join(fold(t) for i in doc["items"] for t in (
        i["name"], i.get("short_name", ""), *i.get("aliases", ()), *i.get("keywords", ())))
    texts += " ".join(fold(m) for s in doc["synonyms"] for m in (s["term"], *s["means"]))
    for g in _doc()["groups"]:
        means = g.get("means", [])
        if means:
            assert any(fold(m) in texts for m in means), g["name"]


def test_the_issues_groups_are_there() -> None:
    lex = shipped_lexicon()
    for word, meaning in [("过世", "注销"), ("走了", "丧葬"), ("看病", "医保"), ("工钱", "欠薪"),
                          ("新房", "竣工"), ("八十多岁", "高龄"), ("80多", "高龄"),
                          ("开店", "个体工商户"), ("补助", "补贴")]:
        e = lex.entry(word)
        assert e is not None and meaning in e.means, word
    for family in ("父亲", "母亲", "爱人"):
        e = lex.entry(family)
        assert e is not None and e.weight == 0      # carries no procedure by itself
    assert lex.is_filler("怎么办") and lex.is_filler("了") and lex.is_filler("我想")


@pytest.mark.parametrize("text, expected", [
    ("八十岁", "80岁"), ("八十多岁", "80多岁"), ("六十岁", "60岁"), ("十八岁", "18岁"),
    ("一百岁", "100岁"), ("二十三", "23"), ("三岁以下", "三岁以下"), ("低保", "低保"),
])
def test_numbers_in_words_and_digits(text: str, expected: str) -> None:
    assert digits(text) == expected


def test_digits_find_what_words_say() -> None:
    index = custom_index([item("A", "60岁以上老年人乘车优待")])
    assert [h.code for h in index.search("六十岁老人坐车").hits][:1] == ["A"]


def _county(tmp_path: Path, groups: list[dict[str, object]]) -> Path:
    path = tmp_path / "county-lexicon.json"
    path.write_text(json.dumps({"format": "township-kiosk-lexicon", "format_version": 1,
                                "groups": groups}, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_county_file_adds_its_own_words(tmp_path: Path) -> None:
    path = _county(tmp_path, [{"name": "方言", "source": "青禾县方言调查（虚构的测试）",
                               "words": ["老汉走咧"], "means": ["死亡", "注销"]}])
    lex = load_lexicon([path])
    e = lex.entry("老汉走咧")
    assert e is not None and "注销" in e.means
    assert lex.entry("过世") is not None          # the shipped words stay
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    index = SearchIndex.build(Catalog.from_document(doc), lexicon=lex)
    assert "QH-QT-04" in [h.code for h in index.search("老汉走咧").hits]


@pytest.mark.parametrize("groups, named", [
    ([{"name": "x", "words": ["a"], "means": []}], "missing source"),
    ([{"name": "x", "source": "somewhere real", "words": "过世"}], "words"),
    ([{"name": "x", "source": "somewhere real", "words": ["过世"], "weight": 3}], "weight"),
    (["过世"], r"groups\[0\]"),
])
def test_a_bad_file_is_refused_naming_the_entry(tmp_path: Path, groups: list[object],
                                                named: str) -> None:
    path = _county(tmp_path, groups)  # type: ignore[arg-type]
    with pytest.raises(LexiconError, match=named) as err:
        read_lexicon(path)
    assert str(path) in str(err.value)
    with pytest.raises(LexiconError, match="format"):
        lexicon_from_document({"format": "other"}, "x.json")


# ---- the evaluation set ----------------------------------------------------------------------

def _eval() -> list[dict[str, object]]:
    queries: list[dict[str, object]] = json.loads(EVAL.read_text(encoding="utf-8"))["queries"]
    return queries


def test_eval_set_is_large_split_and_covers_every_category() -> None:
    queries = _eval()
    answerable = [q for q in queries if q["expect"]]
    assert len(answerable) >= 150
    held = [q for q in answerable if q["part"] == "held_out"]
    assert 0.28 <= len(held) / len(answerable) <= 0.40
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    by_code = {i["code"]: i for i in doc["items"]}
    covered: set[str] = set()
    for q in answerable:
        for code in q["expect"]:  # type: ignore[attr-defined]
            covered |= set(by_code[code]["themes"]) | set(by_code[code]["life_events"])
    names = {c["name"] for c in doc["categories"]["themes"]}
    names |= {c["name"] for c in doc["categories"]["life_events"]}
    assert names <= covered, names - covered


def test_held_out_part_meets_the_targets() -> None:
    """≥ 90 % of held-out queries find a right procedure in the first five, ≤ 2 % find
    nothing (bench/eval_search.py prints every figure)."""
    index = SearchIndex.build(Catalog.from_document(json.loads(SAMPLE.read_text("utf-8"))))
    held = [q for q in _eval() if q["part"] == "held_out" and q["expect"]]
    top5 = nothing = 0
    for q in held:
        hits = index.search(str(q["q"]), 30).hits
        nothing += not hits
        top5 += any(h.code in q["expect"] for h in hits[:5])  # type: ignore[operator]
    assert top5 / len(held) >= 0.90
    assert nothing / len(held) <= 0.02
