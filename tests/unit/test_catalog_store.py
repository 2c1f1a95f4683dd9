"""The SQLite store on real files: import, read back, versions, rollback, atomicity when the
file is bad or an exception interrupts the import between items."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog.generate import generate_document
from kiosk.catalog.model import to_dict
from kiosk.catalog.store import CatalogStore
from kiosk.errors import CatalogError, CatalogValidationError

MINI = Path(__file__).parent.parent / "data" / "mini-catalog.json"


def _mini() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(MINI.read_text(encoding="utf-8"))
    return doc


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = CatalogStore(tmp_path / "var" / "catalog.sqlite").open()
    yield s
    s.close()


def test_empty_store_has_no_catalog(store: CatalogStore) -> None:
    assert store.current() is None
    assert store.current_version_id() is None
    assert store.stats()["current"] is None


def test_import_then_read_back_every_field(store: CatalogStore) -> None:
    doc = generate_document(120, seed=9)
    report = store.import_document(doc, source="gen.json")
    assert (report.items, report.catalog_version, report.previous_version) == (
        120, "synthetic-120-9", None)
    cat = store.current()
    assert cat is not None and len(cat) == 120
    assert [s.code for s in cat] == [i["code"] for i in doc["items"]]   # catalog order kept
    for raw in (doc["items"][0], doc["items"][77]):
        item = cat.get(raw["code"])
        assert to_dict(item) == _without_empty(raw)
    assert cat.meta.synonyms and cat.meta.themes[0].name == doc["categories"]["themes"][0]["name"]


def _without_empty(d: dict[str, Any]) -> dict[str, Any]:
    """The model's normal form leaves empty optional lists and texts out."""
    return {k: v for k, v in d.items() if v not in ("", [], None)}


def test_summaries_from_columns_equal_summaries_from_document(store: CatalogStore) -> None:
    from kiosk.catalog.catalog import Catalog

    doc = _mini()
    store.import_document(doc)
    cat = store.current()
    assert cat is not None
    assert list(cat.summaries()) == list(Catalog.from_document(doc).summaries())


def test_summary_rows_carry_the_kinds_of_each_items_forms(store: CatalogStore) -> None:
    doc = _mini()
    doc["items"][1]["forms"] = [
        {"id": "S", "title": "样表", "kind": "sample", "file": "s.pdf"},
        {"id": "B", "title": "空白表", "kind": "blank", "file": "b.pdf"}]
    store.import_document(doc)
    cat = store.current()
    assert cat is not None
    code0, code1 = doc["items"][0]["code"], doc["items"][1]["code"]
    assert cat.summary(code0).forms == ("blank",)
    assert cat.summary(code1).forms == ("sample", "blank")      # guide order kept
    assert [s.forms for s in cat][2:] == [(), ()]


def test_second_import_keeps_previous_and_rollback_swaps(store: CatalogStore) -> None:
    store.import_document(_mini())
    report = store.import_document(generate_document(30, seed=1))
    assert report.previous_version == "test-1"
    assert store.stats()["previous"]["catalog_version"] == "test-1"
    assert store.rollback() == "test-1"
    cat = store.current()
    assert cat is not None and cat.version == "test-1" and len(cat) == 4
    assert store.rollback() == "synthetic-30-1"


def test_third_import_drops_the_oldest_version(store: CatalogStore) -> None:
    store.import_document(_mini())
    store.import_document(generate_document(10, seed=1))
    report = store.import_document(generate_document(10, seed=2))
    assert report.dropped_versions == 1
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM summaries").fetchone()[0] == 20
    assert db.execute("SELECT count(*) FROM bodies").fetchone()[0] == 20
    db.close()


def test_rollback_without_previous_is_a_clear_error(store: CatalogStore) -> None:
    store.import_document(_mini())
    with pytest.raises(CatalogError, match="no previous catalog version"):
        store.rollback()


def test_bad_document_leaves_previous_catalog_current(store: CatalogStore) -> None:
    store.import_document(_mini())
    bad = generate_document(50, seed=4)
    bad["items"][20]["materials"][0]["original_copies"] = "两份"
    with pytest.raises(CatalogValidationError) as e:
        store.import_document(bad, source="bad.json")
    assert e.value.problems == [
        'items[20].materials[0].original_copies: expected integer from 0 to 1000, got "两份"']
    cat = store.current()
    assert cat is not None and cat.version == "test-1"
    assert store.stats()["previous"] is None       # nothing was written at all


def test_exception_between_items_rolls_everything_back(store: CatalogStore) -> None:
    store.import_document(_mini())

    def explode(n: int) -> None:
        if n == 1000:
            raise RuntimeError("injected failure after 1000 items")

    with pytest.raises(RuntimeError, match="injected"):
        store.import_document(generate_document(1600, seed=5), progress=explode)
    cat = store.current()
    assert cat is not None and cat.version == "test-1" and len(cat) == 4
    assert cat.get("T-0002").name == "80周岁以上老年人高龄津贴申领"
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT count(*) FROM summaries").fetchone()[0] == 4
    assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == 1
    db.close()
    # and the store still works afterwards
    assert store.import_document(generate_document(10, seed=6)).items == 10


def test_reads_from_another_thread(store: CatalogStore) -> None:
    store.import_document(_mini())
    cat = store.current()
    assert cat is not None
    names: list[str] = []
    worker = threading.Thread(target=lambda: names.append(cat.get("T-0004").name))
    worker.start()
    worker.join(5)
    assert names == ["农村村民宅基地和建房（规划许可）申请"]


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "other.sqlite"
    db = sqlite3.connect(f)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(CatalogError, match="not a catalog store"):
        CatalogStore(f).open()


def test_a_newer_store_format_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "new.sqlite"
    CatalogStore(f).open().close()
    db = sqlite3.connect(f)
    db.execute("PRAGMA user_version=99")
    db.commit()
    db.close()
    with pytest.raises(CatalogError, match="newer than this program"):
        CatalogStore(f).open()


def test_item_of_a_dropped_version_says_restart(store: CatalogStore) -> None:
    store.import_document(_mini())
    old = store.current()
    assert old is not None
    store.import_document(generate_document(5, seed=1))
    store.import_document(generate_document(5, seed=2))
    with pytest.raises(CatalogError, match="restart the kiosk"):
        old.get("T-0003")


def test_import_file_refuses_broken_json_and_keeps_current(store: CatalogStore,
                                                          tmp_path: Path) -> None:
    store.import_file(MINI)
    broken = tmp_path / "broken.json"
    broken.write_text(MINI.read_text("utf-8")[:500], "utf-8")
    with pytest.raises(CatalogValidationError) as e:
        store.import_file(broken)
    assert e.value.problems[0].startswith("line ")
    cat = store.current()
    assert cat is not None and cat.version == "test-1"
    assert store.stats()["current"]["source"] == str(MINI)


def test_import_while_another_writer_holds_the_lock(store: CatalogStore) -> None:
    store.import_document(_mini())
    store.close()
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")            # a second process importing
    try:
        blocked = CatalogStore(store.path, timeout=0.2).open()
        with pytest.raises(CatalogError, match="current catalog is unchanged"):
            blocked.import_document(generate_document(5, seed=1))
        cat = blocked.current()
        assert cat is not None and cat.version == "test-1"
        blocked.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.open()
