"""The search screen with the real sample catalog: a colloquial hit says why it came up,
and a query that matches nothing offers the closest items first ("您是不是要找")."""

from __future__ import annotations

import os
from pathlib import Path

import pygame

from screens.search import SearchScreen
from tests.ui.helpers import make_app, settle

SAMPLE = Path(__file__).resolve().parents[2] / "assets" / "catalog" / "sample-catalog.json"
SHOTS = os.environ.get("SEARCH_SHOTS", "")


def _screen(query: str, size: tuple[int, int] = (1080, 1920)) -> SearchScreen:
    app, _ = make_app(size, catalog_path=SAMPLE)
    s = SearchScreen(app)
    app.push(s)
    app.step(0)
    s.set_query(query)
    settle(app)
    app.step(0)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        name = f"search-{size[0]}x{size[1]}-{query}.png"
        app.draw()
        pygame.image.save(app.surface, str(Path(SHOTS) / name))
    return s


def test_a_hit_found_through_a_colloquial_word_says_why() -> None:
    s = _screen("父亲过世了")
    rows = s.view.content.rows  # type: ignore[attr-defined]
    assert rows and s.label.text.startswith("找到")
    why = [r for r in rows if r.subtitle.startswith("因为：过世 → ")]
    assert why, [r.subtitle for r in rows]
    assert all(r.spans or r.subtitle.startswith("因为：") for r in rows), \
        "every hit lights what matched in its name, or says why it came up"
    assert {r.data for r in rows} >= {"QH-QT-04", "QH-MZ-08", "QH-SB-06"}


def test_nothing_found_offers_the_closest_items_first() -> None:
    s = _screen("办护照")
    assert "您是不是要找" in s.label.text
    rows = s.view.content.rows  # type: ignore[attr-defined]
    assert rows and isinstance(rows[0].data, str)           # an item, not a category
    assert any(not isinstance(r.data, str) for r in rows)   # categories still follow
    n = len(s.result.suggestions.closest) if s.result and s.result.suggestions else 0
    assert rows[n].data is None and "常办" in rows[n].title     # and say they are others
    assert s.result is not None and s.result.suggestions is not None
    assert [r.data for r in rows[:len(s.result.suggestions.closest)]] == \
        [c.code for c in s.result.suggestions.closest]


def test_pinyin_phrase_keeps_candidates_when_the_whole_begins_no_word() -> None:
    s = _screen("zhangfuqushi")
    assert "去世" in [c.label for c in s.candidates]
    assert s.label.text.startswith("找到")
