"""Check a catalog document and report EVERY problem, each with its JSON path and a plain
message, e.g. `items[12].materials[3].original_copies: expected integer ≥ 0, got "两份"`.

Two layers: the JSON Schema (kiosk/catalog/schema/catalog-v1.schema.json) for shape and
types, then the rules a schema cannot express (unique codes, contiguous steps, references
to categories and forms, promised ≤ legal time limit) in kiosk.catalog.rules.

Why two validators: jsonschema reports every error with its path but takes ~2 ms per item
(20 s for a county's 10,847 items); fastjsonschema compiles the schema to Python and checks
the same document in under a second, but stops at the first error. So a good file is passed
by the fast one, and only the items it rejects are walked again by jsonschema for the report.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from kiosk.catalog.bundles import bundle_problems
from kiosk.catalog.jsonstream import LIMITS, CatalogStream, Item, Limits, StreamStop
from kiosk.catalog.jsontext import parse_text, read_text
from kiosk.catalog.rules import ItemRules, text_problems
from kiosk.errors import CatalogValidationError

_FRIENDLY_PATTERNS = {
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date written YYYY-MM-DD",
    "^[0-9]{0,12}$": "up to 12 digits",
    "^[0-9A-Za-z-]+$": "letters, digits and '-' only",
    "^([0-9A-HJ-NPQRTUWXY]{18})?$": "an 18-character unified social credit code",
    "^[A-Za-z0-9_.-]+$": "letters, digits, '_', '.' and '-' only",
}
_JSON_TYPE = {str: "string", bool: "boolean", int: "integer", float: "number",
              dict: "object", list: "array", type(None): "null"}


@cache
def schema() -> dict[str, Any]:
    """The format's JSON Schema, shipped inside the package."""
    text = resources.files("kiosk.catalog").joinpath("schema/catalog-v1.schema.json")
    data: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return data


@cache
def _fast(part: str) -> Any:
    s = schema() if part == "document" else schema()["properties"]["items"]["items"]
    return fastjsonschema.compile(s, use_default=False)


@cache
def _slow(part: str) -> jsonschema.Draft202012Validator:
    s = schema() if part == "document" else schema()["properties"]["items"]["items"]
    return jsonschema.Draft202012Validator(s)


def format_path(parts: Iterable[str | int]) -> str:
    """`items[12].materials[3].name`; the document itself is `(top level)`."""
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else p
    return out or "(top level)"


