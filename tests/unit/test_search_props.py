"""Whatever a citizen (or a stuck key) types, search and completion answer and never raise,
and every span lies inside its text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.search_catalog import LADDER, POLYPHONES, custom_index, mini_document

_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '　，。！（）()-_\x00\n")
    + list("低保养老钱高龄津贴最生活障残疾人证银行长期重度乐传〇零ａｂｃＡＢＣ１２３üÜ")
    + list("".join(i["name"] for i in mini_document()["items"])))
_TEXT = st.one_of(st.text(_ALPHABET, max_size=24), st.text(max_size=24))

INDEX = custom_index(POLYPHONES + LADDER + mini_document()["items"],
                     mini_document()["synonyms"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.integers(min_value=0, max_value=40))
def test_any_query_answers_with_spans_inside_the_text(query: str, limit: int) -> None:
    result = INDEX.search(query, limit)
    assert len(result.hits) <= limit
    assert result.total >= len(result.hits)
    assert (result.suggestions is not None) == (result.total == 0)
    for hit in result.hits:
        assert hit.matches
        for m in hit.matches:
            assert m.spans
            for s, e in m.spans:
                assert 0 <= s < e <= len(m.text)
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.integers(min_value=0, max_value=12))
def test_any_prefix_completes_without_error(prefix: str, limit: int) -> None:
    words = INDEX.complete(prefix, limit)
    assert len(words) <= limit
    assert all(isinstance(w, str) and w for w in words)


def test_very_long_input_answers() -> None:
    for query in ("b" * 3000, "gl补贴" * 400, "a1" * 1000, "低" * 5000):
        result = INDEX.search(query)
        assert result.total >= 0
        INDEX.complete(query)
