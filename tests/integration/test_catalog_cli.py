"""`kiosk catalog …` and `kiosk show` as real processes: exit codes and their JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from kiosk.catalog.generate import generate_document

MINI = Path(__file__).resolve().parents[1] / "data" / "mini-catalog.json"
Run = Callable[..., CompletedProcess[str]]


@pytest.fixture
def config(tmp_path: Path) -> str:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[catalog]\ndb = "var/catalog.sqlite"\nseed = "{MINI}"\n', "utf-8")
    return str(cfg)


def _write(path: Path, doc: object) -> str:
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return str(path)


def test_validate_ok_and_bad(run_kiosk: Run, tmp_path: Path) -> None:
    ok = run_kiosk("catalog", "validate", str(MINI), "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"file": str(MINI), "valid": True, "items": 4,
                                     "forms_checked": None, "problems": []}
    doc = json.loads(MINI.read_text("utf-8"))
    doc["items"][1]["materials"][2]["original_copies"] = "两份"
    doc["items"][3]["steps"][0]["order"] = 0
    bad = run_kiosk("catalog", "validate", _write(tmp_path / "bad.json", doc))
    assert bad.returncode == 1
    assert bad.stdout.splitlines() == [
        'items[1].materials[2].original_copies: expected integer from 0 to 1000, got "两份"',
        "items[3].steps: step orders must be 1, 2, 3 (each once, no gaps), got 0, 2, 3",
        "items[3].steps[0].order: expected integer from 1 to 1000, got 0"]
    assert "3 problem(s)" in bad.stderr


def test_validate_broken_json_and_missing_file(run_kiosk: Run, tmp_path: Path) -> None:
    f = tmp_path / "broken.json"
    f.write_text('{"format": "township-kiosk-catalog",\n "items": [}', "utf-8")
    r = run_kiosk("catalog", "validate", str(f), "--json")
    assert r.returncode == 1
    assert json.loads(r.stdout)["problems"] == [
        "line 2, column 12: not valid JSON (Expecting value)"]
    missing = run_kiosk("catalog", "validate", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "no such catalog file" in missing.stderr


def test_import_stats_show_rollback(run_kiosk: Run, config: str, tmp_path: Path) -> None:
    first = run_kiosk("--config", config, "catalog", "import", str(MINI), "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert (report["items"], report["catalog_version"], report["previous_version"]) == (
        4, "test-1", None)

    gen = _write(tmp_path / "gen.json", generate_document(20, seed=3))
    second = json.loads(run_kiosk("--config", config, "catalog", "import", gen,
                                  "--json").stdout)
    assert second["previous_version"] == "test-1" and second["items"] == 20

    stats = json.loads(run_kiosk("--config", config, "catalog", "stats", "--json").stdout)
    assert stats["current"]["catalog_version"] == "synthetic-20-3"
    assert stats["current"]["items"] == 20
    assert stats["previous"]["catalog_version"] == "test-1"
    assert sum(stats["current"]["departments"].values()) == 20

    rb = run_kiosk("--config", config, "catalog", "rollback")
    assert rb.returncode == 0 and "test-1" in rb.stdout
    shown = run_kiosk("--config", config, "show", "T-0004", "--json")
    assert shown.returncode == 0, shown.stderr
    item = json.loads(shown.stdout)
    assert item["name"] == "农村村民宅基地和建房（规划许可）申请"
    assert item["materials"][3]["name"] == "建房设计图"


def test_bad_import_keeps_current_and_exits_1(run_kiosk: Run, config: str,
                                              tmp_path: Path) -> None:
    assert run_kiosk("--config", config, "catalog", "import", str(MINI)).returncode == 0
    doc = generate_document(10, seed=1)
    doc["items"][4]["code"] = doc["items"][0]["code"]
    r = run_kiosk("--config", config, "catalog", "import", _write(tmp_path / "d.json", doc))
    assert r.returncode == 1
    assert 'items[4].code: duplicate code' in r.stderr and "unchanged" in r.stderr
    stats = json.loads(run_kiosk("--config", config, "catalog", "stats", "--json").stdout)
    assert stats["current"]["catalog_version"] == "test-1" and stats["previous"] is None


def test_show_text_seeds_an_empty_store(run_kiosk: Run, config: str) -> None:
    r = run_kiosk("--config", config, "show", "T-0001")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "【最低生活保障审核确认】办事指南"
    for expected in ("一、基本信息", "  实施编码：T-0001", "  1. 居民身份证（必需）",
                     "     纸质，原件1份，复印件1份", "  1. 受理：镇便民服务中心，乡镇(街道)",
                     "  法定办结时限：20个工作日", "  承诺办结时限：10个工作日", "  不收费",
                     "  到办事现场次数：最多跑一次",
                     "  最低生活保障申请表（空白表格，F-DB-01.pdf）"):
        assert expected in lines, expected
    missing = run_kiosk("--config", config, "show", "NOPE-1")
    assert missing.returncode == 1 and "NOPE-1" in missing.stderr


def test_generate_then_validate(run_kiosk: Run, tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    assert run_kiosk("catalog", "generate", "--items", "30", "--out", str(out)).returncode == 0
    r = run_kiosk("catalog", "validate", str(out))
    assert r.returncode == 0 and "OK, 30 items" in r.stdout


def test_package_folder_forms_are_checked_then_copied(run_kiosk: Run, config: str,
                                                      tmp_path: Path) -> None:
    pkg = tmp_path / "qinghe-2026.11"
    (pkg / "forms").mkdir(parents=True)
    catalog = pkg / "catalog.json"
    catalog.write_text(MINI.read_text("utf-8"), "utf-8")
    missing = run_kiosk("catalog", "validate", str(catalog), "--json")
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["problems"] == [
        f'items[0].forms[0].file: "F-DB-01.pdf" is not in {pkg / "forms"}']
    refused = run_kiosk("--config", config, "catalog", "import", str(catalog))
    assert refused.returncode == 1 and not (tmp_path / "var").exists()

    pdf = b"%PDF-1.4 test form\n%%EOF\n"
    (pkg / "forms" / "F-DB-01.pdf").write_bytes(pdf)
    r = run_kiosk("--config", config, "catalog", "import", str(catalog), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["forms_copied"] == 1
    assert (tmp_path / "assets" / "forms" / "F-DB-01.pdf").read_bytes() == pdf
    again = run_kiosk("--config", config, "catalog", "import", str(catalog), "--json")
    assert json.loads(again.stdout)["forms_copied"] == 0          # same file: not rewritten


def test_stats_on_a_fresh_store_shows_the_seed(run_kiosk: Run, config: str) -> None:
    """`catalog stats` is the first command run on a fresh terminal: it seeds the store as
    `show`, `search` and the UI do, instead of reporting no catalog at all."""
    r = run_kiosk("--config", config, "catalog", "stats", "--json")
    assert r.returncode == 0, r.stderr
    current = json.loads(r.stdout)["current"]
    assert current is not None and current["items"] == 4
    assert current["source"] == str(MINI)