def show_value(value: Any) -> str:
    """A short, JSON-looking rendering of a bad value, for a message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    text = json.dumps(value, ensure_ascii=False)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")   # a lone surrogate
    return text if len(text) <= 60 else text[:57] + "…\""


def _bounds(s: dict[str, Any]) -> str:
    lo, hi = s.get("minimum"), s.get("maximum")
    if lo is not None and hi is not None:
        return f" from {lo} to {hi}"
    if lo is not None:
        return f" ≥ {lo}"
    return f" ≤ {hi}" if hi is not None else ""


def _expected_type(s: dict[str, Any]) -> str:
    t = s.get("type")
    if t == "boolean":
        return "true or false"
    if t in ("integer", "number"):
        if "enum" in s:
            return f"{t}, one of " + ", ".join(str(c) for c in s["enum"])
        return f"{t}{_bounds(s)}"
    if t == "string":
        return "text (a JSON string)"
    if t == "array":
        return "a list (JSON array)"
    return str(t)


def _length_message(e: jsonschema.ValidationError) -> str:
    n = len(e.instance)
    if e.validator == "minLength":
        if e.validator_value == 1:
            return "must not be empty"
        return f"expected at least {e.validator_value} characters, got {n}"
    if e.validator == "maxLength":
        return f"too long: {n} characters, at most {e.validator_value} allowed"
    want = e.validator_value
    noun = "entry" if want == 1 else "entries"
    if e.validator == "minItems":
        return f"expected at least {want} {noun}, got {n}"
    return f"expected at most {want} {noun}, got {n}"


def _message(e: jsonschema.ValidationError) -> str:
    v, got = e.validator, show_value(e.instance)
    if v == "type":
        return f"expected {_expected_type(e.schema)}, got {got}"
    if v in ("minimum", "maximum"):
        return f"expected {e.schema.get('type', 'number')}{_bounds(e.schema)}, got {got}"
    if v == "enum":
        choices = ", ".join(json.dumps(c, ensure_ascii=False) for c in e.validator_value)
        return f"expected one of {choices}, got {got}"
    if v == "const":
        return f"expected {json.dumps(e.validator_value, ensure_ascii=False)}, got {got}"
    if v == "pattern":
        want = _FRIENDLY_PATTERNS.get(e.validator_value, f"text matching {e.validator_value}")
        return f"expected {want}, got {got}"
    if v in ("minLength", "maxLength", "minItems", "maxItems"):
        return _length_message(e)
    return str(e.message)


def _errors_to_problems(errors: Iterable[jsonschema.ValidationError],
                        prefix: tuple[str | int, ...]) -> list[tuple[tuple[Any, ...], str]]:
    """(path, message) pairs; a wrong type hides the other complaints about the same value
    (an enum list is no help when the value is not even an integer)."""
    out: list[tuple[tuple[Any, ...], str]] = []
    typed: set[tuple[Any, ...]] = set()
    errors = sorted(errors, key=lambda e: e.validator != "type")
    for e in errors:
        path = prefix + tuple(e.absolute_path)
        if e.validator == "type":
            typed.add(path)
        elif path in typed:
            continue
        out.extend(_keyword_problems(e, path))
    return out


def _keyword_problems(e: jsonschema.ValidationError,
                      path: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    if e.validator == "required":
        return [(path, f"missing required key '{k}'")
                for k in e.validator_value if isinstance(e.instance, dict) and k not in e.instance]
    if e.validator == "additionalProperties" and isinstance(e.instance, dict):
        known = set(e.schema.get("properties", {}))
        return [(path, f"unknown key '{k}'") for k in e.instance if k not in known]
    return [(path, _message(e))]


def _schema_problems(doc: Any) -> list[tuple[tuple[Any, ...], str]]:
    try:
        _fast("document")(doc)
        return []
    except fastjsonschema.JsonSchemaValueException:
        pass
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        return _errors_to_problems(_slow("document").iter_errors(doc), ())
    head = {**doc, "items": []}
    out = _errors_to_problems(_slow("document").iter_errors(head), ())
    fast_item = _fast("item")
    for i, item in enumerate(items):
        try:
            fast_item(item)
        except fastjsonschema.JsonSchemaValueException:
            out += _errors_to_problems(_slow("item").iter_errors(item), ("items", i))
    return out


def _sort_key(entry: tuple[tuple[Any, ...], str]) -> tuple[Any, ...]:
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in entry[0])


MAX_PROBLEMS = 200
"""Checking stops after this many problems: a malformed export of 10^6 bad items is reported
in a second, not after minutes and gigabytes (fix the first ones, then check again)."""


@dataclass
class FileCheck:
    """What checking a catalog file found, without keeping its items: the top-level keys,
    the item count, every problem (at most MAX_PROBLEMS and a line saying checking stopped),
    the form files it names (file → the first JSON path naming it) and the file's sha256."""

    path: Path
    head: dict[str, Any] = field(default_factory=dict)
    items: int = 0
    problems: list[str] = field(default_factory=list)
    forms: dict[str, str] = field(default_factory=dict)
    sha256: str = ""
    parsed: bool = False     # the whole file was read as JSON (False: stopped on the text)

    @property
    def catalog_version(self) -> str:
        return str(self.head.get("catalog_version", ""))


