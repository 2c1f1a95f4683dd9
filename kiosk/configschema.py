"""A small declarative validator: config sections are dataclasses, and this turns a TOML table
into them, collecting *every* problem with the dotted key, the value and what was expected.

Why not a library: the messages are the product here. A technician at a township hall reads
`receipt_printer.url: expected a string, got 9100`, not a stack trace, and the README's list of
keys is generated from the same metadata, so documentation and validation cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, Union

T = TypeVar("T")

_MISSING_DOC = "(undocumented)"


def setting(
    default: Any = dataclasses.MISSING,
    doc: str = _MISSING_DOC,
    *,
    factory: Callable[[], Any] | None = None,
    min: float | None = None,
    max: float | None = None,
    choices: Sequence[Any] | None = None,
    pattern: str | None = None,
    example: str | None = None,
    check: Callable[[Any], str] | None = None,
) -> Any:
    """Declare one config key: its default, its documentation and its constraints. `check`
    (kiosk.configcheck) returns '' or what was expected, for what a pattern cannot say."""
    meta = {
        "check": check,
        "doc": doc,
        "min": min,
        "max": max,
        "choices": tuple(choices) if choices is not None else None,
        "pattern": pattern,
        "example": example,
    }
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def describe(value: Any) -> str:
    """How a bad value is shown in an error: TOML-ish, short."""
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 60 else f'"{value[:57]}…"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        inner = ", ".join(describe(v) for v in value)
        return f"[{inner}]" if len(inner) <= 60 else f"a list of {len(value)}"
    return repr(value)


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is bool:
        return "true or false"
    if tp is int:
        return "an integer"
    if tp is float:
        return "a number"
    if tp is str:
        return "a string"
    if origin is list:
        (inner,) = typing.get_args(tp)
        return f"a list of {_type_name(inner).removeprefix('a ').removeprefix('an ')}s"
    if origin is dict:
        return "a table"
    if dataclasses.is_dataclass(tp):
        return "a table"
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(tp) if a is not type(None))
    return str(tp)


def _constraint_text(meta: dict[str, Any], base: str) -> str:
    parts = [base]
    if meta.get("choices"):
        return "one of " + ", ".join(describe(c) for c in meta["choices"])
    if meta.get("min") is not None and meta.get("max") is not None:
        parts.append(f"from {meta['min']} to {meta['max']}")
    elif meta.get("min") is not None:
        parts.append(f"≥ {meta['min']}")
    elif meta.get("max") is not None:
        parts.append(f"≤ {meta['max']}")
    if meta.get("pattern"):
        parts.append(f"matching {meta['pattern']}")
    return " ".join(parts)


class _Builder:
    """Walks one TOML table into a dataclass, appending problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, text: str) -> None:
        self.problems.append(f"{path}: {text}")

    def build(self, cls: type[T], data: Any, path: str) -> T | None:
        if not isinstance(data, dict):
            self.problem(path or "(top)", f"expected a table, got {describe(data)}")
            return None
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        for key in data:
            if key not in fields:
                known = ", ".join(sorted(fields))
                self.problem(_join(path, key), f"unknown key (expected one of: {known})")
        values: dict[str, Any] = {}
        ok = True
        for name, f in fields.items():
            key_path = _join(path, name)
            if name not in data:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    self.problem(key_path, f"required key is missing ({f.metadata.get('doc', '')})")
                    ok = False
                continue
            before = len(self.problems)
            value = self.value(hints[name], data[name], key_path, dict(f.metadata))
            if len(self.problems) > before:
                ok = False
            else:
                values[name] = value
        if not ok:
            return None
        return cls(**values)

    def value(self, tp: Any, raw: Any, path: str, meta: dict[str, Any]) -> Any:
        origin = typing.get_origin(tp)
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            return self.value(args[0], raw, path, meta)
        if dataclasses.is_dataclass(tp):
            return self.build(tp, raw, path)  # type: ignore[arg-type]
        if origin is list:
            return self.list_value(tp, raw, path, meta)
        if origin is dict:
            return self.dict_value(tp, raw, path, meta)
        return self.scalar(tp, raw, path, meta)

    def list_value(self, tp: Any, raw: Any, path: str, meta: dict[str, Any]) -> Any:
        if not isinstance(raw, list):
            self.problem(path, f"expected {_type_name(tp)}, got {describe(raw)}")
            return None
        (inner,) = typing.get_args(tp)
        inner_meta = {k: v for k, v in meta.items() if k != "doc"}
        return [self.value(inner, item, f"{path}[{i}]", inner_meta) for i, item in enumerate(raw)]

    def dict_value(self, tp: Any, raw: Any, path: str, meta: dict[str, Any]) -> Any:
        if not isinstance(raw, dict):
            self.problem(path, f"expected a table, got {describe(raw)}")
            return None
        _key_tp, inner = typing.get_args(tp)
        return {k: self.value(inner, v, _join(path, k), {}) for k, v in raw.items()}

    def scalar(self, tp: Any, raw: Any, path: str, meta: dict[str, Any]) -> Any:
        value = raw
        ok = True
        if tp is float and isinstance(raw, int) and not isinstance(raw, bool):
            value = float(raw)
        elif tp is bool:
            ok = isinstance(raw, bool)
        elif tp is int:
            ok = isinstance(raw, int) and not isinstance(raw, bool)
        else:
            ok = isinstance(raw, tp)
        if ok and tp is float and not math.isfinite(value):
            self.problem(path, f"expected {_constraint_text(meta, 'a finite number')}, "
                               f"got {describe(raw)}")
            return None
        if ok:
            ok = _within(value, meta)
        if not ok:
            self.problem(path, f"expected {_constraint_text(meta, _type_name(tp))}, "
                               f"got {describe(raw)}")
            return None
        expected = meta["check"](value) if meta.get("check") else ""
        if expected:
            self.problem(path, f"{expected}, got {describe(raw)}")
            return None
        return value


