"""A form's layout description (assets/forms/src/<id>.json) parsed into frozen blocks.

Why a description and not a drawing program: the project ships original forms for every
procedure, and a township may add its own; JSON in a documented shape is something a clerk can
edit, review in a diff, and validate. Every problem is reported with the path of the block
(`pages[0].blocks[3] (fields): rows[1][0].span: …`) and all problems are collected at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kiosk.errors import KioskError

GRID_COLUMNS = 4
ID_PATTERN_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


class LayoutError(KioskError):
    """A layout description is unusable; `problems` names each bad block and key."""

    def __init__(self, problems: list[str], source: str = "layout") -> None:
        self.problems = list(problems)
        self.source = source
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s):\n{lines}")


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Field:
    label: str
    span: int = 1
    value: str = ""


@dataclass(frozen=True)
class Fields:
    rows: tuple[tuple[Field, ...], ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: int
    values: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Checkboxes:
    label: str
    options: tuple[str, ...]
    checked: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextArea:
    label: str
    lines: int
    value: str = ""


@dataclass(frozen=True)
class Opinion:
    label: str
    signer: str = ""
    seal: bool = False


@dataclass(frozen=True)
class Signature:
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    text: str


Block = Heading | Paragraph | Fields | Table | Checkboxes | TextArea | Opinion | Signature | Note


@dataclass(frozen=True)
class Page:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Layout:
    id: str
    title: str
    kind: Literal["blank", "sample"]
    pages: tuple[Page, ...]

    def text(self) -> str:
        """Every character the form prints: what the embedded font subset must cover."""
        return json.dumps(self, default=lambda o: o.__dict__, ensure_ascii=False)


class _Problems:
    """Collects problems under a path prefix, so messages name the block and key."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _str(d: dict[str, Any], key: str, where: str, p: _Problems, *, required: bool = True,
         allow_empty: bool = False) -> str:
    if key not in d:
        if required:
            p.add(f"{where}.{key}", "missing (expected a string)")
        return ""
    value = d[key]
    if not isinstance(value, str):
        p.add(f"{where}.{key}", f"expected a string, got {type(value).__name__} {value!r}")
        return ""
    if not value.strip() and required and not allow_empty:
        p.add(f"{where}.{key}", "must not be empty")
    return value


def _int(d: dict[str, Any], key: str, where: str, p: _Problems, lo: int, hi: int,
         default: int | None = None) -> int:
    value = d.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        p.add(f"{where}.{key}", f"expected a whole number {lo}–{hi}, got {value!r}")
        return lo
    if not lo <= value <= hi:
        p.add(f"{where}.{key}", f"expected {lo}–{hi}, got {value}")
        return max(lo, min(hi, value))
    return value


