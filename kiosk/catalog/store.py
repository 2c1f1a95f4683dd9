"""The SQLite catalog store: imported catalog versions, one of them current.

Import is atomic. A new version is written completely inside ONE transaction, and the row that
says which version is current changes in that same transaction, so it takes effect only at
COMMIT. A bad file is refused before the store is touched; a crash or an exception half-way
rolls the whole transaction back (SQLite's journal), leaving the previous catalog current.

Versions kept: the current one and the one before it (`rollback()` swaps them). Older ones
are deleted by the import that makes them two steps old — a running kiosk that loaded version
N keeps working after one more import, since N is then still stored as the previous version.

Layout and why:
- `summaries`: one narrow row per item (code, name, lists joined by U+001F, the kinds of its
  forms). Startup reads only this table, so a 10,847-item catalog loads its summaries in one
  short SELECT.
- `bodies`: the item's full JSON, keyed like the summary row, read one item at a time when a
  citizen opens a guide. Kept apart so the startup scan never touches the big rows.
- `versions`: one row per imported catalog, with the document's metadata as JSON.
- `state`: which version is current and which is previous.

Format versions (PRAGMA user_version): opening a store of an older format upgrades it in place,
in one transaction, keeping every stored catalog — a kiosk in the field must never lose its
catalog on a software update. A store of a newer format is refused (update the kiosk).
- 1: the first layout.
- 2: `summaries.forms` (each form's kind, joined by U+001F), filled on upgrade from the bodies.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.catalog.catalog import Catalog, ItemSummary
from kiosk.catalog.model import meta_from_dict
from kiosk.db import Migration, SqliteFile
from kiosk.errors import CatalogError, CatalogValidationError

if TYPE_CHECKING:
    from kiosk.catalog.validate import FileCheck

log = logging.getLogger(__name__)

BATCH = 500     # items per executemany; progress() is called after each batch
SEP = "\x1f"    # unit separator: never in a name, so lists need no JSON decode at startup

_DDL_V1 = """
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    catalog_version TEXT NOT NULL,
    published TEXT NOT NULL,
    publisher TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    item_count INTEGER NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    meta TEXT NOT NULL
);
CREATE TABLE summaries (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    department TEXT NOT NULL,
    themes TEXT NOT NULL,
    life_events TEXT NOT NULL,
    aliases TEXT NOT NULL,
    keywords TEXT NOT NULL,
    materials TEXT NOT NULL,
    steps TEXT NOT NULL,
    popularity INTEGER NOT NULL,
    visits INTEGER NOT NULL,
    UNIQUE (version_id, code)
);
CREATE INDEX summaries_by_version ON summaries (version_id);
CREATE TABLE bodies (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL
);
CREATE TABLE state (
    key TEXT PRIMARY KEY,
    version_id INTEGER
);
"""

_SUMMARY_COLUMNS = ("code, name, short_name, department, themes, life_events, aliases, keywords, "
                    "materials, steps, popularity, visits, forms")


@dataclass(frozen=True)
class ImportReport:
    """What an import did: the new current version and the one it replaced."""

    version_id: int
    catalog_version: str
    items: int
    seconds: float
    previous_version: str | None
    dropped_versions: int


def _joined(values: Any) -> str:
    return SEP.join(values) if values else ""


class _Splits(dict[str, tuple[str, ...]]):
    """text → its tuple, split once. Items share most lists (themes, step names, common
    materials), so a lookup replaces most splits and identical tuples are stored once —
    faster start-up and less memory at 100,000 items."""

    def __missing__(self, text: str) -> tuple[str, ...]:
        value = self[text] = tuple(text.split(SEP)) if text else ()
        return value


def _summary_row(version_id: int, s: ItemSummary) -> tuple[Any, ...]:
    return (version_id, s.code, s.name, s.short_name, s.department, _joined(s.themes),
            _joined(s.life_events), _joined(s.aliases), _joined(s.keywords),
            _joined(s.materials), _joined(s.steps), s.popularity, s.visits, _joined(s.forms))


def _summaries(rows: list[tuple[Any, ...]]) -> list[ItemSummary]:
    sp = _Splits()
    return [ItemSummary(r[0], r[1], r[2], r[3], sp[r[4]], sp[r[5]], sp[r[6]], sp[r[7]],
                        sp[r[8]], sp[r[9]], r[10], r[11], sp[r[12]]) for r in rows]


def _form_kinds(body: str) -> str:
    """The kinds of an item's forms, from its stored JSON, joined as the summary column is."""
    forms = json.loads(body).get("forms") or ()
    return _joined([str(f["kind"]) for f in forms])


