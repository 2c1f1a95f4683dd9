"""The model round trip: JSON → Item/CatalogMeta → JSON gives back the same document (up to
empty optional fields, which the model leaves out), for hand-written and generated items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.catalog import open_catalog
from kiosk.catalog.generate import generate_document
from kiosk.catalog.model import TimeLimit, TimeUnit, item_from_dict, meta_from_dict, to_dict
from kiosk.catalog.store import CatalogStore
from kiosk.catalog.validate import validate_document
from kiosk.config import parse_config

MINI = Path(__file__).parent.parent / "data" / "mini-catalog.json"


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v not in ("", [], None)}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


def _contains(big: Any, small: Any) -> bool:
    """Every field of `small` is in `big` with the same value (big may add model defaults)."""
    if isinstance(small, dict):
        return isinstance(big, dict) and all(k in big and _contains(big[k], v)
                                             for k, v in small.items())
    if isinstance(small, list):
        return (isinstance(big, list) and len(big) == len(small)
                and all(_contains(b, s) for b, s in zip(big, small, strict=True)))
    return bool(big == small)


def test_generated_items_round_trip_exactly() -> None:
    for raw in generate_document(200, seed=11)["items"]:
        assert to_dict(item_from_dict(raw)) == _without_empty(raw), raw["code"]


def test_sparse_items_keep_every_field_and_gain_only_defaults() -> None:
    for raw in json.loads(MINI.read_text("utf-8"))["items"]:
        once = to_dict(item_from_dict(raw))
        assert _contains(once, _without_empty(raw)), raw["code"]
        assert set(once) - set(raw) <= {"status"}
        assert to_dict(item_from_dict(once)) == once          # stable after one pass


def test_round_tripped_document_is_still_valid() -> None:
    doc = generate_document(50, seed=2)
    again = {**to_dict(meta_from_dict(doc)), "format": doc["format"]}
    cats = {"themes": again.pop("themes"), "life_events": again.pop("life_events")}
    again["categories"] = cats
    again["items"] = [to_dict(item_from_dict(i)) for i in doc["items"]]
    assert validate_document(again) == []
    assert again["synonyms"] == doc["synonyms"]


def test_typed_values_after_decoding() -> None:
    item = item_from_dict(generate_document(3, seed=1)["items"][2])
    assert isinstance(item.legal_limit.unit, TimeUnit)
    assert item.steps == tuple(sorted(item.steps, key=lambda s: s.order))
    assert TimeLimit(0, TimeUnit.WORKING_DAYS).zh == "即办"
    assert TimeLimit(15, TimeUnit.NATURAL_DAYS).zh == "15个自然日"


def test_open_catalog_imports_the_seed_once(tmp_path: Path) -> None:
    cfg = parse_config({"catalog": {"db": "var/c.sqlite", "seed": str(MINI)}},
                       base_dir=str(tmp_path))
    cat = open_catalog(cfg)
    assert len(cat) == 4 and cat.version == "test-1"
    open_catalog(cfg)                                   # second start: no second import
    with CatalogStore(tmp_path / "var" / "c.sqlite") as store:
        stats = store.stats()
    assert stats["current"]["source"] == str(MINI) and stats["previous"] is None


def test_open_catalog_without_seed_says_what_to_do(tmp_path: Path) -> None:
    import pytest

    from kiosk.errors import CatalogError

    cfg = parse_config({"catalog": {"db": "c.sqlite", "seed": "missing.json"}},
                       base_dir=str(tmp_path))
    with pytest.raises(CatalogError, match="kiosk catalog import FILE"):
        open_catalog(cfg)


def test_changed_seed_is_reimported_only_while_it_is_the_source(tmp_path: Path) -> None:
    import os
    import time

    seed = tmp_path / "seed.json"
    doc = json.loads(MINI.read_text("utf-8"))
    seed.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    cfg = parse_config({"catalog": {"db": "c.sqlite", "seed": "seed.json"}},
                       base_dir=str(tmp_path))
    assert open_catalog(cfg).version == "test-1"

    def rewrite(d: dict[str, Any] | str, ahead: float) -> None:
        seed.write_text(d if isinstance(d, str) else json.dumps(d, ensure_ascii=False), "utf-8")
        t = time.time() + ahead
        os.utime(seed, (t, t))

    rewrite({**doc, "catalog_version": "test-2"}, 10)
    assert open_catalog(cfg).version == "test-2"            # the seed changed: follow it
    rewrite('{"format": "township-kiosk-catalog"', 20)      # broken: keep what we have
    assert open_catalog(cfg).version == "test-2"

    other = tmp_path / "county.json"
    other.write_text(json.dumps(generate_document(5, seed=1), ensure_ascii=False), "utf-8")
    with CatalogStore(tmp_path / "c.sqlite") as store:
        store.import_file(other)
    rewrite({**doc, "catalog_version": "test-3"}, 30)
    assert open_catalog(cfg).version == "synthetic-5-1"     # staff's import is never replaced
