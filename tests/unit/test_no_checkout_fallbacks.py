"""An installed kiosk (a wheel, not this checkout) has no tests/ folder and no kiosk.toml
beside its sources: production code must never reach for either."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kiosk.config import default_config_path, load_config
from kiosk.errors import ConfigError
from tests.conftest import REPO

PRODUCTION = ("kiosk", "devices", "screens", "township", "hall", "county", "protocol")


def test_the_default_config_is_the_current_folders_not_the_checkouts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    assert default_config_path() == Path("kiosk.toml")
    with pytest.raises(ConfigError, match=r"file not found: kiosk\.toml"):
        load_config(default_config_path())
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "site.toml"))
    assert default_config_path() == tmp_path / "site.toml"


def test_no_production_module_points_into_tests() -> None:
    found = []
    for top in PRODUCTION:
        for path in sorted((REPO / top).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and (node.value == "tests" or node.value.startswith("tests/"))):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value!r}")
    assert found == []
