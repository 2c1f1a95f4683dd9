"""The staff panel's catalog import from a (simulated) USB drive, through TerminalBackend and
the real SQLite store: a good file replaces the catalog, a bad one changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk import bootstrap
from kiosk.catalog import open_catalog
from kiosk.config import parse_config
from kiosk.terminal_backend import TerminalBackend
from tests.support.catalogs import MINI_CATALOG


def test_usb_import_good_then_bad(tmp_path: Path) -> None:
    cfg = parse_config({"catalog": {"db": "catalog.sqlite", "seed": str(MINI_CATALOG)}},
                       base_dir=str(tmp_path))
    assert open_catalog(cfg).version == "test-1"          # the seed, imported on first use
    drive = tmp_path / "media" / "staff" / "COUNTY"
    drive.mkdir(parents=True)
    doc = json.loads(MINI_CATALOG.read_text(encoding="utf-8"))
    doc["catalog_version"] = "2026.12.01"
    doc["items"] = doc["items"][:3]
    (drive / "catalog.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    bad = dict(doc, catalog_version="2026.12.02")
    bad["items"] = [dict(doc["items"][0], code="bad code!")]
    (drive / "catalog-broken.json").write_text(json.dumps(bad, ensure_ascii=False),
                                               encoding="utf-8")
    changed: list[bool] = []
    backend = TerminalBackend(bootstrap.terminal(cfg), lambda: changed.append(True),
                              usb_roots=(tmp_path / "media",))
    found = backend.usb_catalogs()
    assert [c.catalog_version for c in found] == ["2026.12.02", "2026.12.01"]

    refused = backend.import_catalog(found[0].path)
    assert not refused.ok and "没有导入" in refused.message and "items[0].code" in refused.message
    assert open_catalog(cfg).version == "test-1" and not changed

    done = backend.import_catalog(found[1].path)
    assert done.ok and "2026.12.01" in done.message and "test-1" in done.message
    cat = open_catalog(cfg)
    assert cat.version == "2026.12.01" and len(cat) == 3 and changed == [True]
