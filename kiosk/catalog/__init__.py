"""The procedure catalog: model, validation, SQLite store and search index.

`open_catalog(cfg)` is the one call the application makes at start. Imports happen inside
the functions so that importing this package (e.g. for the model) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.catalog.catalog import Catalog
    from kiosk.catalog.store import CatalogStore
    from kiosk.config import Config


def open_store(cfg: Config) -> CatalogStore:
    """The configured store ([catalog].db, relative to kiosk.toml's folder), opened, with the
    seed catalog ([catalog].seed) imported if the store is empty. Close it when done."""
    from kiosk.catalog.store import CatalogStore
    from kiosk.catalog.validate import load_document
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
            store.import_document(load_document(seed), source=str(seed))
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
