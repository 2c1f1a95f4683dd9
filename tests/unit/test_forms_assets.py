"""The shipped form PDFs (assets/forms/<id>.pdf) are built from the current layouts
(assets/forms/src/<id>.json): each PDF records its layout's SHA-256, so this needs no font
work and fails the moment a layout is edited without `python scripts/build-forms.py`.
Every form the sample catalog references must have its PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.forms.layout import load_layout
from kiosk.forms.pdfgen import is_up_to_date

REPO = Path(__file__).resolve().parent.parent.parent
SRC = REPO / "assets/forms/src"
CATALOG = REPO / "assets/catalog/sample-catalog.json"
LAYOUTS = sorted(SRC.glob("*.json"))
assert LAYOUTS, f"no form layouts in {SRC}"


@pytest.mark.parametrize("src", LAYOUTS, ids=lambda p: p.stem)
def test_layout_valid_and_pdf_up_to_date(src: Path) -> None:
    load_layout(src)
    pdf = REPO / "assets/forms" / f"{src.stem}.pdf"
    assert pdf.is_file(), f"{pdf} missing: run python scripts/build-forms.py"
    assert is_up_to_date(src, pdf), f"{pdf} is older than {src}: run scripts/build-forms.py"


def test_catalog_forms_have_pdfs() -> None:
    doc = json.loads(CATALOG.read_text(encoding="utf-8"))
    missing = [f"{item['code']}: {form['id']} → {form['file']}"
               for item in doc.get("items", []) for form in item.get("forms", [])
               if not (REPO / "assets/forms" / form["file"]).is_file()]
    assert not missing, "forms without a PDF in assets/forms:\n" + "\n".join(missing)
