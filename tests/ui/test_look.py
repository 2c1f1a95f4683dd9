"""Theme figures (contrast, sizes in mm), the Simplified Chinese face, glyph coverage of every
catalog string and every UI string, and Chinese line breaking."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import DisplayConfig
from screens.fonts import fontset
from screens.text import NO_LINE_END, NO_LINE_START, wrap
from screens.theme import contrast_ratio, make_theme
from tests.support.catalogs import MINI_CATALOG

REPO = Path(__file__).resolve().parents[2]
PANELS = [DisplayConfig(width=1080, height=1920, diagonal_inch=27.0),
          DisplayConfig(width=1920, height=1080, diagonal_inch=21.5),
          DisplayConfig(width=1920, height=1080, diagonal_inch=15.6)]


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_text_colour_pair_has_contrast(elder: bool) -> None:
    theme = make_theme(DisplayConfig(), elder)
    pairs = theme.text_pairs()
    assert len(pairs) >= 10
    for name, fg, bg in pairs:
        assert contrast_ratio(fg, bg) >= 4.5, name


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("panel", PANELS, ids=lambda p: f"{p.width}x{p.height}@{p.diagonal_inch}")
def test_sizes_are_millimetres_on_every_panel(panel: DisplayConfig) -> None:
    normal, elder = make_theme(panel, False), make_theme(panel, True)
    assert normal.px_to_mm(normal.target) >= 15
    assert elder.px_to_mm(elder.target) >= 20
    assert elder.px_to_pt(elder.body) >= 30
    assert normal.px_to_mm(normal.body) >= 6.9      # ADA 707: characters ≥ 4.8 mm high
    assert elder.body > normal.body and elder.target > normal.target


def test_the_simplified_chinese_face_is_chosen_by_name() -> None:
    fonts = fontset()
    assert "SC" in fonts.primary_name and "JP" not in fonts.primary_name
    assert "SC" in fontset(bold=True).primary_name


def test_missing_glyphs_are_detected() -> None:
    assert fontset().missing("办事指南\U0001f600\U000f0000") == {"\U0001f600", "\U000f0000"}
    assert fontset().missing("最多跑一次 ① ▲ ‹ ：（）") == set()


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def _catalogs() -> list[Path]:
    paths = [MINI_CATALOG, REPO / "assets" / "catalog" / "sample-catalog.json"]
    return [p for p in paths if p.exists()]


@pytest.mark.parametrize("path", _catalogs(), ids=lambda p: p.name)
def test_every_character_of_the_catalog_has_a_glyph(path: Path) -> None:
    text = "".join(_strings(json.loads(path.read_text(encoding="utf-8"))))
    for bold in (False, True):
        missing = fontset(bold).missing(text)
        assert not missing, f"{path.name}: no glyph for " + " ".join(
            f"{c!r} U+{ord(c):04X}" for c in sorted(missing))


def test_every_ui_string_has_a_glyph() -> None:
    text = []
    for py in sorted((REPO / "screens").rglob("*.py")):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text.append(node.value)
    joined = "".join(t for t in text if not t.isascii())
    assert len(joined) > 200
    assert fontset().missing(joined) == set()
    assert fontset(True).missing(joined) == set()


def test_wrapping_keeps_chinese_rules_and_width() -> None:
    fonts = fontset()
    text = ("申请人需提供居民身份证（原件），户口簿及ABC12345号证明材料。"
            "请到一楼3号窗口办理，咨询电话0000-5550101。") * 3
    for width in (120, 233, 400, 777):
        lines = wrap(fonts, text, 30, width)
        assert "".join(text[ln.start:ln.end] for ln in lines) == text
        for ln in lines:
            piece = text[ln.start:ln.end]
            assert ln.width <= width or len(piece) == 1
            assert piece[0] not in NO_LINE_START
            assert piece[-1] not in NO_LINE_END
            assert "ABC1234" not in text[ln.end - 3:ln.end + 3] or "ABC12345" in piece \
                or width < fonts.width("ABC12345", 30)


def test_explicit_newlines_break() -> None:
    lines = wrap(fontset(), "第一行\n第二行", 30, 2000)
    assert len(lines) == 2
