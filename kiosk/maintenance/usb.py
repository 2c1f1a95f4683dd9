"""Finding a catalog file on a USB drive for staff to import from maintenance mode.

Staff plug in a drive the county sent; desktop automounters put it under /media/USER/LABEL
or /run/media/USER/LABEL. We look only there (never the whole disk), only a couple of levels
deep, and only at files that say they are our format — a drive full of photos must not make
the screen hang or offer 2,000 choices.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

MOUNT_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))
MAX_DEPTH = 3
MAX_FILE_BYTES = 200 * 1024 * 1024
_HEAD_BYTES = 4096
_FORMAT_MARK = '"township-kiosk-catalog"'


@dataclass(frozen=True)
class CatalogCandidate:
    path: Path
    size: int
    catalog_version: str     # as far as the head of the file tells; "" if not seen there


def _looks_like_catalog(path: Path) -> str | None:
    """The catalog_version if the file's head carries our format marker, else None."""
    try:
        with path.open("rb") as f:
            head = f.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    if _FORMAT_MARK not in head:
        return None
    marker = '"catalog_version"'
    at = head.find(marker)
    if at < 0:
        return ""
    try:
        rest = head[at + len(marker):].split(":", 1)[1].lstrip()
        value = json.JSONDecoder().raw_decode(rest)[0]
        return str(value)
    except (IndexError, ValueError):
        return ""


def find_catalogs(roots: tuple[Path, ...] = MOUNT_ROOTS) -> list[CatalogCandidate]:
    """Catalog files on mounted removable drives, newest version first."""
    found: list[CatalogCandidate] = []
    for root in roots:
        if not root.is_dir():
            continue
        base_depth = len(root.parts)
        for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: None):
            depth = len(Path(dirpath).parts) - base_depth
            if depth >= MAX_DEPTH:
                dirnames[:] = []
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if not name.lower().endswith(".json"):
                    continue
                path = Path(dirpath) / name
                try:
                    size = path.stat().st_size
                except OSError:
                    continue
                if size > MAX_FILE_BYTES:
                    continue
                version = _looks_like_catalog(path)
                if version is not None:
                    found.append(CatalogCandidate(path, size, version))
    return sorted(found, key=lambda c: (c.catalog_version, str(c.path)), reverse=True)
