"""The synthetic catalog: schema-valid, deterministic, varied, and the same whether built in
memory or streamed to a file by `kiosk catalog generate`."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import jsonschema

from kiosk.catalog.generate import generate_document, write_document

SCHEMA = Path(__file__).parents[2] / "kiosk" / "catalog" / "schema" / "catalog-v1.schema.json"


def test_generated_catalog_is_schema_valid_and_realistic() -> None:
    doc = generate_document(600, seed=7)
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8")))
    assert [e.message for e in validator.iter_errors(doc)] == []
    items = doc["items"]
    assert len(items) == 600
    assert len({i["code"] for i in items}) == 600
    assert len({i["name"] for i in items}) > 250            # varied names, not one template
    assert all(3 <= len(i["materials"]) <= 12 for i in items)
    assert all(3 <= len(i["steps"]) <= 6 for i in items)
    counts = Counter(len(i["materials"]) for i in items)
    assert min(counts) == 3 and max(counts) >= 10
    assert 0.2 < sum("faq" in i for i in items) / 600 < 0.5
    themes = {t["name"] for t in doc["categories"]["themes"]}
    events = {e["name"] for e in doc["categories"]["life_events"]}
    assert all(set(i["themes"]) <= themes and set(i["life_events"]) <= events for i in items)
    for i in items:
        form_ids = {f["id"] for f in i.get("forms", ())}
        refs = {m.get(k) for m in i["materials"] for k in ("blank_form", "sample_form")}
        assert refs - {None} <= form_ids
        assert i["promised_limit"]["value"] <= i["legal_limit"]["value"]
        assert [s["order"] for s in i["steps"]] == list(range(1, len(i["steps"]) + 1))


def test_same_seed_same_document_and_stream_equals_memory() -> None:
    assert generate_document(50, seed=3) == generate_document(50, seed=3)
    assert generate_document(50, seed=3) != generate_document(50, seed=4)
    buf = io.StringIO()
    write_document(buf, 50, seed=3)
    assert json.loads(buf.getvalue()) == generate_document(50, seed=3)
    assert buf.getvalue().count("\n") == 50 + 2             # one item per line


def test_cli_generate_writes_a_valid_file(
        run_kiosk: Callable[..., CompletedProcess[str]], tmp_path: Path) -> None:
    out = tmp_path / "gen.json"
    r = run_kiosk("catalog", "generate", "--items", "25", "--out", str(out), "--seed", "2")
    assert r.returncode == 0, r.stderr
    assert "25 items" in r.stdout
    assert json.loads(out.read_text("utf-8")) == generate_document(25, seed=2)
    assert not (tmp_path / "gen.json.part").exists()
