"""A real small file system for full-disk tests: a tmpfs of a few MB mounted on a folder of the
test's own, filled to a chosen number of free bytes, or remounted read-only.

Why a real one: SQLite's behaviour on a full disk (WAL side files that cannot be created or
mapped, a transaction it rolls back itself) is what the kiosk must survive; a mocked write
error shows none of it. Mounting needs root (CI and the development machines run as root);
anywhere else the fixture FAILS with the reason in one line, never skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SmallFsError(RuntimeError):
    """The tmpfs could not be mounted: the command and its stderr in one line."""


class SmallFs:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._filler = root / ".filler"

    def free(self) -> int:
        return shutil.disk_usage(self.root).free

    def fill(self, leave: int = 0) -> int:
        """Write a filler file until at most `leave` bytes are free; returns bytes free."""
        with self._filler.open("ab", buffering=0) as f:
            for block in (65536, 4096, 512, 1):
                while self.free() - block >= leave:
                    try:
                        f.write(b"\0" * block)
                    except OSError:
                        break
        return self.free()

    def unfill(self) -> None:
        self._filler.unlink(missing_ok=True)

    def remount(self, *options: str) -> None:
        _run(["mount", "-o", ",".join(("remount", *options)), str(self.root)])


def _run(cmd: list[str]) -> None:
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        raise SmallFsError(f"tmpfs: `{' '.join(cmd)}` failed ({out.returncode}): "
                           f"{out.stderr.strip() or out.stdout.strip()}")


@contextmanager
def small_tmpfs(root: Path, size: str = "2m") -> Iterator[SmallFs]:
    """Mount a tmpfs of `size` on `root` (created) for the block; unmounted after."""
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        raise SmallFsError(f"tmpfs: mounting {root} needs root (uid {os.geteuid()}); the "
                           "full-disk tests run as root, as CI does")
    _run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(root)])
    try:
        yield SmallFs(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], capture_output=True, timeout=30)
