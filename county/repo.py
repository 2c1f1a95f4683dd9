"""The update repository on disk: TUF metadata and content-addressed target files.

    REPO/metadata/1.root.json, 2.root.json …      every root version (a kiosk walks them)
    REPO/metadata/N.targets.json                   top-level targets: delegates one role per
                                                   township bundle
    REPO/metadata/N.bundle-<CODE>.json             one township's targets (index, items, forms)
    REPO/metadata/N.snapshot.json                  the version of every targets role
    REPO/metadata/timestamp.json                   the version of the snapshot; short expiry
    REPO/targets/<CODE>/<sha256>.index.json        consistent snapshots: each target file is
    REPO/targets/<CODE>/items/<sha256>.<item>.json stored under its hash, so a new version
    REPO/targets/<CODE>/forms/<sha256>.<form>.pdf  never overwrites a file a kiosk is reading

The same folder works served over HTTP (`kiosk county serve` serves it at /repo/) or copied
to a USB stick. Files are written to a temporary name and renamed; timestamp.json is written
last, so a publish that stops half-way leaves the previous state the one kiosks see.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from tuf.api.metadata import Metadata, TargetFile
from tuf.api.serialization.json import JSONSerializer

COMPACT = JSONSerializer(compact=True)
_VERSIONED = re.compile(r"^(\d+)\.(.+)\.json$")


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class Repository:
    """One update repository folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.metadata = path / "metadata"
        self.targets = path / "targets"

    def initialised(self) -> bool:
        return (self.metadata / "1.root.json").is_file()

    # ---- metadata -----------------------------------------------------------------------------
    def versions(self, role: str) -> list[int]:
        """Every stored version of a role, oldest first."""
        if not self.metadata.is_dir():
            return []
        found = []
        for entry in os.scandir(self.metadata):
            m = _VERSIONED.match(entry.name)
            if m and m.group(2) == role:
                found.append(int(m.group(1)))
        return sorted(found)

    def load(self, role: str) -> Metadata[Any] | None:
        """The newest version of a role (timestamp: timestamp.json), or None."""
        if role == "timestamp":
            path = self.metadata / "timestamp.json"
            return Metadata.from_file(str(path)) if path.is_file() else None
        versions = self.versions(role)
        if not versions:
            return None
        return Metadata.from_file(str(self.metadata / f"{versions[-1]}.{role}.json"))

    def load_version(self, role: str, version: int) -> Metadata[Any]:
        return Metadata.from_file(str(self.metadata / f"{version}.{role}.json"))

    def write(self, role: str, md: Metadata[Any]) -> int:
        """Store a signed role (consistent snapshot naming); returns the bytes written."""
        data = md.to_bytes(COMPACT)
        name = "timestamp.json" if role == "timestamp" else f"{md.signed.version}.{role}.json"
        write_atomic(self.metadata / name, data)
        return len(data)

    # ---- targets ------------------------------------------------------------------------------
    def stored_name(self, target_path: str, sha256: str) -> Path:
        dirname, _, basename = target_path.rpartition("/")
        return self.targets / dirname / f"{sha256}.{basename}"

    def add_target(self, target_path: str, data: bytes) -> tuple[TargetFile, int]:
        """Store one target's bytes under their hash; returns its TargetFile and the bytes
        written (0 when the same content was already there)."""
        digest = hashlib.sha256(data).hexdigest()
        info = TargetFile(len(data), {"sha256": digest}, target_path)
        stored = self.stored_name(target_path, digest)
        if stored.is_file() and stored.stat().st_size == len(data):
            return info, 0
        write_atomic(stored, data)
        return info, len(data)
