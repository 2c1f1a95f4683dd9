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
    seed. On a full or read-only disk the store is opened read-only (`store.degraded` says
    why; the seed is not looked at) so guides can still be shown. Close the store when done."""
    import logging

    from kiosk.catalog.store import CatalogStore

    store = CatalogStore(cfg.path(cfg.catalog.db)).open(fallback_readonly=True)
    if store.degraded:
        logging.getLogger(__name__).warning("catalog store %s is read-only (%s): guides are "
                                            "shown, nothing can be imported", store.path,
                                            store.degraded)
        return store
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
    """Re-import a changed seed; a broken one is logged and the current catalog kept — for
    any failure at all: a start that crashed here would restart-loop the kiosk under systemd
    although a good catalog is stored."""
    import logging

    from kiosk.errors import CatalogError, CatalogValidationError

    log = logging.getLogger(__name__)
    try:
        report = store.import_file(seed)
    except CatalogValidationError as e:
        log.warning("seed catalog %s changed but has %d problem(s); keeping catalog %s; "
                    "first: %s", seed, len(e.problems), version, e.problems[0])
        return
    except CatalogError as e:
        log.warning("seed catalog %s changed but cannot be imported (%s); keeping catalog %s",
                    seed, e, version)
        return
    except Exception:     # a bug must not take the kiosk down: the stored catalog is good
        log.exception("seed catalog %s changed; importing it failed; keeping catalog %s",
                      seed, version)
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


def import_catalog(cfg: Config, path: Path, forms: Path | None = None, *,
                   allow_empty: bool = False) -> tuple[ImportReport, int]:
    """Import a catalog file into the configured store, with its form files: from `forms`, or
    the `forms/` folder next to the file if there is one. Returns (report, form files copied).

    The contract (kept for the county's signed updates, which call this after verifying a
    download): the file is checked completely first, in bounded memory, and nothing is written
    if it has any problem (CatalogValidationError lists them, form files included: missing, a
    symbolic link, not a PDF); a catalog with no items replacing one with items is refused
    (EmptyCatalogRefused) unless `allow_empty`; the forms are copied before the catalog is
    switched; the switch is one transaction, so the last good catalog stays current on any
    failure (CatalogError)."""
    from kiosk.catalog.forms import form_problems, install_forms, package_forms_dir
    from kiosk.catalog.store import CatalogStore
    from kiosk.catalog.validate import check_catalog_file
    from kiosk.errors import CatalogValidationError, EmptyCatalogRefused

    check = check_catalog_file(path)
    if check.problems:
        raise CatalogValidationError(check.problems, source=str(path))
    folder = forms or package_forms_dir(path)
    if folder is not None:
        problems = form_problems(check.forms, folder)
        if problems:
            raise CatalogValidationError(problems, source=str(path))
    with CatalogStore(cfg.path(cfg.catalog.db)) as store:
        current = store.current_info()
        if check.items == 0 and current and current["items"] and not allow_empty:
            raise EmptyCatalogRefused(path, current["catalog_version"], current["items"])
        copied = 0
        if folder is not None:
            copied = install_forms(check.forms, folder, cfg.path(cfg.catalog.forms_dir))
        return store.import_checked(check), copied
