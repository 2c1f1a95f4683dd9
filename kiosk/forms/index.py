"""Which catalog items have forms, for the 表格打印 list on the home screen.

ItemSummary carries no forms (the summaries are what lists and search need), so finding the
items with forms means decoding every item once. That takes a while for a county catalog, so
it runs in the UI's worker and is kept per Catalog object: a new catalog version is a new
object, and its index is built afresh the first time someone asks.
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass

from kiosk.catalog.catalog import Catalog, ItemSummary
from kiosk.catalog.model import Form
from kiosk.errors import CatalogError

log = logging.getLogger(__name__)
KIND_ZH = {"blank": "空白表格", "sample": "示例样表"}


@dataclass(frozen=True)
class FormEntry:
    """One item that has forms, and those forms in the order its guide lists them."""

    summary: ItemSummary
    forms: tuple[Form, ...]

    @property
    def counts_text(self) -> str:
        """e.g. "空白表格 1 份，示例样表 1 份"."""
        parts = []
        for kind, label in KIND_ZH.items():
            n = sum(1 for f in self.forms if f.kind == kind)
            if n:
                parts.append(f"{label} {n} 份")
        return "，".join(parts)


_built: weakref.WeakKeyDictionary[Catalog, tuple[FormEntry, ...]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def forms_index(catalog: Catalog) -> tuple[FormEntry, ...]:
    """Items with at least one form, most asked-for first. Slow the first time for a catalog
    (call it from a worker); an item that cannot be decoded is logged and left out."""
    with _lock:
        known = _built.get(catalog)
    if known is not None:
        return known
    entries = []
    for s in catalog.summaries():
        try:
            item = catalog.get(s.code)
        except (CatalogError, KeyError, TypeError, ValueError) as exc:
            # one damaged item must not hide every other item's forms
            log.warning("forms index: item %s skipped: %s: %s", s.code, type(exc).__name__, exc)
            continue
        if item.forms:
            entries.append(FormEntry(s, tuple(item.forms)))
    entries.sort(key=lambda e: (-e.summary.popularity, e.summary.name))
    result = tuple(entries)
    with _lock:
        _built[catalog] = result
    return result


def cached_index(catalog: Catalog) -> tuple[FormEntry, ...] | None:
    """The index if it was already built (the UI then shows it without a loading step)."""
    with _lock:
        return _built.get(catalog)


def kind_label(form: Form) -> str:
    return KIND_ZH.get(form.kind, "表格")
