"""Generated form PDFs: A4, the right number of pages, Chinese text really embedded (checked by
extracting it back with poppler's pdftotext), sample forms watermarked, staleness detected."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.forms.layout import parse_layout
from kiosk.forms.pdfgen import build_form, is_up_to_date, layout_hash, render_pdf
from kiosk.forms.preview import PdfPreview, page_images

DATA = Path(__file__).resolve().parent.parent / "data" / "forms"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("forms")
    return {src.stem: build_form(src, out) for src in sorted(DATA.glob("*.json"))}


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_pages_are_a4_and_counted(built: dict[str, Path]) -> None:
    with PdfPreview(built["T-GLJT-01"]) as pdf:
        assert pdf.page_count() == 1
        w, h = pdf.page_size_mm(0)
    assert (round(w), round(h)) == (210, 297)
    with PdfPreview(built["T-DBSQ-02"]) as pdf:
        assert pdf.page_count() == 2


def test_chinese_text_is_embedded_and_extractable(built: dict[str, Path]) -> None:
    text = _text(built["T-GLJT-01"])
    compact = "".join(text.split())
    for words in ("青山镇高龄津贴申请表", "身份证号码", "村（居）委会意见", "第1页共1页"):
        assert words in compact
    fonts = subprocess.run(["pdffonts", str(built["T-GLJT-01"])], capture_output=True,
                           text=True, check=True).stdout
    noto = [line for line in fonts.splitlines() if "NotoSansCJKsc" in line]
    assert len(noto) == 2 and all(" yes yes yes " in line for line in noto), fonts


def test_sample_is_watermarked_and_filled(built: dict[str, Path]) -> None:
    text = _text(built["T-DBSQ-02"])
    assert "示例样表" in text and "李秀英" in text and "重病" in text
    assert "示例样表" not in _text(built["T-GLJT-01"])


def test_preview_renders_ink_where_the_form_has_lines(built: dict[str, Path]) -> None:
    (page,) = page_images(built["T-GLJT-01"], width_px=420)
    assert page.width == 420 and abs(page.height - 594) <= 1  # A4's 1:√2
    gray = page.convert("L")
    dark = gray.histogram()[:128]
    # a drawn form: neither a blank page nor a black one
    assert 0.01 < sum(dark) / (page.width * page.height) < 0.3


def test_stale_pdf_is_detected(tmp_path: Path) -> None:
    src = tmp_path / "T-GLJT-01.json"
    shutil.copy(DATA / "T-GLJT-01.json", src)
    pdf = build_form(src, tmp_path)
    assert is_up_to_date(src, pdf)
    data = json.loads(src.read_text(encoding="utf-8"))
    data["title"] = "青山镇高龄津贴申请表（新版）"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert not is_up_to_date(src, pdf)


def test_overlong_page_continues_on_a_new_page(tmp_path: Path) -> None:
    blocks = [{"type": "textarea", "label": f"第{i}项", "lines": 6} for i in range(8)]
    layout = parse_layout({"id": "L", "title": "长表", "kind": "blank",
                           "pages": [{"blocks": blocks}]})
    out = tmp_path / "long.pdf"
    out.write_bytes(render_pdf(layout, layout_hash({})))
    with PdfPreview(out) as pdf:
        assert pdf.page_count() == 2  # 8 boxes of ~58 mm: 4 fit on a page


def test_preview_from_bytes_and_bad_input(built: dict[str, Path]) -> None:
    from kiosk.forms.preview import PreviewError

    pages = page_images(built["T-DBSQ-02"].read_bytes(), width_px=200)
    assert len(pages) == 2 and pages[0].width == 200
    with pytest.raises(PreviewError, match="cannot open PDF"):
        PdfPreview(b"not a pdf", "scan.pdf").open()
    with PdfPreview(built["T-GLJT-01"]) as pdf, pytest.raises(PreviewError, match="no page 2"):
        pdf.render(1)
