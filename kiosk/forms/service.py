"""Forms as citizens get them: find a procedure's form (blank or sample) and print it.

The catalog lookup is isolated in `lookup_item` so that the catalog store (kiosk.catalog) can
change underneath without touching the flows."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from devices.document_printer.cups import CupsPrinter
from devices.outcome import JobOutcome
from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import Form, Item
from kiosk.config import Config
from kiosk.copies.service import check_copies
from kiosk.errors import CatalogError


class FormNotFound(CatalogError):
    """The item has no such form, or its PDF is missing (names item, form and file)."""

    citizen_message = "这份表格暂时无法打印，请到窗口领取。"


def open_catalog(cfg: Config) -> Catalog:
    """The catalog the kiosk uses. kiosk.catalog.catalog.open_catalog (the SQLite store) when
    it exists; until then the seed document named in [catalog] seed."""
    module = importlib.import_module("kiosk.catalog.catalog")
    opener: Any = getattr(module, "open_catalog", None)
    if opener is not None:
        catalog: Catalog = opener(cfg)
        return catalog
    seed = cfg.path(cfg.catalog.seed)
    try:
        doc = json.loads(seed.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"catalog.seed: cannot read {seed}: {exc}") from exc
    return Catalog.from_document(doc)


def lookup_item(cfg: Config, code: str) -> Item:
    """The item with `code` (ItemNotFound otherwise)."""
    return open_catalog(cfg).get(code)


def form_pdf(cfg: Config, item: Item, form_id: str) -> tuple[Form, Path]:
    """The form and its PDF file (relative paths resolve against [catalog] forms_dir)."""
    form = item.form(form_id)
    if form is None:
        known = ", ".join(f.id for f in item.forms) or "(none)"
        raise FormNotFound(f"item {item.code} has no form {form_id!r}; its forms: {known}")
    path = Path(form.file)
    if not path.is_absolute():
        path = cfg.path(cfg.catalog.forms_dir) / path
    if not path.is_file():
        raise FormNotFound(f"item {item.code} form {form_id}: PDF {path} does not exist "
                           "(run scripts/build-forms.py, or check catalog.forms_dir)")
    return form, path


def print_form(cfg: Config, printer: CupsPrinter, item: Item, form_id: str,
               copies: int = 1) -> JobOutcome:
    """Print a procedure's form `copies` times (within document_printer.max_copies)."""
    check_copies(cfg, copies)
    form, path = form_pdf(cfg, item, form_id)
    return printer.print_file(path, copies, title=form.title)