def _strs(d: dict[str, Any], key: str, where: str, p: _Problems, *,
          required: bool = True) -> tuple[str, ...]:
    value = d.get(key, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        p.add(f"{where}.{key}", f"expected a list of strings, got {value!r}")
        return ()
    if required and not value:
        p.add(f"{where}.{key}", "must not be empty")
    return tuple(value)


def _check_keys(d: dict[str, Any], allowed: set[str], where: str, p: _Problems) -> None:
    for key in sorted(set(d) - allowed - {"type"}):
        p.add(f"{where}.{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})")


def _heading(d: dict[str, Any], w: str, p: _Problems) -> Block:
    _check_keys(d, {"text"}, w, p)
    return Heading(_str(d, "text", w, p))


def _paragraph(d: dict[str, Any], w: str, p: _Problems) -> Block:
    _check_keys(d, {"text"}, w, p)
    return Paragraph(_str(d, "text", w, p))


def _note(d: dict[str, Any], w: str, p: _Problems) -> Block:
    _check_keys(d, {"text"}, w, p)
    return Note(_str(d, "text", w, p))


def _field(d: Any, w: str, p: _Problems) -> Field:
    if not isinstance(d, dict):
        p.add(w, f"expected an object with label/span/value, got {d!r}")
        return Field("")
    _check_keys(d, {"label", "span", "value"}, w, p)
    return Field(_str(d, "label", w, p), _int(d, "span", w, p, 1, GRID_COLUMNS, default=1),
                 _str(d, "value", w, p, required=False))


def _fields(d: dict[str, Any], w: str, p: _Problems) -> Block:
    _check_keys(d, {"rows"}, w, p)
    rows = d.get("rows")
    if not isinstance(rows, list) or not rows:
        p.add(f"{w}.rows", f"expected a non-empty list of rows, got {rows!r}")
        return Fields(())
    out: list[tuple[Field, ...]] = []
    for r, row in enumerate(rows):
        if not isinstance(row, list) or not row:
            p.add(f"{w}.rows[{r}]", f"expected a non-empty list of fields, got {row!r}")
            continue
        cells = tuple(_field(c, f"{w}.rows[{r}][{i}]", p) for i, c in enumerate(row))
        used = sum(c.span for c in cells)
        if used > GRID_COLUMNS:
            p.add(f"{w}.rows[{r}]", f"spans add up to {used}, more than the {GRID_COLUMNS} "
                                    "columns of the grid")
        out.append(cells)
    return Fields(tuple(out))


def _table(d: dict[str, Any], w: str, p: _Problems) -> Block:
    _check_keys(d, {"columns", "rows", "values"}, w, p)
    columns = _strs(d, "columns", w, p)
    rows = _int(d, "rows", w, p, 1, 40)
    values = d.get("values", [])
    table_values: list[tuple[str, ...]] = []
    if not isinstance(values, list):
        p.add(f"{w}.values", f"expected a list of rows, got {values!r}")
        values = []
    for r, row in enumerate(values):
        if not isinstance(row, list) or not all(isinstance(v, str) for v in row):
            p.add(f"{w}.values[{r}]", f"expected a list of strings, got {row!r}")
        elif len(row) > len(columns):
            p.add(f"{w}.values[{r}]", f"has {len(row)} cells, the table has {len(columns)} "
                                      "columns")
        else:
            table_values.append(tuple(row))
    if len(values) > rows:
        p.add(f"{w}.values", f"has {len(values)} rows, more than rows={rows}")
    return Table(columns, rows, tuple(table_values))


def _checkboxes(d: dict[str, Any], w: str, p: _Problems) -> Block:
    _check_keys(d, {"label", "options", "checked"}, w, p)
    label = _str(d, "label", w, p, allow_empty=True)
    options = _strs(d, "options", w, p)
    checked = _strs(d, "checked", w, p, required=False)
    for c in checked:
        if c not in options:
            p.add(f"{w}.checked", f"{c!r} is not one of the options {list(options)}")
    return Checkboxes(label, options, checked)


def _textarea(d: dict[str, Any], w: str, p: _Problems) -> Block:
    _check_keys(d, {"label", "lines", "value"}, w, p)
    return TextArea(_str(d, "label", w, p), _int(d, "lines", w, p, 1, 30),
                    _str(d, "value", w, p, required=False))


def _opinion(d: dict[str, Any], w: str, p: _Problems) -> Block:
    _check_keys(d, {"label", "signer", "seal"}, w, p)
    seal = d.get("seal", False)
    if not isinstance(seal, bool):
        p.add(f"{w}.seal", f"expected true or false, got {seal!r}")
        seal = False
    return Opinion(_str(d, "label", w, p), _str(d, "signer", w, p, required=False), seal)


def _signature(d: dict[str, Any], w: str, p: _Problems) -> Block:
    _check_keys(d, {"labels"}, w, p)
    return Signature(_strs(d, "labels", w, p))


_PARSERS: dict[str, Callable[[dict[str, Any], str, _Problems], Block]] = {
    "heading": _heading, "paragraph": _paragraph, "fields": _fields, "table": _table,
    "checkboxes": _checkboxes, "textarea": _textarea, "opinion": _opinion,
    "signature": _signature, "note": _note,
}


def _block(d: Any, where: str, p: _Problems) -> Block | None:
    if not isinstance(d, dict):
        p.add(where, f"expected an object with a 'type', got {d!r}")
        return None
    kind = d.get("type")
    parser = _PARSERS.get(kind) if isinstance(kind, str) else None
    if parser is None:
        p.add(f"{where}.type", f"expected one of {', '.join(_PARSERS)}, got {kind!r}")
        return None
    return parser(d, f"{where} ({kind})", p)


def _page(d: Any, where: str, p: _Problems) -> Page:
    blocks = d.get("blocks") if isinstance(d, dict) else None
    if not isinstance(blocks, list) or not blocks:
        p.add(f"{where}.blocks", f"expected a non-empty list of blocks, got {blocks!r}")
        return Page(())
    parsed = (_block(b, f"{where}.blocks[{i}]", p) for i, b in enumerate(blocks))
    return Page(tuple(b for b in parsed if b is not None))


def parse_layout(data: Any, source: str = "layout") -> Layout:
    """A validated Layout, or LayoutError listing every problem."""
    p = _Problems()
    if not isinstance(data, dict):
        raise LayoutError([f"expected a JSON object, got {type(data).__name__}"], source)
    _check_keys(data, {"id", "title", "kind", "pages"}, "layout", p)
    form_id = _str(data, "id", "layout", p)
    if form_id and not set(form_id) <= ID_PATTERN_CHARS:
        p.add("layout.id", f"{form_id!r} may use only letters, digits, '_', '.', '-' "
                           "(it becomes a file name)")
    title = _str(data, "title", "layout", p)
    kind: Literal["blank", "sample"] = "blank"
    if data.get("kind") == "sample":
        kind = "sample"
    elif data.get("kind") != "blank":
        p.add("layout.kind", f"expected 'blank' or 'sample', got {data.get('kind')!r}")
    pages = data.get("pages")
    if not isinstance(pages, list) or not pages:
        p.add("layout.pages", f"expected a non-empty list of pages, got {pages!r}")
        pages = []
    parsed = tuple(_page(pg, f"pages[{i}]", p) for i, pg in enumerate(pages))
    if p.items:
        raise LayoutError(p.items, source)
    return Layout(form_id, title, kind, parsed)


def load_layout(path: Path) -> Layout:
    """Read and validate one layout file; the error names the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError([f"cannot read: {exc}"], str(path)) from exc
    except json.JSONDecodeError as exc:
        raise LayoutError([f"line {exc.lineno} column {exc.colno}: {exc.msg}"],
                          str(path)) from exc
    layout = parse_layout(data, str(path))
    if layout.id != path.stem:
        raise LayoutError([f"layout.id: {layout.id!r} differs from the file name "
                           f"{path.stem!r} (the PDF is named after the id)"], str(path))
    return layout
