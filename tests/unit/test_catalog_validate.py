"""Validation reports every problem with its JSON path and a plain message: one case per kind
of bad input, each asserting the exact text an engineer will read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog.generate import generate_document
from kiosk.catalog.validate import check_file, load_document, validate_document
from kiosk.errors import CatalogError, CatalogValidationError

MINI = Path(__file__).parent.parent / "data" / "mini-catalog.json"
Doc = dict[str, Any]


def _doc() -> Doc:
    doc: Doc = json.loads(MINI.read_text(encoding="utf-8"))
    return doc


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    """A mutation setting doc[a][b]… (dotted, ints as list indexes)."""
    def mutate(doc: Doc) -> None:
        keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
        target: Any = doc
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value
    return mutate


def _del(path: str) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
        target: Any = doc
        for k in keys[:-1]:
            target = target[k]
        del target[keys[-1]]
    return mutate


def _steps_gap(doc: Doc) -> None:
    doc["items"][0]["steps"][2]["order"] = 4


def _steps_repeat(doc: Doc) -> None:
    doc["items"][0]["steps"][1]["order"] = 1


def _dup_code(doc: Doc) -> None:
    doc["items"][2]["code"] = doc["items"][0]["code"]


def _blank_form_ref(doc: Doc) -> None:
    doc["items"][0]["materials"][0]["blank_form"] = "F-NONE"


def _sample_is_blank(doc: Doc) -> None:
    doc["items"][0]["materials"][0]["sample_form"] = "F-DB-01"


def _dup_form(doc: Doc) -> None:
    doc["items"][0]["forms"].append(dict(doc["items"][0]["forms"][0]))


def _fees_not_charged(doc: Doc) -> None:
    doc["items"][0]["fees"]["items"] = [{"name": "工本费", "standard": "10元"}]


def _dup_theme(doc: Doc) -> None:
    doc["categories"]["themes"].append({"name": "养老服务", "audience": "natural_person"})


CASES: list[tuple[str, Callable[[Doc], None], str]] = [
    ("type-integer-with-bound", _set("items.1.materials.2.original_copies", "两份"),
     'items[1].materials[2].original_copies: expected integer from 0 to 1000, got "两份"'),
    ("minimum", _set("items.0.legal_limit.value", -1),
     "items[0].legal_limit.value: expected integer from 0 to 100000, got -1"),
    ("maximum", _set("items.0.channels.visits", 12),
     "items[0].channels.visits: expected integer from 0 to 9, got 12"),
    ("type-boolean", _set("items.0.fees.charged", "否"),
     'items[0].fees.charged: expected true or false, got "否"'),
    ("bool-is-not-integer", _set("items.0.materials.0.copy_copies", True),
     "items[0].materials[0].copy_copies: expected integer from 0 to 1000, got true"),
    ("type-string", _set("items.0.name", 42),
     "items[0].name: expected text (a JSON string), got 42"),
    ("type-array", _set("items.0.conditions", "户籍在本镇"),
     'items[0].conditions: expected a list (JSON array), got "户籍在本镇"'),
    ("type-object", _set("items.0.fees", []),
     "items[0].fees: expected object, got a list of 0"),
    ("enum", _set("items.0.materials.0.form", "纸质"),
     'items[0].materials[0].form: expected one of "paper", "electronic", '
     '"paper_or_electronic", got "纸质"'),
    ("integer-enum-wrong-type", _set("items.0.channels.handling_type", "即办件"),
     'items[0].channels.handling_type: expected integer, one of 1, 2, got "即办件"'),
    ("integer-enum", _set("items.0.channels.handling_type", 3),
     "items[0].channels.handling_type: expected one of 1, 2, got 3"),
    ("const", _set("format_version", 2), "format_version: expected 1, got 2"),
    ("required", _del("items.3.materials.0.name"),
     "items[3].materials[0]: missing required key 'name'"),
    ("required-top-level", _del("publisher"), "(top level): missing required key 'publisher'"),
    ("additional-property", _set("items.2.steps.0.foo", 1),
     "items[2].steps[0]: unknown key 'foo'"),
    ("pattern-date", _set("published", "2026年11月1日"),
     'published: expected a date written YYYY-MM-DD, got "2026年11月1日"'),
    ("pattern-code", _set("items.0.code", "T 0001"),
     "items[0].code: expected letters, digits and '-' only, got \"T 0001\""),
    ("min-length", _set("items.0.department", ""), "items[0].department: must not be empty"),
    ("max-length", _set("items.0.name", "长" * 201),
     "items[0].name: too long: 201 characters, at most 200 allowed"),
    ("min-items", _set("items.0.steps", []),
     "items[0].steps: expected at least 1 entry, got 0"),
    ("duplicate-code", _dup_code, 'items[2].code: duplicate code "T-0001", already used by '
                                  "items[0]"),
    ("step-gap", _steps_gap,
     "items[0].steps: step orders must be 1, 2, 3 (each once, no gaps), got 1, 2, 4"),
    ("step-repeat", _steps_repeat,
     "items[0].steps: step orders must be 1, 2, 3 (each once, no gaps), got 1, 1, 3"),
    ("unknown-theme", _set("items.0.themes", ["社会救助", "社会求助"]),
     'items[0].themes[1]: unknown theme "社会求助": add it to categories.themes or fix the '
     "spelling"),
    ("unknown-life-event", _set("items.1.life_events", ["退休"]),
     'items[1].life_events[0]: unknown life event "退休": add it to categories.life_events or '
     "fix the spelling"),
    ("missing-form", _blank_form_ref,
     'items[0].materials[0].blank_form: no form with id "F-NONE" in this item\'s forms'),
    ("wrong-form-kind", _sample_is_blank,
     'items[0].materials[0].sample_form: form "F-DB-01" is a blank form, expected a sample form'),
    ("duplicate-form-id", _dup_form, 'items[0].forms[1].id: duplicate form id "F-DB-01" in this '
                                     "item"),
    ("promised-over-legal", _set("items.0.promised_limit.value", 30),
     "items[0].promised_limit.value: promised 30 working days is longer than the legal limit "
     "of 20 working days"),
    ("fees-not-charged", _fees_not_charged,
     "items[0].fees.items: fee items are listed but fees.charged is false"),
    ("form-file-outside-folder", _set("items.0.forms.0.file", "../../etc/passwd"),
     'items[0].forms[0].file: expected a relative path inside the forms folder, got '
     '"../../etc/passwd"'),
    ("control-character", _set("items.0.aliases", ["低保\x1f申请"]),
     "items[0].aliases[0]: contains the control character U+001F; remove it"),
    ("duplicate-theme", _dup_theme,
     'categories.themes[3].name: duplicate theme "养老服务", already at categories.themes[1]'),
]


def test_mini_catalog_is_valid() -> None:
    assert validate_document(_doc()) == []


@pytest.mark.parametrize(("mutate", "expected"), [(m, e) for _, m, e in CASES],
                         ids=[c[0] for c in CASES])
def test_each_kind_of_bad_input(mutate: Callable[[Doc], None], expected: str) -> None:
    doc = _doc()
    mutate(doc)
    assert validate_document(doc) == [expected]


def test_every_problem_is_reported_at_once_in_document_order() -> None:
    doc = _doc()
    chosen = [c for c in CASES if c[0] in {
        "type-integer-with-bound", "minimum", "maximum", "type-boolean", "enum", "const",
        "required", "additional-property", "duplicate-code", "step-gap", "unknown-theme"}]
    for _, mutate, _ in chosen:
        mutate(doc)
    problems = validate_document(doc)
    assert sorted(problems) == sorted(expected for _, _, expected in chosen)
    items_part = [p for p in problems if p.startswith("items")]
    assert items_part == sorted(items_part, key=lambda p: int(p[6]))


def test_bad_items_in_a_large_catalog_are_each_reported() -> None:
    doc = generate_document(400, seed=5)
    doc["items"][7]["materials"][3]["original_copies"] = "两份"
    doc["items"][399]["levels"]["accept"] = "家里"
    problems = validate_document(doc)
    assert problems == [
        'items[7].materials[3].original_copies: expected integer from 0 to 1000, got "两份"',
        'items[399].levels.accept: expected one of "village", "township", "county", "city", '
        '"province", got "家里"']


def test_not_a_catalog_at_all() -> None:
    assert validate_document([1, 2]) == ["(top level): expected object, got a list of 2"]


def test_invalid_json_text_names_line_and_column(tmp_path: Path) -> None:
    f = tmp_path / "bad.json"
    f.write_text('{\n  "format": "township-kiosk-catalog",\n  "items": [1,,2]\n}', "utf-8")
    doc, problems = check_file(f)
    assert doc is None
    assert problems == ["line 3, column 15: not valid JSON (Expecting value)"]
    with pytest.raises(CatalogValidationError) as e:
        load_document(f)
    assert e.value.problems == problems and str(f) in str(e.value)


def test_not_utf8_names_the_byte(tmp_path: Path) -> None:
    f = tmp_path / "gbk.json"
    f.write_bytes('{\n"publisher": "民政局"}'.encode("gbk"))
    _, problems = check_file(f)
    assert problems == ["line 2, byte 16: not UTF-8 text (invalid continuation byte); "
                        "save the file as UTF-8"]


def test_missing_file_is_a_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read the catalog file"):
        load_document(tmp_path / "nope.json")


def test_load_document_returns_a_valid_document(tmp_path: Path) -> None:
    f = tmp_path / "ok.json"
    f.write_text("\ufeff" + MINI.read_text("utf-8"), "utf-8")   # a BOM is tolerated
    assert load_document(f) == _doc()


def test_a_key_given_twice_is_reported_with_its_path(tmp_path: Path) -> None:
    text = MINI.read_text("utf-8").replace(
        '"name": "户口簿",', '"name": "户口簿",\n     "name": "户口本",', 1)
    f = tmp_path / "dup.json"
    f.write_text(text, "utf-8")
    doc, problems = check_file(f)
    assert doc is not None
    assert problems == ["items[0].materials[1]: key 'name' appears more than once; keep one"]
    with pytest.raises(CatalogValidationError):
        load_document(f)
