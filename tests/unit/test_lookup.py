"""kiosk.lookup: where the UI gets its catalog and search index."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from kiosk.catalog.catalog import Catalog
from kiosk.config import load_config
from kiosk.errors import CatalogError
from kiosk.lookup import (
    BackgroundSearcher,
    catalog_from_file,
    load_catalog,
)
from kiosk.search import SearchIndex
from tests.support.catalogs import MINI_CATALOG

REPO = Path(__file__).resolve().parents[2]


def test_background_searcher_builds_on_a_thread_and_waits_when_asked_early() -> None:
    cat = catalog_from_file(MINI_CATALOG)
    gate = threading.Event()
    built_on: list[str] = []

    def slow_build(c: Catalog) -> SearchIndex:
        built_on.append(threading.current_thread().name)
        gate.wait(5)
        return SearchIndex.build(c)

    bg = BackgroundSearcher(cat, slow_build)
    assert not bg.ready          # nothing happens before start(): no work in a constructor
    bg.start()
    assert not bg.ready
    threading.Timer(0.05, gate.set).start()
    result = bg.search("低保", 10)   # waits for the index
    assert bg.ready and built_on == ["search-index"]
    assert [h.code for h in result.hits] == ["T-0001"]


def test_background_searcher_reports_a_failed_build_plainly() -> None:
    def broken(c: Catalog) -> SearchIndex:
        raise ValueError("bad synonym table")

    bg = BackgroundSearcher(catalog_from_file(MINI_CATALOG), broken).start()
    with pytest.raises(CatalogError, match="bad synonym table"):
        bg.complete("d", 5)


def test_load_catalog_uses_the_store_and_never_falls_back_to_the_test_catalog(
        tmp_path: Path) -> None:
    cfg = load_config(REPO / "kiosk.toml")
    seeded = dataclasses.replace(cfg, base_dir=str(REPO), catalog=dataclasses.replace(
        cfg.catalog, db=str(tmp_path / "a.sqlite"), seed=str(MINI_CATALOG)))
    assert len(load_catalog(seeded)) == 4
    unseeded = dataclasses.replace(seeded, catalog=dataclasses.replace(
        seeded.catalog, db=str(tmp_path / "b.sqlite"), seed=str(tmp_path / "missing.json")))
    with pytest.raises(CatalogError) as err:   # no fallback into a source checkout's tests/
        load_catalog(unseeded)
    assert "missing.json" in str(err.value)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    broken = dataclasses.replace(seeded, catalog=dataclasses.replace(
        seeded.catalog, db=str(tmp_path / "c.sqlite"), seed=str(bad)))
    with pytest.raises(CatalogError):
        load_catalog(broken)


def test_a_county_lexicon_that_cannot_be_used_leaves_the_shipped_one(tmp_path: Path) -> None:
    from kiosk.lookup import make_searcher

    cat = catalog_from_file(REPO / "assets" / "catalog" / "sample-catalog.json")
    bad = tmp_path / "lexicon.json"
    bad.write_text('{"format": "township-kiosk-lexicon", "format_version": 1, "groups": [1]}',
                   encoding="utf-8")
    index = make_searcher(cat, 8, bad)          # logged, not raised
    assert "QH-QT-04" in [h.code for h in index.search("过世", 10).hits]
