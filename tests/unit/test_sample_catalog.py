"""The sample catalog is what the hall judges the kiosk by: these tests hold it to the schema,
to its own sources, and to the content rules (fictional phones and people, plain Chinese, forms
that exist and are laid out in the format the PDF generator reads)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pytest

from kiosk.catalog.model import item_from_dict, meta_from_dict
from kiosk.catalog.validate import validate_document

REPO = Path(__file__).resolve().parent.parent.parent
CATALOG = REPO / "assets" / "catalog" / "sample-catalog.json"
FORMS_SRC = REPO / "assets" / "forms" / "src"
SAMPLES_SRC = REPO / "assets" / "catalog" / "src" / "form-samples"
SCHEMA = REPO / "kiosk" / "catalog" / "schema" / "catalog-v1.schema.json"
BUILD = REPO / "scripts" / "build-sample-catalog.py"

FICTIONAL_PHONE = re.compile(r"^0000-555\d{4}$")
FAKE_ID = "1101XX19XXXXXXXXXX"
PLACEHOLDERS = ("TODO", "FIXME", "TBD", "xxx", "XXX", "示例文字", "待补充", "待完善", "此处填写",
                "lorem", "???", "……略")
# JSON keys whose values are codes, enums or addresses, not words a citizen reads.
MACHINE_KEYS = {"code", "item_type", "unit", "level", "accept", "review", "approve", "audience",
                "form", "required", "source", "status", "file", "id", "kind", "online_url",
                "guide_url", "blank_form", "sample_form", "format", "item_version",
                "catalog_version", "published", "paper_spec",
                "item", "after"}   # a bundle step's item code and the codes it follows
BLOCK_TYPES = {"heading", "paragraph", "fields", "table", "checkboxes", "textarea", "opinion",
               "signature", "note"}


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(CATALOG.read_text(encoding="utf-8"))
    return doc


@pytest.fixture(scope="module")
def items(catalog: dict[str, Any]) -> list[dict[str, Any]]:
    return list(catalog["items"])


def layout(form_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FORMS_SRC / f"{form_id}.json").read_text("utf-8"))
    return data


def texts(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every (key, string) a citizen may read, skipping machine keys."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in MACHINE_KEYS:
                yield from texts(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from texts(v, key)
    elif isinstance(node, str):
        yield key, node


# ---- built from its sources, valid ----------------------------------------------------------


def test_built_catalog_and_samples_are_up_to_date(tmp_path: Path) -> None:
    out, forms = tmp_path / "catalog.json", tmp_path / "forms"
    run = subprocess.run([sys.executable, str(BUILD), "--out", str(out), "--forms-out",
                          str(forms)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert out.read_text("utf-8") == CATALOG.read_text("utf-8"), \
        "sample-catalog.json is stale: run scripts/build-sample-catalog.py"
    built = sorted(forms.glob("*.json"))
    assert len(built) == len(list(SAMPLES_SRC.glob("*.json")))
    for path in built:
        assert path.read_text("utf-8") == (FORMS_SRC / path.name).read_text("utf-8"), path.name


def test_build_refuses_bad_parts_naming_the_path(tmp_path: Path) -> None:
    """A wrong value in a part file: the builder exits non-zero, names the JSON path, and
    writes nothing."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "assets" / "catalog" / "src", src)
    part = src / "items-minzheng.json"
    doc = json.loads(part.read_text("utf-8"))
    doc["items"][0]["materials"][0]["original_copies"] = "两份"
    doc["items"][1]["themes"] = ["没有这个主题"]
    part.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    out = tmp_path / "catalog.json"
    run = subprocess.run([sys.executable, str(BUILD), "--src", str(src), "--out", str(out),
                          "--forms-out", str(tmp_path / "forms")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "materials[0].original_copies: '两份' is not of type 'integer'" in run.stderr
    assert "themes: unknown theme 没有这个主题" in run.stderr
    assert not out.exists()


def test_valid_against_schema(catalog: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8")))
    problems = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(catalog)]
    assert problems == []


def test_project_validator_accepts_it(catalog: dict[str, Any]) -> None:
    """The kiosk's own `catalog validate` rules, beyond the schema."""
    assert validate_document(catalog) == []


def test_model_reads_every_item(catalog: dict[str, Any], items: list[dict[str, Any]]) -> None:
    meta = meta_from_dict(catalog)
    assert meta.region is not None and "清河镇" in meta.region.name
    for d in items:
        item = item_from_dict(d)
        assert item.materials and item.steps, item.code


def test_size_and_unique_codes(items: list[dict[str, Any]]) -> None:
    codes = [it["code"] for it in items]
    assert len(items) >= 64
    assert len(set(codes)) == len(codes)
    assert len({it["name"] for it in items}) == len(items), "two items share a name"


# ---- categories, synonyms -------------------------------------------------------------------


def test_categories_exist_and_are_used(catalog: dict[str, Any],
                                       items: list[dict[str, Any]]) -> None:
    themes = {t["name"] for t in catalog["categories"]["themes"]}
    events = {e["name"] for e in catalog["categories"]["life_events"]}
    assert {t["audience"] for t in catalog["categories"]["themes"]} == {
        "natural_person", "legal_person"}
    used_t: set[str] = set()
    used_e: set[str] = set()
    for it in items:
        assert it.get("themes"), it["code"]
        assert set(it["themes"]) <= themes, it["code"]
        assert set(it.get("life_events", ())) <= events, it["code"]
        used_t |= set(it["themes"])
        used_e |= set(it.get("life_events", ()))
    assert used_t == themes, f"themes with no item: {themes - used_t}"
    assert used_e == events, f"life events with no item: {events - used_e}"


def test_synonyms_point_at_items(catalog: dict[str, Any], items: list[dict[str, Any]]) -> None:
    names = [it["name"] for it in items]
    assert len(catalog["synonyms"]) >= 60
    for syn in catalog["synonyms"]:
        for target in syn["means"]:
            assert any(target in n for n in names), f"{syn['term']} → {target}: no item"
    terms = [s["term"] for s in catalog["synonyms"]]
    assert len(set(terms)) == len(terms)
    for needed in ("低保", "养老钱", "残疾证", "准生证", "五保", "盖房子", "老年证", "失业证"):
        assert needed in terms


# ---- what a citizen reads -------------------------------------------------------------------


def test_every_guide_is_complete(items: list[dict[str, Any]]) -> None:
    for it in items:
        code = it["code"]
        assert [s["order"] for s in it["steps"]] == list(range(1, len(it["steps"]) + 1)), code
        assert all(s.get("actor") and s.get("level") for s in it["steps"]), code
        assert it.get("conditions") and it.get("legal_basis") and it.get("result"), code
        assert it["location"] and it["hours"] and it.get("implementer", {}).get("name"), code
        assert it.get("aliases") or it.get("keywords"), code
        assert 0 <= it.get("popularity", -1) <= 100, code
        if it["popularity"] >= 45:
            assert len(it.get("faq", ())) >= 2, f"{code}: a popular item needs its FAQ"
        if not it["fees"]["charged"]:
            assert not it["fees"].get("items"), code
        else:
            assert it["fees"]["items"], code


def test_channels_agree_with_themselves(items: list[dict[str, Any]]) -> None:
    """办理形式, 是否网办 and 到现场次数 are shown side by side; they must not contradict."""
    for it in items:
        c, code = it["channels"], it["code"]
        forms = set(c.get("handling_forms", ()))
        if c.get("online"):
            assert c.get("online_url") and forms & {2, 3}, code
        else:
            assert not forms & {2, 3}, f"{code}: 电脑端/移动端 listed but not 网办"
        if c["visits"] > 0:
            assert c.get("visit_reason"), f"{code}: why must the citizen come?"
        else:
            assert c.get("online") or c.get("visit_reason"), f"{code}: 零跑动 how?"


def test_materials_have_counts_and_source(items: list[dict[str, Any]]) -> None:
    for it in items:
        for m in it["materials"]:
            where = f"{it['code']} {m['name']}"
            assert m["original_copies"] + m["copy_copies"] > 0 or m["form"] == "electronic", where
            assert m.get("source_note"), f"{where}: who issues it?"
            if m["required"] == "conditional":
                assert m.get("required_note"), f"{where}: when is it needed?"
            if m["form"] != "electronic":
                assert m.get("paper_spec"), where


def test_time_limits_are_plausible(items: list[dict[str, Any]]) -> None:
    for it in items:
        legal, promised = it["legal_limit"], it["promised_limit"]
        # The steps' own limits must add up within the legal limit, and within the promised
        # one unless its note says what it leaves out (公示, 评定 …).
        steps = sum(s["time_limit"]["value"] for s in it["steps"]
                    if s.get("time_limit", {}).get("unit") == legal["unit"])
        if legal["value"]:
            assert steps <= legal["value"], f"{it['code']}: steps take {steps}"
        if promised["unit"] == legal["unit"] and "不含" not in promised.get("note", ""):
            assert steps <= promised["value"], f"{it['code']}: steps take {steps}"
        if legal["unit"] == promised["unit"] and legal["value"]:
            assert promised["value"] <= legal["value"], it["code"]
        remote = it["levels"].get("approve") in ("county", "city", "province") and \
            it["levels"]["accept"] in ("village", "township")
        # A 承诺件 sent up to the county cannot honestly be promised within a day or two.
        if remote and it["channels"]["handling_type"] == 2 and promised["unit"] == "working_days":
            assert promised["value"] >= 3, f"{it['code']}: county approval promised too fast"


def test_phones_and_addresses_are_fictional(catalog: dict[str, Any],
                                            items: list[dict[str, Any]]) -> None:
    for it in items:
        for key in ("consult_phone", "complaint_phone"):
            assert FICTIONAL_PHONE.match(it[key]), f"{it['code']}.{key}: {it[key]}"
        for url in (it["guide_url"], it["channels"].get("online_url")):
            if url:
                assert str(urlparse(url).hostname).endswith(".example"), it["code"]
    whole = json.dumps(catalog, ensure_ascii=False)
    for phone in re.findall(r"(?<![\d-])\d{3,4}-\d{7,8}(?!\d)", whole):
        assert FICTIONAL_PHONE.match(phone), phone
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", whole), "a real-looking mobile number"
    assert not re.search(r"(?<![0-9X])\d{17}[\dX](?![0-9X])", whole), "an ID-like number"


def test_plain_chinese_no_placeholders_no_english(catalog: dict[str, Any]) -> None:
    bad_punct = re.compile(r"[\u4e00-\u9fff][,;?!()]|[,;?!()][\u4e00-\u9fff]")
    for key, text in texts(catalog):
        assert text == text.strip(), f"{key}: stray spaces in {text!r}"
        for p in PLACEHOLDERS:
            assert p.lower() not in text.lower(), f"{key}: placeholder {p!r} in {text!r}"
        words = re.findall(r"[A-Za-z]{2,}", re.sub(r"https?://\S+", "", text))
        assert not words, f"{key}: English a citizen would see: {words} in {text!r}"
        assert not bad_punct.search(text), f"{key}: ASCII punctuation in Chinese: {text!r}"


# ---- forms ----------------------------------------------------------------------------------


def test_forms_exist_and_enough_items_have_them(items: list[dict[str, Any]]) -> None:
    with_blank = with_sample = 0
    for it in items:
        forms = it.get("forms", [])
        for f in forms:
            assert (FORMS_SRC / f"{f['id']}.json").is_file(), f"{it['code']}: {f['id']}"
            assert f["file"] == f"{f['id']}.pdf"
            data = layout(f["id"])
            assert (data["id"], data["title"], data["kind"]) == (f["id"], f["title"], f["kind"])
        with_blank += any(f["kind"] == "blank" for f in forms)
        with_sample += any(f["kind"] == "sample" for f in forms)
        for m in it["materials"]:
            for key, kind in (("blank_form", "blank"), ("sample_form", "sample")):
                if m.get(key):
                    assert it["forms"][[f["id"] for f in forms].index(m[key])]["kind"] == kind
    assert with_blank >= 12
    assert with_sample >= 6


def all_layouts() -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(FORMS_SRC.glob("*.json"))]


@pytest.mark.parametrize("data", all_layouts(), ids=lambda d: d["id"])
def test_form_layout_format(data: dict[str, Any]) -> None:
    assert set(data) == {"id", "title", "kind", "pages"}
    assert data["kind"] in ("blank", "sample")
    assert ("示例" in data["title"]) == (data["kind"] == "sample")
    assert data["pages"] and all(p["blocks"] for p in data["pages"])
    for page in data["pages"]:
        assert page["blocks"][0]["type"] == "heading"
        for block in page["blocks"]:
            check_block(block, data["kind"] == "blank")


def check_block(block: dict[str, Any], blank: bool) -> None:
    kind = block["type"]
    assert kind in BLOCK_TYPES, kind
    if kind == "fields":
        for row in block["rows"]:
            assert sum(c["span"] for c in row) == 4, row
            assert all(set(c) == {"label", "span", "value"} for c in row)
            if blank:
                assert all(c["value"] == "" for c in row)
    elif kind == "table":
        assert block["columns"] and block["rows"] >= len(block["values"])
        assert all(len(r) == len(block["columns"]) for r in block["values"])
        assert not (blank and block["values"])
    elif kind == "checkboxes":
        assert set(block["checked"]) <= set(block["options"])
        assert not (blank and block["checked"])
    elif kind == "textarea":
        assert block["lines"] >= 1 and not (blank and block["value"])
    elif kind == "opinion":
        assert block["label"] and block["signer"] and isinstance(block["seal"], bool)
    elif kind == "signature":
        assert block["labels"]
    else:
        assert block["text"]


@pytest.mark.parametrize("data", [d for d in all_layouts() if d["kind"] == "sample"],
                         ids=lambda d: d["id"])
def test_samples_use_fictional_people(data: dict[str, Any]) -> None:
    values = [(c["label"], c["value"]) for p in data["pages"] for b in p["blocks"]
              if b["type"] == "fields" for row in b["rows"] for c in row]
    assert any(v for _, v in values), "a sample with nothing filled in"
    for label, value in values:
        if "身份号码" in label and value:
            assert value == FAKE_ID, f"{label}: {value}"
        if "电话" in label and value:
            assert "X" in value or FICTIONAL_PHONE.search(value.split()[-1].strip("）")) \
                or "0000-555" in value, f"{label}: {value}"
    whole = json.dumps(data, ensure_ascii=False)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", whole)
    assert not re.search(r"\d{17}[\dX]", whole)


def test_zero_visits_is_not_called_online_when_it_is_not(items: list[dict[str, Any]]) -> None:
    """光荣牌 is hung by staff at the door: 零跑动, but not 全程网办."""
    by_code = {it["code"]: item_from_dict(it) for it in items}
    assert by_code["QH-TY-05"].visits_zh == "零跑动"
    assert by_code["QH-SB-04"].visits_zh == "全程网办，零跑动"
    assert by_code["QH-MZ-01"].visits_zh == "最多跑一次"
