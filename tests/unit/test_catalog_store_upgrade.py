"""Opening a catalog store written by an older kiosk: it is upgraded in place and keeps every
catalog it held (a kiosk in the field must never lose its catalog on a software update).

tests/data/catalog-store-v1.sqlite was written by the format-1 store (main at d88df1f, before
`summaries.forms` existed): tests/data/mini-catalog.json imported (now the previous version),
then `generate_document(12, seed=3)` (current); WAL checkpointed and the file vacuumed.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from kiosk.catalog.catalog import Catalog, ItemSummary
from kiosk.catalog.store import SCHEMA_VERSION, CatalogStore
from kiosk.errors import CatalogError
from kiosk.forms.index import forms_index

V1 = Path(__file__).parent.parent / "data" / "catalog-store-v1.sqlite"


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    f = tmp_path / "catalog.sqlite"
    shutil.copyfile(V1, f)
    return f


def _raw(f: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(f)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def _expected(store: CatalogStore, version_id: int) -> list[ItemSummary]:
    """Summaries as a fresh import of the stored item JSON would build them."""
    return [ItemSummary.from_dict(d) for d in store.iter_items(version_id)]


def test_the_fixture_is_a_format_1_store(old_file: Path) -> None:
    assert _raw(old_file, "PRAGMA user_version") == [(1,)]
    columns = [r[1] for r in _raw(old_file, "PRAGMA table_info(summaries)")]
    assert "forms" not in columns and "visits" in columns


def test_old_store_is_upgraded_keeping_both_catalogs(old_file: Path) -> None:
    before = _raw(old_file, "SELECT id, catalog_version, sha256 FROM versions ORDER BY id")
    bodies = _raw(old_file, "SELECT id, body FROM bodies ORDER BY id")
    with CatalogStore(old_file) as store:
        stats = store.stats()
        assert stats["current"]["catalog_version"] == "synthetic-12-3"
        assert stats["previous"]["catalog_version"] == "test-1"
        cat = store.current()
        assert cat is not None and len(cat) == 12
        assert list(cat.summaries()) == _expected(store, stats["current"]["version_id"])
        with_forms = [s for s in cat if s.forms]
        assert len(with_forms) == 9 and all(s.forms == ("blank", "sample") for s in with_forms)
        assert [e.summary.code for e in forms_index(cat)] == [
            s.code for s in sorted(with_forms, key=lambda s: (-s.popularity, s.name))]
        assert store.rollback() == "test-1"       # the previous catalog has its forms too
        old = store.current()
        assert old is not None
        assert list(old.summaries()) == _expected(store, stats["previous"]["version_id"])
        assert [s.code for s in old if s.forms] == ["T-0001"]
        assert old.summary("T-0001").forms == ("blank",)
        assert old.get("T-0001").forms[0].kind == "blank"
    assert _raw(old_file, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert _raw(old_file, "SELECT id, catalog_version, sha256 FROM versions "
                          "ORDER BY id") == before
    assert _raw(old_file, "SELECT id, body FROM bodies ORDER BY id") == bodies


def test_upgraded_store_opens_again_and_imports(old_file: Path) -> None:
    from kiosk.catalog.generate import generate_document

    CatalogStore(old_file).open().close()
    with CatalogStore(old_file) as store:          # already format 2: nothing to do
        doc = generate_document(5, seed=4)
        report = store.import_document(doc)
        assert report.previous_version == "synthetic-12-3"
        cat = store.current()
        assert cat is not None
        assert list(cat.summaries()) == list(Catalog.from_document(doc).summaries())


def test_two_processes_upgrading_at_once_both_open(old_file: Path) -> None:
    """Threads here, each with its own connection, as two processes would have: the second
    waits for the first's upgrade and finds nothing left to do."""
    errors: list[BaseException] = []
    versions: list[str] = []

    def open_it() -> None:
        try:
            with CatalogStore(old_file) as store:
                cat = store.current()
                assert cat is not None
                versions.append(cat.version)
        except BaseException as e:  # handed to the test thread
            errors.append(e)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and versions == ["synthetic-12-3"] * 2
    columns = [r[1] for r in _raw(old_file, "PRAGMA table_info(summaries)")]
    assert columns.count("forms") == 1


def test_a_damaged_body_leaves_only_that_item_without_forms(
        old_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    (row_id, code), = _raw(old_file, "SELECT id, code FROM summaries WHERE version_id = "
                                     "(SELECT version_id FROM state WHERE key = 'current') "
                                     "ORDER BY id LIMIT 1")
    db = sqlite3.connect(old_file)
    db.execute("UPDATE bodies SET body = '{not json' WHERE id = ?", (row_id,))
    db.commit()
    db.close()
    with caplog.at_level(logging.WARNING, logger="kiosk.catalog.store"), \
            CatalogStore(old_file) as store:
        cat = store.current()
        assert cat is not None and len(cat) == 12
        assert cat.summary(str(code)).forms == ()
        assert sum(1 for s in cat if s.forms) == 8
    assert f"forms of item {code}" in caplog.text


def test_a_failed_upgrade_leaves_the_old_file_as_it_was(old_file: Path) -> None:
    """The upgrade fails half-way (after adding the column, reading the bodies): the whole
    transaction rolls back, so an older kiosk could still open the file."""
    db = sqlite3.connect(old_file)
    db.execute("ALTER TABLE bodies RENAME TO bodies_elsewhere")
    db.commit()
    db.close()
    with pytest.raises(CatalogError, match=r"upgrading to format 2 failed.*unchanged"):
        CatalogStore(old_file).open()
    assert _raw(old_file, "PRAGMA user_version") == [(1,)]
    columns = [r[1] for r in _raw(old_file, "PRAGMA table_info(summaries)")]
    assert "forms" not in columns
    assert _raw(old_file, "SELECT count(*) FROM summaries") == [(16,)]
