"""The catalog rules a JSON Schema cannot express: unique codes, steps numbered 1..n, themes
and life events that exist in the catalog's categories, material forms that exist in the
item, a promised time limit within the legal one.

Each check tolerates a malformed document (the schema layer reports the shape problems), so
one run reports everything at once. Problems are (path parts, message) pairs.
"""

from __future__ import annotations

import re
from typing import Any

from kiosk.catalog.bundles import bundle_problems
from kiosk.catalog.forms import unsafe_file

Problem = tuple[tuple[str | int, ...], str]


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The (index, entry) pairs of a list that are objects; anything else yields nothing."""
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def _category_names(doc: dict[str, Any], kind: str) -> set[str] | None:
    cats = doc.get("categories")
    if not isinstance(cats, dict) or not isinstance(cats.get(kind), list):
        return None
    return {c["name"] for _, c in _dicts(cats[kind]) if isinstance(c.get("name"), str)}


def _duplicate_categories(doc: dict[str, Any]) -> list[Problem]:
    out: list[Problem] = []
    cats = doc.get("categories")
    if not isinstance(cats, dict):
        return out
    for kind, label in (("themes", "theme"), ("life_events", "life event")):
        seen: dict[str, int] = {}
        for i, c in _dicts(cats.get(kind)):
            name = c.get("name")
            if not isinstance(name, str):
                continue
            if name in seen:
                out.append((("categories", kind, i, "name"),
                            f"duplicate {label} \"{name}\", already at "
                            f"categories.{kind}[{seen[name]}]"))
            else:
                seen[name] = i
    return out


def _step_orders(i: int, item: dict[str, Any]) -> list[Problem]:
    steps = _dicts(item.get("steps"))
    orders = [s.get("order") for _, s in steps]
    if not steps or not all(isinstance(o, int) and not isinstance(o, bool) for o in orders):
        return []
    if sorted(orders) == list(range(1, len(orders) + 1)):  # type: ignore[type-var]
        return []
    got = ", ".join(str(o) for o in orders)
    want = ", ".join(str(n) for n in range(1, len(orders) + 1))
    return [(("items", i, "steps"),
             f"step orders must be {want} (each once, no gaps), got {got}")]


def _category_refs(i: int, item: dict[str, Any], themes: set[str] | None,
                   events: set[str] | None) -> list[Problem]:
    out: list[Problem] = []
    for key, known, label in (("themes", themes, "theme"),
                              ("life_events", events, "life event")):
        refs = item.get(key)
        if known is None or not isinstance(refs, list):
            continue
        for j, name in enumerate(refs):
            if isinstance(name, str) and name not in known:
                out.append((("items", i, key, j),
                            f"unknown {label} \"{name}\": add it to categories.{key} "
                            "or fix the spelling"))
    return out


def _form_ids(i: int, item: dict[str, Any]) -> tuple[dict[str, str], list[Problem]]:
    """{form id: kind} of the item, and problems for repeated ids and unsafe file paths."""
    kinds: dict[str, str] = {}
    out: list[Problem] = []
    for j, form in _dicts(item.get("forms")):
        file = form.get("file")
        if isinstance(file, str) and unsafe_file(file):
            out.append((("items", i, "forms", j, "file"),
                        f"expected a relative path inside the forms folder, got \"{file}\""))
        fid = form.get("id")
        if not isinstance(fid, str):
            continue
        if fid in kinds:
            out.append((("items", i, "forms", j, "id"),
                        f"duplicate form id \"{fid}\" in this item"))
        kinds[fid] = str(form.get("kind", ""))
    return kinds, out


def _form_refs(i: int, item: dict[str, Any]) -> list[Problem]:
    kinds, out = _form_ids(i, item)
    for j, mat in _dicts(item.get("materials")):
        for key, want in (("blank_form", "blank"), ("sample_form", "sample")):
            ref = mat.get(key)
            if not isinstance(ref, str) or not ref:
                continue
            path = ("items", i, "materials", j, key)
            if ref not in kinds:
                out.append((path, f"no form with id \"{ref}\" in this item's forms"))
            elif kinds[ref] and kinds[ref] != want:
                out.append((path, f"form \"{ref}\" is a {kinds[ref]} form, expected a {want} "
                                  "form"))
    return out


_UNIT_WORDS = {"working_days": "working days", "natural_days": "natural days",
               "hours": "hours", "minutes": "minutes", "months": "months"}


def _limits(i: int, item: dict[str, Any]) -> list[Problem]:
    legal, promised = item.get("legal_limit"), item.get("promised_limit")
    if not isinstance(legal, dict) or not isinstance(promised, dict):
        return []
    lv, pv, unit = legal.get("value"), promised.get("value"), legal.get("unit")
    if unit != promised.get("unit") or not isinstance(lv, int) or not isinstance(pv, int):
        return []
    if lv <= 0 or pv <= lv:    # a legal limit of 0 means "none set" in many county exports
        return []
    words = _UNIT_WORDS.get(str(unit), str(unit))
    return [(("items", i, "promised_limit", "value"),
             f"promised {pv} {words} is longer than the legal limit of {lv} {words}")]


def _fees(i: int, item: dict[str, Any]) -> list[Problem]:
    fees = item.get("fees")
    if isinstance(fees, dict) and fees.get("charged") is False and fees.get("items"):
        return [(("items", i, "fees", "items"),
                 "fee items are listed but fees.charged is false")]
    return []


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")   # keeps tab, CR, LF


def _control_chars(i: int, item: dict[str, Any]) -> list[Problem]:
    """Names and list entries are shown on screen and joined with U+001F in the store, so
    control characters (a stray paste from a spreadsheet, an ANSI escape) are refused there."""
    paths: list[tuple[tuple[str | int, ...], Any]] = [
        ((key,), item.get(key)) for key in ("name", "short_name", "department")]
    for key in ("themes", "life_events", "aliases", "keywords"):
        values = item.get(key)
        if isinstance(values, list):
            paths += [((key, j), v) for j, v in enumerate(values)]
    for key in ("materials", "steps"):
        paths += [((key, j, "name"), e.get("name")) for j, e in _dicts(item.get(key))]
    out: list[Problem] = []
    for path, text in paths:
        found = _CONTROL.search(text) if isinstance(text, str) else None
        if found:
            out.append((("items", i, *path), _control_message(found.group())))
    return out


def _control_message(char: str) -> str:
    return f"contains the control character U+{ord(char):04X}; remove it"


def text_problems(value: Any, path: tuple[str | int, ...]) -> list[Problem]:
    """Every string anywhere in `value`: a lone surrogate (`"\ud800"` is legal JSON but no
    character, and cannot be stored or printed as UTF-8) or a control character other than
    tab and line breaks (an ANSI escape would reach the terminal of `catalog stats`)."""
    out: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, path)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            out += _string_problems(node, where)
        elif isinstance(node, dict):
            stack.extend((v, (*where, k)) for k, v in node.items())
            out += [p for k in node for p in _string_problems(k, where)]
        elif isinstance(node, list):
            stack.extend((v, (*where, j)) for j, v in enumerate(node))
    out.sort(key=lambda p: [str(x) for x in p[0]])
    return out


def _string_problems(text: str, where: tuple[str | int, ...]) -> list[Problem]:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return [(where, f"contains the lone surrogate \\u{ord(text[e.start]):04x} (a broken "
                        "\\u escape, not a character); fix the text")]
    found = _CONTROL_TEXT.search(text)
    return [(where, _control_message(found.group()))] if found else []


class ItemRules:
    """The rules, fed one item at a time (a streamed file) or from a whole document.

    Codes must be unique, also ignoring case (a county system matching codes without case
    would confuse "ab-1" with "AB-1"). Theme and life-event references are checked as they come
    when the categories were read first (the usual order), else kept and checked in finish()."""

    def __init__(self) -> None:
        self._codes: dict[str, tuple[int, str]] = {}
        self._themes: set[str] | None = None
        self._events: set[str] | None = None
        self._later: list[tuple[int, dict[str, Any]]] = []

    def categories(self, doc: dict[str, Any]) -> list[Problem]:
        """Take the catalog's categories (the head of the document); their own problems."""
        self._themes = _category_names(doc, "themes")
        self._events = _category_names(doc, "life_events")
        return _duplicate_categories(doc)

    def item(self, i: int, item: Any) -> list[Problem]:
        if not isinstance(item, dict):
            return []
        out = _step_orders(i, item)
        if self._themes is None and self._events is None:
            refs = {k: item[k] for k in ("themes", "life_events") if k in item}
            if refs:
                self._later.append((i, refs))
        else:
            out += _category_refs(i, item, self._themes, self._events)
        out += _form_refs(i, item)
        out += _limits(i, item)
        out += _fees(i, item)
        out += _control_chars(i, item)
        out += self._unique_code(i, item)
        return out

    def _unique_code(self, i: int, item: dict[str, Any]) -> list[Problem]:
        code = item.get("code")
        if not isinstance(code, str):
            return []
        seen = self._codes.get(code.casefold())
        if seen is None:
            self._codes[code.casefold()] = (i, code)
            return []
        j, other = seen
        if other == code:
            return [(("items", i, "code"),
                     f"duplicate code \"{code}\", already used by items[{j}]")]
        return [(("items", i, "code"), f"code \"{code}\" differs only in case from "
                                       f"\"{other}\" of items[{j}]; codes must differ")]

    def finish(self) -> list[Problem]:
        """Problems only known at the end (references read before the categories)."""
        out: list[Problem] = []
        for i, refs in self._later:
            out += _category_refs(i, refs, self._themes, self._events)
        self._later.clear()
        return out


def semantic_problems(doc: Any) -> list[Problem]:
    """Problems across fields and items, in document order."""
    if not isinstance(doc, dict):
        return []
    rules = ItemRules()
    out = rules.categories(doc)
    items = doc.get("items")
    per_item: list[Problem] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        per_item += rules.item(i, item)
    per_item += rules.finish()
    per_item.sort(key=lambda p: p[0][1])    # by item index; stable within one item
    return out + per_item + bundle_problems(doc)
