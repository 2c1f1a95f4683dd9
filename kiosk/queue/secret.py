"""The hall's per-person secret: 32 random bytes in a 0600 file, made once, atomically.

Kept apart from identity.py (which knows the card reader's record) so the hall service can
create and hand out the secret without importing anything of the devices.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kiosk.queue.store import QueueStoreError

SECRET_BYTES = 32


def load_or_create_secret(path: Path) -> bytes:
    """The installation's secret; created 0600 on first use, atomically (two processes at
    first start both end up with the same key: the second one's link fails and it reads)."""
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_bytes(SECRET_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) < SECRET_BYTES:
        raise QueueStoreError(f"{path}: expected a {SECRET_BYTES}-byte secret, got {len(data)} "
                              f"bytes (delete it only if no tickets of today depend on it)")
    return data


def write_secret(path: Path, secret: bytes) -> None:
    """Keep the secret a kiosk received at `kiosk hall join` (0600, replacing any old one)."""
    if len(secret) < SECRET_BYTES:
        raise QueueStoreError(f"the hall sent a {len(secret)}-byte secret; expected "
                              f"{SECRET_BYTES}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secret)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
