"""The procedure catalog: model, validation, SQLite store and search index.

`open_catalog(cfg)` is the one call the application makes at start. Imports happen inside
the functions so that importing this package (e.g. for the model) stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.catalog.catalog import Catalog
    from kiosk.catalog.store import CatalogStore, ImportReport
    from kiosk.config import Config


def open_store(cfg: Config) -> CatalogStore:
    """The configured store ([catalog].db, relative to kiosk.toml's folder), opened, with the
    seed catalog ([catalog].seed) imported if the store is empty — or re-imported if the
    current catalog came from the seed file and that file changed since (a kiosk update or a
    developer editing the sample). A catalog imported from elsewhere is never replaced by the
    seed. Close the store when done."""
    from kiosk.catalog.store import CatalogStore

    store = CatalogStore(cfg.path(cfg.catalog.db)).open()
    try:
        _seed(store, cfg)
    except BaseException:
        store.close()
        raise
    return store


def _seed(store: CatalogStore, cfg: Config) -> None:
    from kiosk.errors import CatalogError

    seed = cfg.path(cfg.catalog.seed) if cfg.catalog.seed else None
    current = store.current_info()
    if current is None:
        if seed is None or not seed.is_file():
            where = f"the seed catalog {seed} ([catalog].seed) does not exist" if seed else \
                "[catalog].seed is empty"
            raise CatalogError(f"{store.path}: no catalog imported, and {where}; import one "
                               "with: kiosk catalog import FILE")
        store.import_file(seed)
    elif seed is not None and current["source"] == str(seed) and _newer(seed, current):
        _refresh(store, seed, current["catalog_version"])


def _newer(seed: Path, current: dict[str, Any]) -> bool:
    from datetime import datetime

    try:
        imported = datetime.fromisoformat(current["imported_at"]).timestamp()
        return seed.stat().st_mtime > imported + 1.0
    except (OSError, ValueError):
        return False


def _refresh(store: CatalogStore, seed: Path, version: str) -> None:
    """Re-import a changed seed; a broken one is logged and the current catalog kept."""
    import logging

    from kiosk.errors import CatalogValidationError

    log = logging.getLogger(__name__)
    try:
        report = store.import_file(seed)
    except CatalogValidationError as e:
        log.warning("seed catalog %s changed but has %d problem(s); keeping catalog %s; "
                    "first: %s", seed, len(e.problems), version, e.problems[0])
        return
    log.info("seed catalog %s changed: imported version %s (%d items)", seed,
             report.catalog_version, report.items)


def open_catalog(cfg: Config) -> Catalog:
    """The current catalog for the UI and search. The store stays open for the life of the
    returned Catalog (its items are read from it on demand)."""
    store = open_store(cfg)
    catalog = store.current()
    if catalog is None:   # only if another process emptied the store in between
        store.close()
        from kiosk.errors import CatalogError
        raise CatalogError(f"{store.path}: the catalog store holds no current catalog")
    return catalog


def import_catalog(cfg: Config, path: Path, forms: Path | None = None) -> tuple[ImportReport, int]:
    """Import a catalog file into the configured store, with its form files: from `forms`, or
    the `forms/` folder next to the file if there is one. Returns (report, form files copied).

    Raises CatalogValidationError (every problem, including form files the folder lacks)
    before anything is written; the forms are copied before the catalog is switched."""
    from kiosk.catalog.forms import install_forms, missing_forms, package_forms_dir
    from kiosk.catalog.store import CatalogStore
    from kiosk.catalog.validate import load_document
    from kiosk.errors import CatalogValidationError

    doc = load_document(path)
    folder = forms or package_forms_dir(path)
    copied = 0
    if folder is not None:
        problems = missing_forms(doc, folder)
        if problems:
            raise CatalogValidationError(problems, source=str(path))
        copied = install_forms(doc, folder, cfg.path(cfg.catalog.forms_dir))
    with CatalogStore(cfg.path(cfg.catalog.db)) as store:
        return store.import_valid(doc, str(path)), copied