class _Checker:
    """Feeds head keys and items through the schema and the rules, keeping only problems."""

    def __init__(self, max_problems: int) -> None:
        self.max = max_problems
        self.rules = ItemRules()
        self.found: list[tuple[tuple[Any, ...], str]] = []
        self.lines: list[str] = []        # problems that are already text (syntax, repeats)
        self.forms: dict[str, str] = {}
        self.fast_item = _fast("item")
        # for the bundles' rules: code → its material names, only for the codes bundles name
        # when they were read first, else for every item (names interned: shared widely)
        self.materials: dict[str, tuple[str, ...]] = {}
        self.wanted: set[str] | None = None

    @property
    def full(self) -> bool:
        return len(self.found) + len(self.lines) >= self.max

    def head_key(self, key: str, value: Any) -> None:
        if key == "categories":
            self.found += self.rules.categories({"categories": value})
        elif key == "bundles" and self.wanted is None:
            self.wanted = {str(step.get("item")) for b in _dict_list(value)
                           for step in _dict_list(b.get("steps"))}

    def _keep_materials(self, item: Any) -> None:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str) or (self.wanted is not None and code not in self.wanted):
            return
        self.materials[code] = tuple(sys.intern(str(m.get("name")))
                                     for m in _dict_list(item.get("materials")))

    def _bundles(self, head: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
        if "bundles" not in head:
            return []
        items = [{"code": code, "materials": [{"name": n} for n in names]}
                 for code, names in self.materials.items()]
        return bundle_problems({**head, "items": items})

    def item(self, i: int, item: Any, walk: bool = True) -> None:
        found = []
        try:
            self.fast_item(item)
        except fastjsonschema.JsonSchemaValueException:
            found = _errors_to_problems(_slow("item").iter_errors(item), ("items", i))
        found += self.rules.item(i, item)
        self._keep_materials(item)
        if walk:
            found += text_problems(item, ("items", i))
        self.found += dict.fromkeys(found)    # each once (a control character in a name is
                                              # found twice, some schema errors too)
        if isinstance(item, dict) and isinstance(item.get("forms"), list):
            for j, form in enumerate(item["forms"]):
                name = form.get("file") if isinstance(form, dict) else None
                if isinstance(name, str) and name not in self.forms:
                    self.forms[name] = f"items[{i}].forms[{j}].file"

    def finish(self, head: dict[str, Any], stopped: bool) -> list[str]:
        """All problems; `stopped`: after max problems (the head and the references read
        before the categories are not checked then)."""
        if not stopped:
            self.found += self.rules.finish()
            self.found += _head_problems(head)
            self.found += self._bundles(head)
        self.found.sort(key=_sort_key)
        out = self.lines + [f"{format_path(path)}: {msg}" for path, msg in self.found]
        if stopped or len(out) > self.max:
            out = out[:self.max]
            out.append(f"(top level): checking stopped after {self.max} problems; fix these "
                       "and check again")
        return out


def _dict_list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _head_problems(head: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """The document schema on the top-level keys (items given as [] when they were a list:
    each item was checked on its own), and their strings."""
    try:
        _fast("document")(head)
        out = []
    except fastjsonschema.JsonSchemaValueException:
        out = _errors_to_problems(_slow("document").iter_errors(head), ())
    return out + text_problems({k: v for k, v in head.items() if k != "items"}, ())


def validate_document(doc: Any, max_problems: int = MAX_PROBLEMS) -> list[str]:
    """Every problem of a parsed catalog document, as `path: message`, in document order.
    An empty list means the document can be imported."""
    if not isinstance(doc, dict):
        return [f"{format_path(path)}: {msg}"
                for path, msg in _errors_to_problems(_slow("document").iter_errors(doc), ())]
    checker = _Checker(max_problems)
    items = doc.get("items")
    head = {k: ([] if k == "items" and isinstance(v, list) else v) for k, v in doc.items()}
    if "bundles" not in doc:
        checker.wanted = set()   # the whole head is known before the items here
    for key, value in head.items():
        checker.head_key(key, value)
    stopped = False
    for i, item in enumerate(items if isinstance(items, list) else []):
        checker.item(i, item)
        if checker.full:
            stopped = True
            break
    return checker.finish(head, stopped)


def check_catalog_file(path: str | Path, limits: Limits = LIMITS,
                       max_problems: int = MAX_PROBLEMS,
                       keep: Callable[[int, Any], None] | None = None) -> FileCheck:
    """Check a catalog file as a stream, in bounded memory (kiosk.catalog.jsonstream): the
    result keeps no item unless `keep(index, item)` does. Raises CatalogError only when the
    file cannot be read at all."""
    p = Path(path)
    result = FileCheck(p)
    checker = _Checker(max_problems)
    stream = CatalogStream(p, limits)
    stopped = False
    try:
        for event in stream.events():
            stopped = _take(event, result, checker, keep)
            if stopped:
                break
        else:
            result.parsed = True
    except StreamStop as e:        # the text itself is broken: that, and repeated keys before
        result.problems = [*checker.lines, e.problem]
        return result
    result.items = stream.items
    result.sha256 = stream.sha256
    result.forms = checker.forms
    result.problems = checker.finish(result.head, stopped)
    return result


def _take(event: tuple[Any, ...], result: FileCheck, checker: _Checker,
          keep: Callable[[int, Any], None] | None) -> bool:
    """One stream event into the check; True when checking should stop."""
    kind = event[0]
    if kind == "item":
        item: Item = event[1]
        checker.item(item.index, item.value, walk=item.suspicious)
        if keep is not None:
            keep(item.index, item.value)
    elif kind == "key":
        result.head[event[1]] = event[2]
        checker.head_key(event[1], event[2])
    else:
        checker.lines.append(event[1])
    return checker.full


def check_file(path: Path) -> tuple[Any, list[str]]:
    """(document, problems) for a file; document is None when the text is not JSON. Keeps the
    whole document in memory: for small files and tests (import streams instead)."""
    items: list[Any] = []
    result = check_catalog_file(path, keep=lambda _i, item: items.append(item))
    if not result.parsed:
        return None, result.problems
    doc = dict(result.head)
    if isinstance(doc.get("items"), list):
        doc["items"] = items
    return doc, result.problems


def load_document(path: str | Path) -> dict[str, Any]:
    """A valid catalog document from a file, or CatalogValidationError listing every problem.
    Raises CatalogError when the file cannot be read at all."""
    p = Path(path)
    doc, problems = check_file(p)
    if problems:
        raise CatalogValidationError(problems, source=str(p))
    assert isinstance(doc, dict)
    return doc


__all__ = ["MAX_PROBLEMS", "FileCheck", "check_catalog_file", "check_file", "format_path",
           "load_document", "parse_text", "read_text", "schema", "validate_document"]
