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
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from kiosk.catalog.jsontext import parse_text, read_text
from kiosk.catalog.rules import semantic_problems
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


def validate_document(doc: Any) -> list[str]:
    """Every problem of a parsed catalog document, as `path: message`, in document order.
    An empty list means the document can be imported."""
    problems = _schema_problems(doc) + semantic_problems(doc)
    problems.sort(key=_sort_key)    # stable: a shape problem before a rule at the same path
    return [f"{format_path(path)}: {msg}" for path, msg in problems]


def check_file(path: Path) -> tuple[Any, list[str]]:
    """(document, problems) for a file; document is None when the text is not JSON."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    doc, problems = parse_text(text)
    if doc is None:
        return None, problems
    return doc, problems + validate_document(doc)


def load_document(path: str | Path) -> dict[str, Any]:
    """A valid catalog document from a file, or CatalogValidationError listing every problem.
    Raises CatalogError when the file cannot be read at all."""
    p = Path(path)
    doc, problems = check_file(p)
    if problems:
        raise CatalogValidationError(problems, source=str(p))
    assert isinstance(doc, dict)
    return doc


__all__ = ["check_file", "format_path", "load_document", "parse_text", "read_text", "schema",
           "validate_document"]
