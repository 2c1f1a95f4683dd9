"""Finding catalog files on a (simulated) mounted drive: a real folder tree."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.maintenance.usb import find_catalogs


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_finds_only_our_format_newest_first(tmp_path: Path) -> None:
    media = tmp_path / "media"
    _write(media / "staff" / "COUNTY" / "catalog-2026.10.json",
           {"format": "township-kiosk-catalog", "catalog_version": "2026.10.01", "items": []})
    _write(media / "staff" / "COUNTY" / "new" / "catalog.json",
           {"format": "township-kiosk-catalog", "catalog_version": "2026.11.15", "items": []})
    _write(media / "staff" / "COUNTY" / "photos.json", {"album": "家庭照片"})
    (media / "staff" / "COUNTY" / "readme.txt").write_text("township-kiosk-catalog")
    _write(media / "staff" / "COUNTY" / "a" / "b" / "c" / "deep.json",
           {"format": "township-kiosk-catalog", "catalog_version": "9"})
    found = find_catalogs((media, tmp_path / "absent"))
    assert [(c.path.name, c.catalog_version) for c in found] == [
        ("catalog.json", "2026.11.15"), ("catalog-2026.10.json", "2026.10.01")]
    assert found[0].size > 0


def test_no_drive_gives_empty_list(tmp_path: Path) -> None:
    assert find_catalogs((tmp_path / "nothing",)) == []
