"""`kiosk search` as a real process, on a temp kiosk.toml whose seed is the mini catalog."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.unit.search_catalog import MINI

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def toml(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[catalog]\nseed = "{MINI.as_posix()}"\ndb = "var/catalog.sqlite"\n'
                    '[search]\nlimit = 5\npopular = 3\n', encoding="utf-8")
    return path


def search_json(run_kiosk: Run, toml: Path, *args: str) -> dict[str, object]:
    proc = run_kiosk("--config", str(toml), "search", *args, "--json")
    assert proc.returncode == 0, proc.stderr
    data: dict[str, object] = json.loads(proc.stdout)
    return data


def test_json_results_best_first_with_spans(run_kiosk: Run, toml: Path) -> None:
    data = search_json(run_kiosk, toml, "gljt")
    hits = data["hits"]
    assert isinstance(hits, list) and hits[0]["code"] == "T-0002"
    top = hits[0]
    assert top["name"] == "80周岁以上老年人高龄津贴申领"
    m = next(m for m in top["matches"] if m["field"] == "initials")
    assert [top["name"][s:e] for s, e in m["spans"]] == ["高龄津贴"]
    assert data["total"] == 1 and data["suggestions"] is None


def test_json_synonym_and_limit(run_kiosk: Run, toml: Path) -> None:
    data = search_json(run_kiosk, toml, "居民身份证", "--limit", "2")
    assert len(data["hits"]) == 2 and data["total"] == 4     # type: ignore[arg-type]
    data = search_json(run_kiosk, toml, "低保")
    assert data["hits"][0]["code"] == "T-0001"                # type: ignore[index]


def test_nothing_found_is_not_an_error(run_kiosk: Run, toml: Path) -> None:
    data = search_json(run_kiosk, toml, "火星签证")
    assert data["hits"] == [] and data["total"] == 0
    sug = data["suggestions"]
    assert isinstance(sug, dict) and len(sug["popular"]) == 3   # [search].popular
    assert sug["popular"][0]["code"] == "T-0002"                # most popular
    assert any(c["name"] == "社会救助" for c in sug["categories"])
    human = run_kiosk("--config", str(toml), "search", "火星签证")
    assert human.returncode == 0 and "没有找到" in human.stdout and "常办事项" in human.stdout


def test_human_output_marks_matched_characters(run_kiosk: Run, toml: Path) -> None:
    proc = run_kiosk("--config", str(toml), "search", "保险")
    assert proc.returncode == 0, proc.stderr
    assert "城乡居民基本养老【保险】待遇领取" in proc.stdout
    proc = run_kiosk("--config", str(toml), "search", "gaolingjin")
    assert "老年人【高龄津】贴申领" in proc.stdout


def test_bad_limit_is_a_usage_error(run_kiosk: Run, toml: Path) -> None:
    proc = run_kiosk("--config", str(toml), "search", "低保", "--limit", "0")
    assert proc.returncode == 2 and "--limit" in proc.stderr
