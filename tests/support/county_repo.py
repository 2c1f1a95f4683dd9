"""A county update repository for tests and benches: real keys, real TUF metadata on disk,
published by county.publish — and a kiosk config that trusts it.

`forge_target` plays a county that signs a wrong file with its own (valid) keys — how a
bundle for another township or a broken item can arrive with good signatures; the kiosk's
own checks must catch those."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tuf.api.metadata import MetaFile

from county.keys import read_online
from county.publish import PublishReport, load_current, publish
from county.repo import Repository
from county.trust import init

REPO_ROOT = Path(__file__).resolve().parents[2]
MINI = REPO_ROOT / "tests" / "data" / "mini-catalog.json"
FORMS = REPO_ROOT / "assets" / "forms"
REGION = "000000000000"


@dataclass
class County:
    base: Path
    repo: Repository
    keys: Path
    offline: Path

    def publish(self, doc: dict[str, Any] | Path = MINI, *, forms: Path | None = FORMS,
                regions: tuple[str, ...] = (REGION,), timestamp_days: int = 30,
                at: datetime | None = None, name: str = "catalog.json") -> PublishReport:
        path = doc if isinstance(doc, Path) else _write(self.base / name, doc)
        clock = (lambda: at) if at is not None else None
        kw: dict[str, Any] = {"clock": clock} if clock else {}
        return publish(path, self.repo, self.keys, forms=forms, regions=regions,
                       timestamp_days=timestamp_days, **kw)

    @property
    def root_file(self) -> Path:
        return self.repo.metadata / "1.root.json"

    def root_keys(self, *numbers: int) -> list[Path]:
        return [self.offline / f"root-{n}.pem" for n in numbers]


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def make_county(base: Path) -> County:
    base.mkdir(parents=True, exist_ok=True)
    county = County(base, Repository(base / "repo"), base / "keys", base / "offline")
    init(county.repo, county.keys, county.offline)
    return county


def mini_doc(version: str = "2026.12.01", published: str = "2026-12-01") -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(MINI.read_text("utf-8"))
    doc["catalog_version"] = version
    doc["published"] = published
    return doc


def kiosk_config(base: Path, root_file: Path, *, region: str = REGION, url: str = "",
                 seed: Path | None = MINI, stick: bool = False) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    cfg = base / "kiosk.toml"
    cfg.write_text(
        f'[hall]\nregion_code = "{region}"\n\n'
        f'[catalog]\ndb = "var/catalog.sqlite"\nseed = "{seed or ""}"\n'
        f'forms_dir = "var/forms"\nupdate_root = "{root_file}"\nupdate_url = "{url}"\n'
        f'update_stick = {"true" if stick else "false"}\nsync_dir = "var/sync"\n', "utf-8")
    return cfg


def forge_target(county: County, target_path: str, data: bytes) -> None:
    """Replace one target of a bundle and re-sign the bundle, snapshot and timestamp with the
    county's own online keys (next versions)."""
    current = load_current(county.repo)
    code = target_path.split("/", 1)[0]
    role = f"bundle-{code}"
    md = current.bundles[role]
    info, _ = county.repo.add_target(target_path, data)
    md.signed.targets[target_path] = info
    md.signed.version += 1
    md.signatures.clear()
    md.sign(read_online(county.keys, "targets"))
    county.repo.write(role, md)
    snap = current.snapshot
    assert snap is not None and current.timestamp is not None
    snap.signed.meta[f"{role}.json"] = MetaFile(md.signed.version)
    snap.signed.version += 1
    snap.signatures.clear()
    snap.sign(read_online(county.keys, "snapshot"))
    county.repo.write("snapshot", snap)
    ts = current.timestamp
    ts.signed.snapshot_meta = MetaFile(snap.signed.version)
    ts.signed.version += 1
    ts.signed.expires = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    ts.signatures.clear()
    ts.sign(read_online(county.keys, "timestamp"))
    county.repo.write("timestamp", ts)
