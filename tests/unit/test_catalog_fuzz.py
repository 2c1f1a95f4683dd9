"""Fuzzing the catalog parser and validator (hypothesis): whatever the bytes, checking a file
gives problems or none — never another exception; a file with no problems imports, one with
problems changes nothing; and the streamed check agrees with the in-memory one, whatever the
order of the top-level keys. Real files and SQLite stores."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.catalog.store import CatalogStore
from kiosk.catalog.validate import check_catalog_file, validate_document
from kiosk.commands.catalog import printable
from kiosk.errors import CatalogValidationError

MINI = Path(__file__).resolve().parent.parent / "data" / "mini-catalog.json"
TEXT = MINI.read_text("utf-8")
DOC: dict[str, Any] = json.loads(TEXT)

FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


PATHS = [p for p in _paths(DOC) if p]


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    target = doc
    for k in path[:-1]:
        target = target[k]
    target[path[-1]] = value
    return doc


def _check(text: str | bytes) -> list[str]:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "c.json"
        if isinstance(text, str):
            f.write_text(text, "utf-8", errors="surrogatepass")
        else:
            f.write_bytes(text)
        result = check_catalog_file(f)
        for p in result.problems:
            printable(p).encode("utf-8")           # every problem can be printed
        return result.problems


@FUZZ
@given(st.data())
def test_a_value_replaced_anywhere(data: st.DataObject) -> None:
    """Any value anywhere replaced by any JSON value: the streamed check of the file says the
    same as the check of the document in memory."""
    path = data.draw(st.sampled_from(PATHS))
    value = data.draw(json_values)
    doc = _set(json.loads(TEXT), path, value)
    text = json.dumps(doc, ensure_ascii=data.draw(st.booleans()))
    assert _check(text) == validate_document(doc)


@FUZZ
@given(st.binary(max_size=64), st.integers(min_value=0, max_value=len(TEXT.encode())),
       st.integers(min_value=0, max_value=64))
def test_bytes_spliced_into_the_file(junk: bytes, at: int, cut: int) -> None:
    raw = TEXT.encode("utf-8")
    problems = _check(raw[:at] + junk + raw[at + cut:])
    assert isinstance(problems, list)


@FUZZ
@given(st.text(max_size=200))
def test_any_text_at_all(text: str) -> None:
    assert isinstance(_check(text), list)


@FUZZ
@given(st.permutations(list(DOC)))
def test_key_order_does_not_matter(order: list[str]) -> None:
    """Items before the categories (or bundles): references are checked at the end."""
    doc = json.loads(TEXT)
    doc["items"][0]["themes"] = ["没有这个主题"]
    text = json.dumps({k: doc[k] for k in order}, ensure_ascii=False)
    assert _check(text) == validate_document(doc)
    assert any("没有这个主题" in p for p in _check(text))


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_what_checks_clean_imports_and_what_does_not_changes_nothing(
        tmp_path: Path, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(PATHS))
    doc = _set(json.loads(TEXT), path, data.draw(json_values))
    f = tmp_path / "c.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), "utf-8", errors="surrogatepass")
    db = tmp_path / "store.sqlite"
    db.unlink(missing_ok=True)
    with CatalogStore(db) as store:
        store.import_file(MINI)
        before = store.current_info()
        problems = check_catalog_file(f).problems
        if problems:
            try:
                store.import_file(f)
            except CatalogValidationError as e:
                assert e.problems == problems
            else:
                raise AssertionError("imported a file with problems")
            assert store.current_info() == before
        else:
            report = store.import_file(f)
            assert report.items == len(doc["items"])
            cat = store.current()
            assert cat is not None
            for s in cat.summaries():
                cat.get(s.code)                     # every stored item reads back
