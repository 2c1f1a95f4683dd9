"""Catalog file → JSON document, with the problems JSON parsers hide or word badly: bytes
that are not UTF-8 (named by line and byte), syntax errors (line and column), and keys given
twice in one object — which `json.loads` resolves silently by keeping the last one, so a
county export with a repeated key would lose data without anyone noticing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.errors import CatalogError


def read_text(path: Path) -> tuple[str | None, list[str]]:
    """The file's text, or a problem saying where its bytes stop being UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CatalogError(f"{path}: cannot read the catalog file ({e.strerror})") from e
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return None, [f"line {line}, byte {e.start}: not UTF-8 text ({e.reason}); "
                      "save the file as UTF-8"]


def _format_path(parts: list[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out or "(top level)"


def paths_of(doc: Any, wanted: set[int]) -> dict[int, str]:
    """JSON paths of the objects whose id() is wanted (walked only when duplicates exist)."""
    found: dict[int, str] = {}
    stack: list[tuple[Any, list[str | int]]] = [(doc, [])]
    while stack and len(found) < len(wanted):
        node, path = stack.pop()
        if isinstance(node, dict):
            if id(node) in wanted:
                found[id(node)] = _format_path(path)
            stack.extend((v, [*path, k]) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, [*path, i]) for i, v in enumerate(node))
    return found


def parse_text(text: str) -> tuple[Any, list[str]]:
    """(document, problems). The document is None when the text is not JSON; with repeated
    keys it is returned (last value kept) together with a problem for each repeat."""
    repeats: list[tuple[dict[str, Any], list[str]]] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            keys = [k for k, _ in pairs]
            repeats.append((obj, [k for k in obj if keys.count(k) > 1]))
        return obj

    try:
        doc = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as e:
        return None, [f"line {e.lineno}, column {e.colno}: not valid JSON ({e.msg})"]
    except RecursionError:
        return None, ["(top level): nested too deeply to be a catalog"]
    if not repeats:
        return doc, []
    paths = paths_of(doc, {id(obj) for obj, _ in repeats})
    return doc, [f"{paths.get(id(obj), '?')}: key '{k}' appears more than once; keep one"
                 for obj, keys in repeats for k in keys]
