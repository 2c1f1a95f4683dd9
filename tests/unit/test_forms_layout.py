"""Layout descriptions: the two test layouts parse; bad ones fail naming the block and key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.forms.layout import Checkboxes, Fields, LayoutError, load_layout, parse_layout
from kiosk.forms.text import wrap

DATA = Path(__file__).resolve().parent.parent / "data" / "forms"


def _minimal(**block: object) -> dict[str, object]:
    return {"id": "X-1", "title": "测试表", "kind": "blank", "pages": [{"blocks": [block]}]}


def test_test_layouts_parse() -> None:
    blank = load_layout(DATA / "T-GLJT-01.json")
    sample = load_layout(DATA / "T-DBSQ-02.json")
    assert blank.kind == "blank" and sample.kind == "sample"
    assert len(sample.pages) == 2
    fields = blank.pages[0].blocks[2]
    assert isinstance(fields, Fields) and fields.rows[1][0].label == "身份证号码"
    boxes = sample.pages[0].blocks[3]
    assert isinstance(boxes, Checkboxes) and boxes.checked == ("重病",)


@pytest.mark.parametrize(("block", "expected"), [
    ({"type": "fields", "rows": [[{"label": "姓名", "span": 3}, {"label": "性别", "span": 2}]]},
     "pages[0].blocks[0] (fields).rows[0]: spans add up to 5"),
    ({"type": "fields", "rows": [[{"label": "姓名", "span": 0}]]},
     "pages[0].blocks[0] (fields).rows[0][0].span: expected 1–4, got 0"),
    ({"type": "checkboxes", "label": "类别", "options": ["甲"], "checked": ["乙"]},
     "pages[0].blocks[0] (checkboxes).checked: '乙' is not one of the options"),
    ({"type": "table", "columns": ["a"], "rows": 1, "values": [["1", "2"]]},
     "pages[0].blocks[0] (table).values[0]: has 2 cells, the table has 1 columns"),
    ({"type": "textarea", "label": "理由"},
     "pages[0].blocks[0] (textarea).lines: expected a whole number 1–30, got None"),
    ({"type": "picture", "text": "x"},
     "pages[0].blocks[0].type: expected one of heading, paragraph"),
    ({"type": "heading", "text": "x", "size": 3},
     "pages[0].blocks[0] (heading).size: unknown key"),
])
def test_bad_block_is_named(block: dict[str, object], expected: str) -> None:
    with pytest.raises(LayoutError) as info:
        parse_layout(_minimal(**block), "x.json")
    assert any(p.startswith(expected) for p in info.value.problems), info.value.problems


def test_every_problem_reported_at_once() -> None:
    data = {"id": "bad id!", "title": "", "kind": "draft", "pages": []}
    with pytest.raises(LayoutError) as info:
        parse_layout(data)
    text = str(info.value)
    for key in ("layout.id", "layout.title", "layout.kind", "layout.pages"):
        assert key in text


def test_file_name_must_match_id(tmp_path: Path) -> None:
    src = tmp_path / "OTHER.json"
    src.write_text(json.dumps(_minimal(type="note", text="说明")), encoding="utf-8")
    with pytest.raises(LayoutError, match="differs from the file name"):
        load_layout(src)
    src.write_text("{ not json", encoding="utf-8")
    with pytest.raises(LayoutError, match="line 1 column 3"):
        load_layout(src)


def test_wrap_keeps_closing_punctuation_on_its_line() -> None:
    def measure(s: str) -> float:
        return float(len(s))

    assert wrap("一二三四，五六", 4, measure) == ["一二三四，", "五六"]
    assert wrap("甲\n乙", 10, measure) == ["甲", "乙"]
    assert wrap("", 10, measure) == [""]
