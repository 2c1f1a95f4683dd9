"""The catalog as the rest of the kiosk reads it: summaries of every item held in memory (what
lists, categories and the search index need), full items decoded on demand.

Why summaries + lazy items: a county catalog has ~10,000 items and the UI shows a few at a
time, so decoding every guide at start would cost seconds and hundreds of MB for nothing. The
store (SQLite) or a JSON document supplies the raw item dicts through a loader function.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import TYPE_CHECKING, Any, Literal

from kiosk.catalog.model import CatalogMeta, Item, item_from_dict, meta_from_dict
from kiosk.errors import ItemNotFound

if TYPE_CHECKING:
    from kiosk.config import Config

CategoryKind = Literal["theme", "life_event", "department"]


@dataclass(frozen=True)
class ItemSummary:
    """What a list row, a category count or the search index needs of one item."""

    code: str
    name: str
    short_name: str
    department: str
    themes: tuple[str, ...]
    life_events: tuple[str, ...]
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]
    materials: tuple[str, ...]      # material names, in guide order
    steps: tuple[str, ...]          # step names, in order
    popularity: int
    visits: int                     # channels.visits: 0 = fully online
    # each form's kind ("blank"/"sample"), in guide order: the 表格打印 list shows how many of
    # each an item has without decoding the item (len() is the number of forms)
    forms: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ItemSummary:
        steps = sorted(d.get("steps", ()), key=lambda s: s.get("order", 0))
        return cls(
            code=d["code"],
            name=d["name"],
            short_name=d.get("short_name", ""),
            department=d.get("department", ""),
            themes=tuple(d.get("themes", ())),
            life_events=tuple(d.get("life_events", ())),
            aliases=tuple(d.get("aliases", ())),
            keywords=tuple(d.get("keywords", ())),
            materials=tuple(m["name"] for m in d.get("materials", ())),
            steps=tuple(s["name"] for s in steps),
            popularity=int(d.get("popularity", 0)),
            visits=int(d.get("channels", {}).get("visits", 1)),
            forms=tuple(f["kind"] for f in d.get("forms", ())),
        )


@dataclass(frozen=True)
class Category:
    kind: CategoryKind
    name: str
    count: int                      # items in it
    audience: str = ""              # themes only: 自然人 / 法人
    icon: str = ""


def _by_popularity(s: ItemSummary) -> tuple[int, str]:
    return (-s.popularity, s.name)


class Catalog:
    """Read-only view of one imported catalog version. Thread-safe for reads."""

    def __init__(self, meta: CatalogMeta, summaries: Sequence[ItemSummary],
                 load_item: Callable[[str], dict[str, Any]], cache_size: int = 256) -> None:
        self.meta = meta
        self._summaries = tuple(summaries)
        self._by_code = {s.code: s for s in self._summaries}
        self._load_item = load_item
        self._cache: OrderedDict[str, Item] = OrderedDict()
        self._cache_size = cache_size
        self._lock = Lock()

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Catalog:
        """An in-memory catalog from a schema-valid document (validate it first)."""
        raw = {d["code"]: d for d in doc["items"]}
        return cls(meta_from_dict(doc), [ItemSummary.from_dict(d) for d in doc["items"]],
                   raw.__getitem__)

    def __len__(self) -> int:
        return len(self._summaries)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[ItemSummary]:
        return iter(self._summaries)

    @property
    def version(self) -> str:
        return self.meta.catalog_version

    def summaries(self) -> Sequence[ItemSummary]:
        return self._summaries

    def summary(self, code: str) -> ItemSummary:
        try:
            return self._by_code[code]
        except KeyError:
            raise ItemNotFound(code) from None

    def get(self, code: str) -> Item:
        """The full item (guide). Raises ItemNotFound."""
        with self._lock:
            item = self._cache.get(code)
            if item is not None:
                self._cache.move_to_end(code)
                return item
        if code not in self._by_code:
            raise ItemNotFound(code)
        item = item_from_dict(self._load_item(code))
        with self._lock:
            self._cache[code] = item
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return item

    def categories(self, kind: CategoryKind) -> list[Category]:
        """Themes and life events in the catalog's own order (as published); departments by
        size. Empty categories are left out: a citizen must never tap into an empty list."""
        if kind == "department":
            counts = Counter(s.department for s in self._summaries if s.department)
            return [Category("department", n, c)
                    for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        attr = "themes" if kind == "theme" else "life_events"
        counts = Counter(t for s in self._summaries for t in getattr(s, attr))
        if kind == "theme":
            return [Category("theme", t.name, counts[t.name], t.audience, t.icon)
                    for t in self.meta.themes if counts[t.name]]
        return [Category("life_event", e.name, counts[e.name], icon=e.icon)
                for e in self.meta.life_events if counts[e.name]]

    def in_category(self, kind: CategoryKind, name: str) -> list[ItemSummary]:
        """Items of one category, most asked-for first."""
        if kind == "department":
            found = [s for s in self._summaries if s.department == name]
        else:
            attr = "themes" if kind == "theme" else "life_events"
            found = [s for s in self._summaries if name in getattr(s, attr)]
        return sorted(found, key=_by_popularity)

    def popular(self, n: int) -> list[ItemSummary]:
        return sorted(self._summaries, key=_by_popularity)[:n]


def open_catalog(cfg: Config) -> Catalog:
    """Same as kiosk.catalog.open_catalog (the SQLite store, seeded on first start); here too
    because callers look for it in this module."""
    from kiosk.catalog import open_catalog as open_from_store

    return open_from_store(cfg)
