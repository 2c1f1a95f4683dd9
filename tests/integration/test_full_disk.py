"""Issue 13, "Full disk", on a real 2 MB tmpfs (tests/support/smallfs) filled to a few KB:
the catalog opens read-only and guides are still shown, saying "disk full"; an import says the
disk is full and keeps the current catalog (no "cannot rollback" masking it); the queue store
says so too and its report still reads."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.catalog import open_catalog, open_store
from kiosk.catalog.generate import generate_document
from kiosk.catalog.store import CatalogStore
from kiosk.config import Config, parse_config
from kiosk.errors import CatalogError
from kiosk.queue.store import QueueStoreError
from tests.support.smallfs import SmallFs, small_tmpfs
from tests.unit.test_queue_store import DAY, new_store, request

MINI = Path(__file__).resolve().parent.parent / "data" / "mini-catalog.json"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallFs]:
    with small_tmpfs(tmp_path / "disk", "2m") as fs:
        yield fs


def _cfg(fs: SmallFs) -> Config:
    return parse_config({"catalog": {"db": str(fs.root / "catalog.sqlite"), "seed": str(MINI)},
                         "queue": {"db": str(fs.root / "queue.sqlite")}},
                        base_dir=str(fs.root))


def test_guides_are_served_read_only_from_a_full_disk(disk: SmallFs) -> None:
    cfg = _cfg(disk)
    open_store(cfg).close()                      # imported the seed, closed cleanly
    assert disk.fill(4096) <= 4096
    catalog = open_catalog(cfg)
    first = catalog.summaries()[0]
    item = catalog.get(first.code)                # a citizen opens a guide
    assert item.name == first.name
    store = CatalogStore(cfg.path(cfg.catalog.db)).open(fallback_readonly=True)
    try:
        assert store.degraded.startswith("disk full")
        with pytest.raises(CatalogError, match=r"import refused.*disk full.*current catalog "
                                               "is unchanged"):
            store.import_document(json.loads(MINI.read_text("utf-8")))
    finally:
        store.close()


def test_without_the_fallback_a_full_disk_is_named(disk: SmallFs) -> None:
    cfg = _cfg(disk)
    open_store(cfg).close()
    disk.fill(4096)
    with pytest.raises(CatalogError, match=r"cannot open.*disk full"):
        CatalogStore(cfg.path(cfg.catalog.db)).open()


def test_the_cli_shows_a_guide_on_a_full_disk(disk: SmallFs, run_kiosk: typing.Any,
                                              tmp_path: Path) -> None:
    toml = tmp_path / "kiosk.toml"
    toml.write_text(f'[catalog]\ndb = "{disk.root / "catalog.sqlite"}"\nseed = "{MINI}"\n',
                    "utf-8")
    code = json.loads(MINI.read_text("utf-8"))["items"][0]["code"]
    assert run_kiosk("--config", str(toml), "show", code).returncode == 0
    disk.fill(4096)
    out = run_kiosk("--config", str(toml), "show", code)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and len(out.stdout) > 200


def test_an_import_that_fills_the_disk_keeps_the_current_catalog(disk: SmallFs) -> None:
    """SQLite rolls back by itself on SQLITE_FULL; the store's own ROLLBACK then said 'cannot
    rollback - no transaction is active' instead of the designed message."""
    store = CatalogStore(disk.root / "catalog.sqlite").open()
    try:
        store.import_document(json.loads(MINI.read_text("utf-8")))
        disk.fill(64 * 1024)
        with pytest.raises(CatalogError) as info:
            store.import_document(generate_document(2000, seed=3))
        message = str(info.value)
        assert "import failed" in message and "current catalog is unchanged" in message
        assert "full" in message and "cannot rollback" not in message
        current = store.current()
        assert current is not None and current.version == "test-1"
        disk.unfill()
        assert store.import_document(generate_document(20, seed=3)).items == 20
    finally:
        store.close()


def test_rollback_on_a_full_disk_says_so(disk: SmallFs) -> None:
    store = CatalogStore(disk.root / "catalog.sqlite").open()
    try:
        store.import_document(json.loads(MINI.read_text("utf-8")))
        store.import_document(generate_document(20, seed=3))
        disk.fill(0)
        try:
            version = store.rollback()           # a tiny write: may still fit in the WAL
        except CatalogError as exc:
            assert "rollback failed" in str(exc) and "cannot rollback" not in str(exc)
            assert store.current_info()["catalog_version"] == "synthetic-20-3"  # type: ignore[index]
        else:
            assert version == "test-1"
    finally:
        store.close()


def test_the_queue_store_names_a_full_disk_and_its_report_still_reads(disk: SmallFs) -> None:
    path = disk.root / "queue.sqlite"
    store = new_store(path)
    store.open()
    store.issue(request())
    store.close()
    disk.fill(4096)
    with pytest.raises(QueueStoreError, match=r"cannot open.*disk full"):
        new_store(path).open()
    reader = new_store(path)
    reader.open(readonly=True)                   # kiosk status / maintenance: read-only
    try:
        assert [t.number for t in reader.tickets(DAY)] == ["C001"]
        with pytest.raises(QueueStoreError, match=r"refused.*disk full.*no ticket was changed"):
            reader.issue(request())
    finally:
        reader.close()
