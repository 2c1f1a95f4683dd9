"""`kiosk doctor`'s glyph check walks every string of the imported catalog through the UI's
font chain (real fonts, real SQLite store)."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.config import parse_config
from screens.commands import check_glyphs
from tests.support.catalogs import MINI_CATALOG


def _cfg(tmp_path: Path, seed: Path) -> object:
    return parse_config({"catalog": {"db": "catalog.sqlite", "seed": str(seed)}},
                        base_dir=str(tmp_path))


def test_glyph_check_passes_on_the_test_catalog(tmp_path: Path) -> None:
    check = check_glyphs(_cfg(tmp_path, MINI_CATALOG))  # type: ignore[arg-type]
    assert check.ok, check.message


def test_glyph_check_names_a_character_no_font_has(tmp_path: Path) -> None:
    doc = json.loads(MINI_CATALOG.read_text(encoding="utf-8"))
    doc["items"][0]["materials"][0]["fill_note"] = "请按\U000f0001填写"   # private use: no glyph
    seed = tmp_path / "odd.json"
    seed.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    check = check_glyphs(_cfg(tmp_path, seed))  # type: ignore[arg-type]
    assert not check.ok and "U+F0001" in check.message and check.fix
