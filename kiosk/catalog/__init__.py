"""The procedure catalog: model, validation, SQLite store and search index.

`open_catalog(cfg)` is the one call the application makes at start. Imports happen inside
the functions so that importing this package (e.g. for the model) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.catalog.catalog import Catalog
    from kiosk.catalog.store import CatalogStore, ImportReport
    from kiosk.config import Config


def open_store(cfg: Config) -> CatalogStore:
    """The configured store ([catalog].db, relative to kiosk.toml's folder), opened, with the
    seed catalog ([catalog].seed) imported if the store is empty. Close it when done."""
    from kiosk.catalog.store import CatalogStore
    from kiosk.errors import CatalogError

    store = CatalogStore(cfg.path(cfg.catalog.db)).open()
    try:
        if store.current_version_id() is None:
            if not cfg.catalog.seed:
                raise CatalogError(f"{store.path}: no catalog imported and [catalog].seed is "
                                   "empty; import one with: kiosk catalog import FILE")
            seed = cfg.path(cfg.catalog.seed)
            if not seed.is_file():
                raise CatalogError(f"{store.path}: no catalog imported, and the seed catalog "
                                   f"{seed} ([catalog].seed) does not exist; import one with: "
                                   "kiosk catalog import FILE")
            store.import_file(seed)
    except BaseException:
        store.close()
        raise
    return store


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
