"""Which update source a check uses: the configured URL, else a county repository on a USB
drive. A drive's repository is a folder holding metadata/1.root.json and
metadata/timestamp.json (what `kiosk county publish --repo DIR` writes), looked for only
under the automount folders and only a few levels deep (kiosk.maintenance.usb's rule)."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.config import Config
from kiosk.maintenance.usb import MAX_DEPTH, MOUNT_ROOTS
from kiosk.sync.update import Source


def is_repository(folder: Path) -> bool:
    return (folder / "metadata" / "1.root.json").is_file() and \
        (folder / "metadata" / "timestamp.json").is_file()


def find_stick(roots: tuple[Path, ...] = MOUNT_ROOTS) -> Path | None:
    """The first county repository on a mounted drive, or None."""
    for root in roots:
        if not root.is_dir():
            continue
        base = len(root.parts)
        for dirpath, dirnames, _ in os.walk(root, onerror=lambda e: None):
            here = Path(dirpath)
            if is_repository(here):
                return here
            if len(here.parts) - base >= MAX_DEPTH:
                dirnames[:] = []
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
    return None


def configured_source(cfg: Config, roots: tuple[Path, ...] = MOUNT_ROOTS) -> Source | None:
    if cfg.catalog.update_url:
        return Source("url", cfg.catalog.update_url)
    if cfg.catalog.update_stick:
        stick = find_stick(roots)
        if stick is not None:
            return Source("stick", str(stick))
    return None
