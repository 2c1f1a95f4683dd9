"""Forms as citizens get them: find a procedure's form (blank or sample) and print it.

The catalog lookup is isolated in `lookup_item`, so the flows do not depend on how the catalog
is stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from devices.document_printer.cups import CupsPrinter
from devices.outcome import JobOutcome
from kiosk import messages
from kiosk.catalog.model import Form, Item
from kiosk.config import Config
from kiosk.copies.service import check_copies
from kiosk.errors import CatalogError


class FormNotFound(CatalogError):
    """The item has no such form, or its PDF is missing (names item, form and file)."""

    citizen_message = messages.FORM_NOT_PRINTABLE


def lookup_item(cfg: Config, code: str) -> Item:
    """The item with `code` (ItemNotFound otherwise), from the catalog store
    (kiosk.catalog.open_catalog: [catalog] db, seeded from [catalog] seed when empty)."""
    from kiosk.catalog import open_catalog

    return open_catalog(cfg).get(code)


KIND_ZH = {"blank": "空白表格", "sample": "示例样表"}


@dataclass(frozen=True)
class FormEntry:
    """One form as the 表格打印 list shows it: printable when its PDF is there."""

    form: Form
    path: Path | None

    @property
    def kind_zh(self) -> str:
        return KIND_ZH.get(self.form.kind, self.form.kind)

    @property
    def printable(self) -> bool:
        return self.path is not None


def _resolve(cfg: Config, form: Form) -> Path:
    path = Path(form.file)
    return path if path.is_absolute() else cfg.path(cfg.catalog.forms_dir) / path


def forms_of(cfg: Config, item: Item) -> list[FormEntry]:
    """The item's forms, blank ones first (what a citizen fills in), then the samples."""
    entries = [FormEntry(f, p if (p := _resolve(cfg, f)).is_file() else None)
               for f in item.forms]
    return sorted(entries, key=lambda e: e.form.kind != "blank")


def form_pdf(cfg: Config, item: Item, form_id: str) -> tuple[Form, Path]:
    """The form and its PDF file (relative paths resolve against [catalog] forms_dir)."""
    form = item.form(form_id)
    if form is None:
        known = ", ".join(f.id for f in item.forms) or "(none)"
        raise FormNotFound(f"item {item.code} has no form {form_id!r}; its forms: {known}")
    path = _resolve(cfg, form)
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