def _add_forms_column(db: sqlite3.Connection) -> None:
    """Format 1 → 2: the summaries learn their forms' kinds, read once from the bodies of
    every stored version (current and previous, so a rollback has them too)."""
    db.execute("ALTER TABLE summaries ADD COLUMN forms TEXT NOT NULL DEFAULT ''")
    updates = []
    for row_id, code, body in db.execute(
            "SELECT s.id, s.code, b.body FROM summaries s JOIN bodies b ON b.id = s.id"):
        try:
            kinds = _form_kinds(body)
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            # bodies were validated on import; should one be damaged, that item is left out of
            # the forms list (as before) rather than the whole catalog failing to open
            log.warning("catalog store upgrade: forms of item %s (row %d) unreadable, left "
                        "empty: %s: %s", code, row_id, type(e).__name__, e)
            continue
        if kinds:
            updates.append((kinds, row_id))
    db.executemany("UPDATE summaries SET forms = ? WHERE id = ?", updates)


MIGRATIONS = (
    Migration(1, "the first layout", _DDL_V1),
    Migration(2, "summaries.forms", _add_forms_column),
)
SCHEMA_VERSION = len(MIGRATIONS)


class CatalogStore:
    """One SQLite file (kiosk.db.SqliteFile). Thread-safe: one connection guarded by a lock
    (the UI reads items from a worker thread while the main thread may ask for stats)."""

    def __init__(self, path: str | Path, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.timeout = timeout     # seconds to wait for another process's import to finish
        self._file = SqliteFile(self.path, what="catalog store", migrations=MIGRATIONS,
                                error=CatalogError, busy_timeout_s=timeout,
                                unchanged="the current catalog is unchanged")
        self._lock = self._file.lock

    # ---- life cycle --------------------------------------------------------------------

    def open(self, *, fallback_readonly: bool = False) -> CatalogStore:
        """Open (creating the file and tables if new, upgrading an older format in one
        transaction that keeps every catalog). Raises CatalogError for a file that is not a
        catalog store or was made by a newer kiosk. `fallback_readonly`: on a full or
        read-only disk, open for reading only (`degraded` says why) so guides can be shown."""
        self._file.open(fallback_readonly=fallback_readonly)
        return self

    @property
    def degraded(self) -> str:
        """'' or why the store is open read-only (e.g. "disk full: 4 KB free at /var/…")."""
        return self._file.degraded

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> CatalogStore:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._file.conn

    # ---- import ------------------------------------------------------------------------

    def import_document(self, doc: dict[str, Any], source: str = "",
                        progress: Callable[[int], None] | None = None) -> ImportReport:
        """Validate `doc` and make it the current catalog, atomically. `progress(n)` is called
        after every batch of 500 items written, with the count so far (it may raise to abort:
        nothing is kept then)."""
        from kiosk.catalog.validate import validate_document  # not needed to start up

        problems = validate_document(doc)
        if problems:
            raise CatalogValidationError(problems, source=source or "catalog")
        return self.import_valid(doc, source, progress)

    def import_file(self, path: str | Path,
                    progress: Callable[[int], None] | None = None) -> ImportReport:
        """Check and import a catalog file in bounded memory (two streamed passes: the check,
        then the writing; kiosk.catalog.validate.check_catalog_file). CatalogValidationError
        lists the problems and the store is not touched then."""
        from kiosk.catalog.validate import check_catalog_file

        check = check_catalog_file(path)
        if check.problems:
            raise CatalogValidationError(check.problems, source=str(path))
        return self.import_checked(check, progress)

    def import_checked(self, check: FileCheck,
                       progress: Callable[[int], None] | None = None) -> ImportReport:
        """Import a file that check_catalog_file found without problems, reading its items
        again one at a time. Should the file have changed since it was checked (its sha256),
        nothing is kept."""
        from kiosk.catalog.jsonstream import CatalogStream, StreamStop

        stream = CatalogStream(check.path, check_repeats=False)
        items = (e[1].value for e in stream.events() if e[0] == "item")
        source = str(check.path)

        def unchanged() -> None:
            if stream.sha256 != check.sha256:
                raise CatalogError(f"{source}: the file changed while it was being imported; "
                                   "the current catalog is unchanged")
        try:
            return self._import(check.head, items, check.items, source, progress, unchanged)
        except StreamStop as e:
            raise CatalogError(f"{source}: the file changed while it was being imported "
                               f"({e.problem}); the current catalog is unchanged") from e

    def import_valid(self, doc: dict[str, Any], source: str = "",
                     progress: Callable[[int], None] | None = None) -> ImportReport:
        """Import a document that already passed validate_document (load_document does)."""
        return self._import(doc, iter(doc["items"]), len(doc["items"]), source, progress)

    def _import(self, meta: dict[str, Any], items: Iterator[dict[str, Any]], count: int,
                source: str, progress: Callable[[int], None] | None,
                last_check: Callable[[], None] | None = None) -> ImportReport:
        start = time.perf_counter()
        with self._file.write("import") as db:
            version_id, meta_json = self._write_version(db, meta, count, source)
            digest = hashlib.sha256(meta_json.encode("utf-8"))
            n = self._write_items(db, version_id, items, digest, progress)
            if last_check is not None:
                last_check()
            if n != count:
                raise CatalogError(f"{source}: {n} items read, {count} expected; the current "
                                   "catalog is unchanged")
            db.execute("UPDATE versions SET sha256 = ? WHERE id = ?",
                       (digest.hexdigest(), version_id))
            previous, dropped = self._make_current(db, version_id)
        return ImportReport(version_id, str(meta["catalog_version"]), count,
                            time.perf_counter() - start, previous, dropped)

    @staticmethod
    def _write_version(db: sqlite3.Connection, meta: dict[str, Any], count: int,
                       source: str) -> tuple[int, str]:
        meta_json = json.dumps({k: v for k, v in meta.items() if k != "items"},
                               ensure_ascii=False)
        cur = db.execute(
            "INSERT INTO versions (catalog_version, published, publisher, imported_at, "
            "item_count, source, sha256, meta) VALUES (?, ?, ?, ?, ?, ?, '', ?)",
            (meta["catalog_version"], meta["published"], meta["publisher"],
             datetime.now(UTC).isoformat(timespec="seconds"), count, source, meta_json))
        return int(cur.lastrowid or 0), meta_json

    def _make_current(self, db: sqlite3.Connection, version_id: int) -> tuple[str | None, int]:
        old = self._state(db, "current")
        previous = db.execute("SELECT catalog_version FROM versions WHERE id = ?",
                              (old,)).fetchone() if old is not None else None
        dropped = self._drop_except(db, {version_id, old})
        self._set_state(db, current=version_id, previous=old)
        return (previous[0] if previous else None), dropped

    @staticmethod
    def _write_items(db: sqlite3.Connection, version_id: int,
                     items: Iterator[dict[str, Any]], digest: Any,
                     progress: Callable[[int], None] | None) -> int:
        """Rows go in batches of BATCH (executemany), read from `items` one batch at a time;
        row ids are assigned here so a summary and its body share one id without a round trip
        per item. Returns how many were written."""
        insert_summary = (f"INSERT INTO summaries (id, version_id, {_SUMMARY_COLUMNS}) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        next_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM summaries").fetchone()[0]
        done = 0
        while batch := list(islice(items, BATCH)):
            ids = range(next_id + done, next_id + done + len(batch))
            bodies = [json.dumps(item, ensure_ascii=False) for item in batch]
            for body in bodies:
                digest.update(body.encode("utf-8"))
            db.executemany(insert_summary, [
                (row_id, *_summary_row(version_id, ItemSummary.from_dict(item)))
                for row_id, item in zip(ids, batch, strict=True)])
            db.executemany("INSERT INTO bodies (id, body) VALUES (?, ?)",
                           zip(ids, bodies, strict=True))
            done += len(batch)
            if progress is not None:
                progress(done)
        return done

    @staticmethod
    def _state(db: sqlite3.Connection, key: str) -> int | None:
        row = db.execute("SELECT version_id FROM state WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    @staticmethod
    def _set_state(db: sqlite3.Connection, current: int, previous: int | None) -> None:
        db.executemany("INSERT OR REPLACE INTO state (key, version_id) VALUES (?, ?)",
                       [("current", current), ("previous", previous)])

    @staticmethod
    def _drop_except(db: sqlite3.Connection, keep: set[int | None]) -> int:
        ids = [r[0] for r in db.execute("SELECT id FROM versions") if r[0] not in keep]
        for vid in ids:
            db.execute("DELETE FROM bodies WHERE id IN "
                       "(SELECT id FROM summaries WHERE version_id = ?)", (vid,))
            db.execute("DELETE FROM summaries WHERE version_id = ?", (vid,))
            db.execute("DELETE FROM versions WHERE id = ?", (vid,))
        return len(ids)

    def rollback(self) -> str:
        """Make the previous catalog current again (and the current one previous); returns the
        catalog_version now current. Raises CatalogError when there is nothing to go back to."""
        with self._file.write("rollback") as db:
            current, previous = self._state(db, "current"), self._state(db, "previous")
            if previous is None or current is None:
                raise CatalogError(f"{self.path}: no previous catalog version to roll back to")
            self._set_state(db, current=previous, previous=current)
            version = db.execute("SELECT catalog_version FROM versions WHERE id = ?",
                                 (previous,)).fetchone()[0]
        return str(version)

    # ---- reading -----------------------------------------------------------------------

    def current_version_id(self) -> int | None:
        """Cheap check a long-running kiosk can poll to notice an import by another process."""
        with self._lock:
            return self._state(self._conn, "current")

    def current_info(self) -> dict[str, Any] | None:
        """The current version's row (catalog_version, source, imported_at…), cheaply."""
        with self._lock:
            db = self._conn
            vid = self._state(db, "current")
            if vid is None:
                return None
            row = db.execute("SELECT catalog_version, published, source, imported_at, "
                             "item_count FROM versions WHERE id = ?", (vid,)).fetchone()
        return {"version_id": vid, "catalog_version": row[0], "published": row[1],
                "source": row[2], "imported_at": row[3], "items": row[4]}

    def current(self) -> Catalog | None:
        """The current catalog (summaries in memory, items read on demand), or None when
        nothing was imported yet."""
        with self._file.read() as db:     # one snapshot: meta and summaries of one version
            version_id = self._state(db, "current")
            if version_id is None:
                return None
            meta_json = db.execute("SELECT meta FROM versions WHERE id = ?",
                                   (version_id,)).fetchone()[0]
            rows = db.execute(f"SELECT {_SUMMARY_COLUMNS} FROM summaries "
                              "WHERE version_id = ? ORDER BY id", (version_id,)).fetchall()
        summaries = _summaries(rows)
        return Catalog(meta_from_dict(json.loads(meta_json)), summaries,
                       lambda code: self.load_item(version_id, code))

    def load_item(self, version_id: int, code: str) -> dict[str, Any]:
        """One item's full JSON from a given version."""
        with self._lock:
            row = self._conn.execute(
                "SELECT b.body FROM summaries s JOIN bodies b ON b.id = s.id "
                "WHERE s.version_id = ? AND s.code = ?", (version_id, code)).fetchone()
        if row is None:
            raise CatalogError(f"{self.path}: item {code!r} of catalog version id {version_id} "
                               "is no longer stored (two newer catalogs were imported since "
                               "this one was loaded); restart the kiosk")
        item: dict[str, Any] = json.loads(row[0])
        return item

    def iter_items(self, version_id: int | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a version (default: current), in catalog order — for export and
        checks; not for the UI."""
        with self._lock:
            vid = version_id if version_id is not None else self._state(self._conn, "current")
            rows = self._conn.execute(
                "SELECT b.body FROM summaries s JOIN bodies b ON b.id = s.id "
                "WHERE s.version_id = ? ORDER BY s.id", (vid,)).fetchall()
        for (body,) in rows:
            yield json.loads(body)

    def stats(self) -> dict[str, Any]:
        """What is stored: the current and previous versions, counts, file size."""
        with self._lock:
            db = self._conn
            wal = self.path.with_name(self.path.name + "-wal")
            out: dict[str, Any] = {
                "db": str(self.path), "schema_version": SCHEMA_VERSION,
                "file_bytes": self.path.stat().st_size + (wal.stat().st_size if wal.exists()
                                                          else 0)}
            for key in ("current", "previous"):
                vid = self._state(db, key)
                out[key] = self._version_stats(db, vid) if vid is not None else None
        return out

    @staticmethod
    def _version_stats(db: sqlite3.Connection, vid: int) -> dict[str, Any]:
        row = db.execute("SELECT catalog_version, published, publisher, imported_at, "
                         "item_count, source, sha256 FROM versions WHERE id = ?",
                         (vid,)).fetchone()
        depts = db.execute("SELECT department, count(*) FROM summaries WHERE version_id = ? "
                           "GROUP BY department ORDER BY count(*) DESC, department",
                           (vid,)).fetchall()
        return {"version_id": vid, "catalog_version": row[0], "published": row[1],
                "publisher": row[2], "imported_at": row[3], "items": row[4], "source": row[5],
                "sha256": row[6], "departments": dict(depts)}
