"""kiosk.toml validation: every problem is named with its key, value and expectation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.config import Config, load_config, parse_config
from kiosk.configschema import document
from kiosk.errors import ConfigError


def problems_of(data: dict[str, object]) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(data)
    return info.value.problems


def test_demo_config_loads(repo: Path) -> None:
    cfg = load_config(repo / "kiosk.toml")
    assert cfg.hall.name.endswith("便民服务中心")
    assert cfg.receipt_profile.paper_mm == 80
    assert cfg.queue.server == "" and cfg.queue.hall_config == "hall.toml"
    assert cfg.path(cfg.catalog.db) == repo / "var" / "catalog.sqlite"


def test_empty_config_gives_defaults() -> None:
    cfg = parse_config({})
    assert cfg.session.idle_timeout_s == 60
    assert cfg.session.warning_s >= 20


def test_unknown_key_is_named_with_the_known_ones() -> None:
    (p,) = problems_of({"display": {"widht": 1080}})
    assert p.startswith("display.widht: unknown key")
    assert "width" in p


def test_unknown_section() -> None:
    (p,) = problems_of({"printr": {}})
    assert p.startswith("printr: unknown key")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"display": {"width": "1080"}}, 'display.width: expected an integer from 320 to 7680, '
                                         'got "1080"'),
        ({"display": {"fullscreen": 1}}, "display.fullscreen: expected true or false, got 1"),
        ({"session": {"warning_s": 5}}, "session.warning_s: expected an integer from 20 to 600, "
                                        "got 5"),
        ({"receipt_printer": {"url": 9100}}, "receipt_printer.url: expected a string matching"),
        ({"receipt_printer": {"url": "lpt://1"}}, 'receipt_printer.url: expected a string '
                                                  'matching'),
        ({"printer_profiles": {"x": {"paper_mm": 76}}}, "printer_profiles.x.paper_mm: expected "
                                                        "one of 58, 80, got 76"),
        ({"queue": {"server": "ftp://hall"}}, "queue.server: expected a string matching"),
        ({"services": []}, "services: moved to hall.toml ([[services]])"),
        ({"queue": {"reset_hour": 4}}, "queue.reset_hour: moved to hall.toml"),
        ({"display": {"diagonal_inch": True}}, "display.diagonal_inch: expected a number"),
        ({"hall": "青山镇"}, 'hall: expected a table, got "青山镇"'),
    ],
)
def test_each_kind_of_bad_value(data: dict[str, object], expected: str) -> None:
    problems = problems_of(data)
    assert any(p.startswith(expected) for p in problems), problems


def test_all_problems_are_reported_at_once() -> None:
    problems = problems_of({
        "display": {"width": 1, "height": "x", "nope": 0},
        "session": {"idle_timeout_s": -1},
    })
    keys = sorted(p.split(":")[0] for p in problems)
    assert keys == ["display.height", "display.nope", "display.width", "session.idle_timeout_s"]


def test_cross_checks() -> None:
    problems = problems_of({
        "receipt_printer": {"profile": "nope"},
    })
    assert problems == ['receipt_printer.profile: expected one of the [printer_profiles] '
                        '(demo-80, generic-58, raster-80), got "nope"']


def test_float_accepts_integer() -> None:
    assert parse_config({"display": {"diagonal_inch": 32}}).display.diagonal_inch == 32.0


def test_bad_toml_names_the_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "kiosk.toml"
    f.write_text("[hall]\nname = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(f)
    assert "not valid TOML" in str(info.value) and "line 2" in str(info.value)
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "missing.toml")


def test_millimetres_use_the_panel_size() -> None:
    big = parse_config({"display": {"diagonal_inch": 27.0}}).display
    small = parse_config({"display": {"diagonal_inch": 15.6}}).display
    # The same 15 mm is fewer pixels on the big panel (lower dpi) than on the small one.
    assert big.mm(15) < small.mm(15)
    assert abs(big.mm(25.4) - big.dpi) <= 1


def test_readme_documents_every_key(repo: Path) -> None:
    readme = (repo / "README.md").read_text(encoding="utf-8")
    missing = [key for key, *_ in document(Config) if f"`{key}`" not in readme]
    assert missing == [], f"README lacks these keys: {missing}"


def test_demo_config_sets_every_section(repo: Path) -> None:
    text = (repo / "kiosk.toml").read_text(encoding="utf-8")
    sections = set(re.findall(r"^\[+([a-z_]+)", text, re.M))
    assert sections >= {"hall", "display", "session", "catalog", "receipt_printer", "id_reader",
                        "queue", "maintenance", "logging"}


def test_cli_config_check(run_kiosk, repo: Path) -> None:  # type: ignore[no-untyped-def]
    ok = run_kiosk("--config", str(repo / "kiosk.toml"), "config", "check")
    assert ok.returncode == 0, ok.stderr
    assert "kiosk.toml OK" in ok.stdout
    broken = repo / "tests" / "unit" / "data" / "broken-kiosk.toml"
    res = run_kiosk("--config", str(broken), "config", "check")
    assert res.returncode == 2
    assert 'display.width: expected an integer from 320 to 7680, got "wide"' in res.stderr