def _within(value: Any, meta: dict[str, Any]) -> bool:
    if meta.get("choices") is not None and value not in meta["choices"]:
        return False
    if meta.get("min") is not None and value < meta["min"]:
        return False
    if meta.get("max") is not None and value > meta["max"]:
        return False
    pattern = meta.get("pattern")
    return not (pattern is not None and not re.fullmatch(pattern, value))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def build(cls: type[T], data: dict[str, Any]) -> tuple[T | None, list[str]]:
    """Turn a parsed TOML document into `cls`, returning (instance or None, problems)."""
    builder = _Builder()
    result = builder.build(cls, data, "")
    return result, builder.problems


def document(cls: type[Any], prefix: str = "") -> list[tuple[str, str, str, str]]:
    """(key, type, default, doc) for every key, for the README and `kiosk config keys`."""
    rows: list[tuple[str, str, str, str]] = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.metadata.get("internal"):
            continue
        tp = hints[f.name]
        key = _join(prefix, f.name)
        target = _unwrap_container(tp)
        if target is not None:
            suffix = "[]" if typing.get_origin(tp) is list else ".<name>"
            if dataclasses.is_dataclass(tp):
                suffix = ""
            rows.extend(document(target, key + suffix))
            continue
        if f.default is not dataclasses.MISSING:
            default = describe(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            default = describe(f.default_factory())
        else:
            default = "(required)"
        meta = dict(f.metadata)
        rows.append((key, _constraint_text(meta, _type_name(tp)), default, meta.get("doc", "")))
    return rows


def _unwrap_container(tp: Any) -> Any:
    """The dataclass a field holds directly, in a list, or as table values; else None."""
    origin = typing.get_origin(tp)
    inner = tp
    if origin is list:
        (inner,) = typing.get_args(tp)
    elif origin is dict:
        _k, inner = typing.get_args(tp)
    return inner if dataclasses.is_dataclass(inner) else None
