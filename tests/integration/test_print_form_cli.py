"""`kiosk print form CODE FORM` as a real process, through the private CUPS: the catalog item's
form PDF is printed with the requested copies; bad codes, forms and copy counts are named."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.forms.pdfgen import build_form
from tests.support.a4_fixtures import cups, cups_server, is_a4, pdfinfo, queue_name  # noqa: F401
from tests.support.cups_env import CupsServer

TESTS = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.cups


@pytest.fixture
def config(tmp_path: Path, cups: CupsServer, queue_name: str) -> Path:  # noqa: F811
    """A kiosk.toml whose seed catalog is the mini catalog (item T-0001 has form F-DB-01)."""
    forms = tmp_path / "forms"
    forms.mkdir()
    pdf = build_form(TESTS / "data/forms/T-DBSQ-02.json", forms)
    shutil.copy(pdf, forms / "F-DB-01.pdf")
    shutil.copy(TESTS / "data/mini-catalog.json", tmp_path / "catalog.json")
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[catalog]\nseed = "catalog.json"\nforms_dir = "forms"\n'
                   f'db = "var/catalog.sqlite"\n'
                   f'[document_printer]\nqueue = "{queue_name}"\nserver = "{cups.socket}"\n',
                   encoding="utf-8")
    return cfg


def test_print_form_with_copies(run_kiosk: Callable[..., Any], config: Path,
                                cups: CupsServer, queue_name: str) -> None:  # noqa: F811
    done = run_kiosk("--config", str(config), "print", "form", "T-0001", "F-DB-01",
                     "--copies", "2")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] is True and result["form"] == "F-DB-01" and result["copies"] == 2
    (out,) = cups.outputs(queue_name)
    info = pdfinfo(out)
    assert info["Pages"] == "4" and is_a4(info)  # the 2-page form, twice


@pytest.mark.parametrize(("args", "needle"), [
    (["T-0001", "F-NOPE"], "has no form 'F-NOPE'; its forms: F-DB-01"),
    (["T-9999", "F-DB-01"], "no catalog item with code 'T-9999'"),
    (["T-0001", "F-DB-01", "--copies", "9"], "copies: 9 is outside 1–5"),
])
def test_print_form_names_what_is_wrong(run_kiosk: Callable[..., Any], config: Path,
                                        cups: CupsServer, queue_name: str,  # noqa: F811
                                        args: list[str], needle: str) -> None:
    done = run_kiosk("--config", str(config), "print", "form", *args)
    assert done.returncode == 3 and needle in done.stderr, done.stderr
    assert cups.outputs(queue_name) == []


def test_print_form_on_stopped_printer(run_kiosk: Callable[..., Any], config: Path,
                                       cups: CupsServer, queue_name: str) -> None:  # noqa: F811
    cups.run("cupsdisable", queue_name, check=True)
    done = run_kiosk("--config", str(config), "print", "form", "T-0001", "F-DB-01",
                     "--printer", queue_name)
    assert done.returncode == 3
    assert json.loads(done.stdout)["message"] == "打印机暂停使用，请联系大厅工作人员。"


def test_forms_of_lists_blank_first_and_marks_missing(config: Path) -> None:
    from kiosk.config import load_config
    from kiosk.forms.service import forms_of, lookup_item

    cfg = load_config(config)
    (entry,) = forms_of(cfg, lookup_item(cfg, "T-0001"))
    assert entry.form.id == "F-DB-01" and entry.kind_zh == "空白表格" and entry.printable
    assert entry.path is not None
    entry.path.unlink()
    (gone,) = forms_of(cfg, lookup_item(cfg, "T-0001"))
    assert not gone.printable


def test_forms_check_and_install(run_kiosk: Callable[..., Any], config: Path,
                                 tmp_path: Path) -> None:
    assert run_kiosk("--config", str(config), "forms", "check").returncode == 0
    (tmp_path / "forms/F-DB-01.pdf").unlink()
    missing = run_kiosk("--config", str(config), "forms", "check")
    assert missing.returncode == 1 and "T-0001 F-DB-01:" in missing.stdout
    assert "F-DB-01.pdf: missing" in missing.stdout
    # a catalog's own forms: one good PDF and one that is not A4 → nothing is installed
    pack = tmp_path / "pack"
    pack.mkdir()
    build_form(TESTS / "data/forms/T-GLJT-01.json", pack).rename(pack / "F-DB-01.pdf")
    from reportlab.pdfgen.canvas import Canvas

    letter = Canvas(str(pack / "US-LETTER.pdf"), pagesize=(612, 792))
    letter.showPage()
    letter.save()
    bad = run_kiosk("--config", str(config), "forms", "install", str(pack))
    assert bad.returncode == 3 and "US-LETTER.pdf: page 1 is 216 x 279 mm" in bad.stderr
    assert not (tmp_path / "forms/F-DB-01.pdf").exists()
    (pack / "US-LETTER.pdf").unlink()
    good = run_kiosk("--config", str(config), "forms", "install", str(pack))
    assert good.returncode == 0, good.stderr
    assert run_kiosk("--config", str(config), "forms", "check").returncode == 0


def test_shipped_sample_form_prints(run_kiosk: Callable[..., Any], tmp_path: Path,
                                    cups: CupsServer, queue_name: str) -> None:  # noqa: F811
    """A form of the shipped sample catalog, from assets/forms, through CUPS."""
    repo = TESTS.parent
    catalog = repo / "assets/catalog/sample-catalog.json"
    doc = json.loads(catalog.read_text(encoding="utf-8"))
    code, form = next((i["code"], f) for i in doc["items"] for f in i.get("forms", [])
                      if f["kind"] == "sample")
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[catalog]\nseed = "{catalog}"\nforms_dir = "{repo / "assets/forms"}"\n'
                   f'db = "{tmp_path / "catalog.sqlite"}"\n'
                   f'[document_printer]\nqueue = "{queue_name}"\nserver = "{cups.socket}"\n',
                   encoding="utf-8")
    done = run_kiosk("--config", str(cfg), "print", "form", code, form["id"], "-n", "2")
    assert done.returncode == 0, done.stderr
    (out,) = cups.outputs(queue_name)
    pages = int(pdfinfo(repo / "assets/forms" / form["file"])["Pages"])
    info = pdfinfo(out)
    assert int(info["Pages"]) == 2 * pages and is_a4(info)
