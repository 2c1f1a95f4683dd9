"""Issue 13, "Catalog: legal JSON crashes the validator and the importer": each input of the
fault run is refused by name — by `check_catalog_file`, by the CLI as a real process, and by
the import, which then keeps the current catalog. Real files and SQLite stores in tmp_path."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tracemalloc
import typing
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog import import_catalog, open_store
from kiosk.catalog.store import CatalogStore
from kiosk.catalog.validate import MAX_PROBLEMS, check_catalog_file
from kiosk.config import Config, parse_config
from kiosk.errors import CatalogValidationError, EmptyCatalogRefused

MINI = Path(__file__).resolve().parent.parent / "data" / "mini-catalog.json"
Doc = dict[str, Any]


def _doc() -> Doc:
    doc: Doc = json.loads(MINI.read_text("utf-8"))
    return doc


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def _problems(path: Path) -> list[str]:
    return check_catalog_file(path).problems


def _cfg(tmp_path: Path, seed: Path | str = "") -> Config:
    return parse_config({"catalog": {"db": "var/catalog.sqlite", "seed": str(seed),
                                     "forms_dir": "forms"}}, base_dir=str(tmp_path))


def _imported(tmp_path: Path) -> Config:
    cfg = _cfg(tmp_path)
    import_catalog(cfg, MINI)
    return cfg


def _current(cfg: Config) -> str:
    with CatalogStore(cfg.path(cfg.catalog.db)) as store:
        info = store.current_info()
    assert info is not None
    return str(info["catalog_version"])


# ---- the crashes of the fault run --------------------------------------------------------------

def _surrogate_text(field_error: bool) -> str:
    text = MINI.read_text("utf-8")
    doc = json.loads(text)
    name = doc["items"][1]["name"]
    text = text.replace(json.dumps(name, ensure_ascii=False), '"\\ud800坏"', 1)
    if field_error:   # the same field also breaks the schema: validate crashed printing it
        text = text.replace('"\\ud800坏"', '"\\ud800' + "长" * 300 + '"', 1)
    return text


def test_a_lone_surrogate_is_refused_by_validate_and_import(tmp_path: Path) -> None:
    f = _write(tmp_path / "c.json", _surrogate_text(False))
    problems = _problems(f)
    assert problems == ["items[1].name: contains the lone surrogate \\ud800 (a broken \\u "
                        "escape, not a character); fix the text"]
    cfg = _imported(tmp_path)
    with pytest.raises(CatalogValidationError):
        import_catalog(cfg, f)
    assert _current(cfg) == "test-1"


def test_validate_prints_a_surrogate_in_a_bad_field(tmp_path: Path, run_kiosk: typing.Any
                                                    ) -> None:
    f = _write(tmp_path / "c.json", _surrogate_text(True))
    out = run_kiosk("catalog", "validate", str(f))
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert "items[1].name: too long" in out.stdout and "\\ud800" in out.stdout


def test_an_integer_of_5000_digits_is_named(tmp_path: Path) -> None:
    doc = _doc()
    text = json.dumps(doc, ensure_ascii=False).replace('"popularity": ', '"popularity": '
                                                       + "9" * 5000 + ", \"x\": ", 1)
    problems = _problems(_write(tmp_path / "c.json", text))
    assert problems == ["items[0]: a number of 5000 digits (at most 30 are allowed)"]


def test_nan_and_huge_floats_are_named(tmp_path: Path) -> None:
    text = json.dumps(_doc(), ensure_ascii=False).replace('"popularity": ', '"popularity": '
                                                          "NaN, \"x\": ", 1)
    assert _problems(_write(tmp_path / "c.json", text)) == [
        "items[0]: NaN is not a number JSON allows"]
    text = text.replace("NaN", "1e999")
    assert _problems(_write(tmp_path / "c.json", text)) == [
        "items[0]: the number 1e999 is too large"]


@pytest.mark.parametrize("text", ["null", "[1, 2]", "42", '"catalog"', "", "   \n"])
def test_a_document_that_is_not_an_object(tmp_path: Path, text: str) -> None:
    (problem,) = _problems(_write(tmp_path / "c.json", text))
    assert problem.startswith("(top level): expected a JSON object (the catalog), got ")


def test_popularity_beyond_sqlite_integers_is_refused(tmp_path: Path) -> None:
    doc = _doc()
    doc["items"][2]["popularity"] = 2**63
    problems = _problems(_write(tmp_path / "c.json", json.dumps(doc, ensure_ascii=False)))
    assert problems == ["items[2].popularity: expected integer from 0 to 2147483647, got "
                        "9223372036854775808"]


def test_codes_differing_only_in_case_are_refused(tmp_path: Path) -> None:
    doc = _doc()
    doc["items"][3]["code"] = doc["items"][0]["code"].lower().replace("0", "0")
    first = doc["items"][0]["code"]
    doc["items"][3]["code"] = first.swapcase()
    assert first != first.swapcase()
    problems = _problems(_write(tmp_path / "c.json", json.dumps(doc, ensure_ascii=False)))
    assert problems == [f'items[3].code: code "{first.swapcase()}" differs only in case from '
                        f'"{first}" of items[0]; codes must differ']


@pytest.mark.parametrize(("where", "char"), [
    ("department", "\x1b"), ("name", "\x07"), ("steps.0.description", "\x1b"),
    ("short_name", "\x9b"),
])
def test_control_characters_and_ansi_escapes_are_refused(tmp_path: Path, where: str,
                                                         char: str) -> None:
    doc = _doc()
    target: Any = doc["items"][0]
    keys: list[Any] = [int(k) if k.isdigit() else k for k in where.split(".")]
    for k in keys[:-1]:
        target = target[k]
    target[keys[-1]] = f"民政{char}[31m办"
    problems = _problems(_write(tmp_path / "c.json", json.dumps(doc, ensure_ascii=False)))
    path = "items[0]." + where.replace(".0.", "[0].")
    assert problems == [f"{path}: contains the control character U+{ord(char):04X}; "
                        "remove it"]


def test_stats_never_prints_an_escape_raw(tmp_path: Path, run_kiosk: typing.Any) -> None:
    """A store written before this check (or by hand) may hold one: stats shows it escaped."""
    cfg = _imported(tmp_path)
    db = sqlite3.connect(cfg.path(cfg.catalog.db))
    db.execute("UPDATE summaries SET department = '民政\x1b[2J局'")
    db.commit()
    db.close()
    toml = _write(tmp_path / "kiosk.toml", '[catalog]\ndb = "var/catalog.sqlite"\nseed = ""\n')
    out = run_kiosk("--config", str(toml), "catalog", "stats")
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout and "民政\\x1b[2J局" in out.stdout


# ---- the seed ----------------------------------------------------------------------------------

def test_a_broken_seed_is_logged_and_the_catalog_kept(tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    """The seed changed to a file that crashed the importer: every command that opens the
    catalog, and the UI at start, crashed — a restart loop under systemd."""
    seed = _write(tmp_path / "seed.json", MINI.read_text("utf-8"))
    cfg = _cfg(tmp_path, seed)
    open_store(cfg).close()
    _write(seed, _surrogate_text(False))
    os.utime(seed, (seed.stat().st_mtime + 10, seed.stat().st_mtime + 10))
    with caplog.at_level(logging.WARNING):
        store = open_store(cfg)
    try:
        cat = store.current()
        assert cat is not None and cat.version == "test-1"
    finally:
        store.close()
    assert "keeping catalog test-1" in caplog.text


def test_a_seed_that_breaks_the_importer_itself_is_kept_out(tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture
                                                            ) -> None:
    seed = _write(tmp_path / "seed.json", MINI.read_text("utf-8"))
    cfg = _cfg(tmp_path, seed)
    open_store(cfg).close()
    seed.unlink()
    seed.mkdir()            # a folder where the seed was: reading it fails as no catalog would
    os.utime(seed, (seed.stat().st_mtime + 10, seed.stat().st_mtime + 10))
    with caplog.at_level(logging.WARNING):
        open_store(cfg).close()
    assert "keeping catalog test-1" in caplog.text


# ---- bounded work --------------------------------------------------------------------------------

def test_a_million_bad_items_stop_after_the_problem_limit(tmp_path: Path) -> None:
    """1 M bad items in a 6 MB file took 64 s and +430 MB: now checking stops after
    MAX_PROBLEMS, having read only those items, in bounded memory."""
    head = json.dumps({k: v for k, v in _doc().items() if k != "items"}, ensure_ascii=False)
    f = tmp_path / "bad.json"
    with f.open("w", encoding="utf-8") as out:
        out.write(head[:-1] + ', "items": [')
        out.write(", ".join(["{}"] * 1_000_000))
        out.write("]}")
    assert f.stat().st_size > 3_000_000
    tracemalloc.start()
    try:
        result = check_catalog_file(f)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(result.problems) == MAX_PROBLEMS + 1
    assert result.problems[-1].startswith("(top level): checking stopped after")
    assert result.items < 1000 and not result.parsed
    assert peak < 32 * 2**20, peak


def test_one_huge_item_is_refused_by_size(tmp_path: Path) -> None:
    doc = _doc()
    doc["items"][0]["name"] = "长" * (2 << 20)
    problems = _problems(_write(tmp_path / "c.json", json.dumps(doc, ensure_ascii=False)))
    assert problems == ["items[0]: larger than 1024 KiB of JSON text; a catalog entry is never "
                        "that large"]


# ---- empty catalogs ------------------------------------------------------------------------------

def test_an_empty_catalog_needs_a_flag(tmp_path: Path, run_kiosk: typing.Any) -> None:
    doc = _doc()
    doc["items"] = []
    empty = _write(tmp_path / "empty.json", json.dumps(doc, ensure_ascii=False))
    cfg = _imported(tmp_path)
    with pytest.raises(EmptyCatalogRefused, match="--allow-empty"):
        import_catalog(cfg, empty)
    assert _current(cfg) == "test-1"
    toml = _write(tmp_path / "kiosk.toml", '[catalog]\ndb = "var/catalog.sqlite"\nseed = ""\n')
    out = run_kiosk("--config", str(toml), "catalog", "import", str(empty))
    assert out.returncode == 1 and "no items" in out.stderr and "unchanged" in out.stderr
    out = run_kiosk("--config", str(toml), "catalog", "import", str(empty), "--allow-empty")
    assert out.returncode == 0, out.stderr
    assert "imported 0 items" in out.stdout


def test_maintenance_asks_before_importing_an_empty_catalog(tmp_path: Path) -> None:
    from kiosk.terminal_backend import TerminalBackend

    doc = _doc()
    doc["items"] = []
    empty = _write(tmp_path / "empty.json", json.dumps(doc, ensure_ascii=False))
    cfg = _imported(tmp_path)
    backend = TerminalBackend.__new__(TerminalBackend)   # only its catalog part is used
    backend.cfg = cfg
    backend.on_catalog_changed = None
    asked = backend.import_catalog(empty)
    assert not asked.ok and "一项业务也没有" in asked.confirm and "确定要导入吗" in asked.confirm
    assert _current(cfg) == "test-1"
    done = backend.import_catalog(empty, allow_empty=True)
    assert done.ok and "共 0 项" in done.message


# ---- forms ---------------------------------------------------------------------------------------

def _package(tmp_path: Path) -> tuple[Path, str]:
    pkg = tmp_path / "pkg"
    (pkg / "forms").mkdir(parents=True)
    doc = _doc()
    name = next(f["file"] for item in doc["items"] for f in item.get("forms", []))
    for item in doc["items"]:
        item["forms"] = [f for f in item.get("forms", []) if f["file"] == name]
        for m in item.get("materials", []):
            ids = {f["id"] for f in item["forms"]}
            for key in ("blank_form", "sample_form"):
                if m.get(key) and m[key] not in ids:
                    del m[key]
    _write(pkg / "catalog.json", json.dumps(doc, ensure_ascii=False))
    return pkg, name


def test_a_symlinked_form_is_refused(tmp_path: Path) -> None:
    """A link to the queue's 0600 secret became a world-readable "PDF"."""
    pkg, name = _package(tmp_path)
    secret = _write(tmp_path / "queue-secret.key", "%PDF-not really, a secret")
    secret.chmod(0o600)
    (pkg / "forms" / name).symlink_to(secret)
    cfg = _imported(tmp_path)
    with pytest.raises(CatalogValidationError) as info:
        import_catalog(cfg, pkg / "catalog.json")
    assert info.value.problems[0].endswith(f'"{name}" is a symbolic link in {pkg / "forms"}; '
                                           "put the PDF file itself in the package")
    assert not (cfg.path(cfg.catalog.forms_dir) / name).exists()
    assert _current(cfg) == "test-1"


def test_a_form_that_is_not_a_pdf_is_refused(tmp_path: Path) -> None:
    pkg, name = _package(tmp_path)
    _write(pkg / "forms" / name, "#!/bin/sh\necho not a form\n")
    cfg = _imported(tmp_path)
    with pytest.raises(CatalogValidationError) as info:
        import_catalog(cfg, pkg / "catalog.json")
    assert "is not a PDF file" in info.value.problems[0]
    (pkg / "forms" / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    report, copied = import_catalog(cfg, pkg / "catalog.json")
    assert copied == 1 and report.catalog_version == "test-1"
