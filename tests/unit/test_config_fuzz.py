"""Fuzzing the config loader (hypothesis): the demo kiosk.toml with a value replaced by any
TOML value, lines dropped or repeated, bytes spliced in — load_config gives a Config or one
ConfigError, never another exception; and a Config it gives holds no NaN or infinity."""

from __future__ import annotations

import dataclasses
import math
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config import Config, load_config
from kiosk.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent.parent
LINES = (REPO / "kiosk.toml").read_text("utf-8").splitlines()
VALUE_LINES = [i for i, line in enumerate(LINES) if "=" in line and not line.startswith("#")]

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

toml_scalars = st.sampled_from([
    "nan", "+nan", "-nan", "inf", "-inf", "0", "-1", "99999", "1e400", "9" * 30, "0x10",
    "true", '""', '"/"', '"/proc/x"', '"tcp://[::1"', '"tcp://h:99999"', '"socket://h"',
    '"\\u0000"', "[]", "[nan, 1, 2, 3]", "{}", "{a = 1}", "1979-05-27", "07:32:00", "'x'",
]) | st.integers().map(str) | st.floats().map(lambda f: repr(f).replace("e+", "e"))


def _load(text: str | bytes) -> Config | None:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "kiosk.toml"
        if isinstance(text, bytes):
            f.write_bytes(text)
        else:
            f.write_text(text, "utf-8", errors="surrogatepass")
        try:
            cfg = load_config(f)
        except ConfigError as e:
            assert e.problems and all(isinstance(p, str) and p for p in e.problems)
            return None
    _no_nan(cfg)
    return cfg


def _no_nan(node: Any) -> None:
    if isinstance(node, float):
        assert math.isfinite(node)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            _no_nan(getattr(node, f.name))
    elif isinstance(node, list | tuple):
        for v in node:
            _no_nan(v)
    elif isinstance(node, dict):
        for v in node.values():
            _no_nan(v)


def test_the_demo_config_loads() -> None:
    assert _load("\n".join(LINES)) is not None


@FUZZ
@given(st.sampled_from(VALUE_LINES), toml_scalars)
def test_a_value_replaced(line: int, value: str) -> None:
    lines = list(LINES)
    key = lines[line].split("=", 1)[0]
    lines[line] = f"{key}= {value}"
    _load("\n".join(lines))


@FUZZ
@given(st.lists(st.sampled_from(range(len(LINES))), max_size=6),
       st.lists(st.sampled_from(range(len(LINES))), max_size=3))
def test_lines_dropped_or_repeated(drop: list[int], repeat: list[int]) -> None:
    lines = [line for i, line in enumerate(LINES) if i not in drop]
    lines += [LINES[i] for i in repeat]
    _load("\n".join(lines))


@FUZZ
@given(st.binary(max_size=40), st.integers(min_value=0, max_value=4000))
def test_bytes_spliced_in(junk: bytes, at: int) -> None:
    raw = "\n".join(LINES).encode("utf-8")
    _load(raw[:at] + junk + raw[at:])


@FUZZ
@given(st.text(max_size=120))
def test_any_text(text: str) -> None:
    _load(text)
