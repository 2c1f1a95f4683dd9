"""The county's signing keys: Ed25519 key files and where each role's keys live.

Roles (docs/county.md, "Roles and keys"):
- root: 3 keys, any 2 sign (the threshold). Kept OFFLINE — each on its own USB stick held by a
  different person — and used only to start the repository and to rotate keys. A kiosk ships
  the root metadata they signed and trusts nothing else.
- targets, snapshot, timestamp: one key each, ONLINE on the publisher's machine, in
  `KEYS/online/ROLE.pem` (mode 0600). `kiosk county publish` signs with them. The township
  roles (one per bundle) are signed with the targets key.

A key file is a PEM PKCS#8 Ed25519 private key, encrypted when a passphrase is given (root keys
should be). The public half is in the root metadata; a key's id is TUF's (sha256 of its
canonical public form), so `keys status` can say which file holds which key.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from securesystemslib.signer import CryptoSigner

ONLINE_ROLES = ("targets", "snapshot", "timestamp")


class KeyFileError(Exception):
    """A key file is missing, unreadable, of the wrong kind, or would be overwritten."""


def generate() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def signer_of(private: Ed25519PrivateKey) -> CryptoSigner:
    return CryptoSigner(private)


def online_key_path(keys_dir: Path, role: str) -> Path:
    return keys_dir / "online" / f"{role}.pem"


def write_key(path: Path, private: Ed25519PrivateKey, passphrase: bytes | None = None) -> None:
    """Write a private key file (0600), never over an existing one: a key overwritten by
    mistake cannot be got back, and the repository it signed would be locked."""
    if path.exists():
        raise KeyFileError(f"{path}: a key file is already there; not overwriting it")
    encryption = BestAvailableEncryption(passphrase) if passphrase else NoEncryption()
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_key(path: Path, passphrase: bytes | None = None) -> CryptoSigner:
    """A signer from a key file; a clear error for a missing file, a wrong passphrase or a
    key that is not Ed25519."""
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"{path}: no such key file") from None
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the key file ({exc.strerror})") from None
    try:
        private = load_pem_private_key(pem, passphrase)
    except TypeError:
        raise KeyFileError(f"{path}: the key is encrypted; give its passphrase "
                        "(--passphrase-file)") from None
    except ValueError as exc:
        raise KeyFileError(f"{path}: not a readable private key, or a wrong passphrase "
                        f"({exc})") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: expected an Ed25519 key, got {type(private).__name__}")
    return CryptoSigner(private)


def read_passphrase(path: str | None) -> bytes | None:
    """The first line of a passphrase file, or None when no file was named."""
    if not path:
        return None
    try:
        text = Path(path).read_bytes().splitlines()
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the passphrase file ({exc.strerror})") from None
    if not text or not text[0]:
        raise KeyFileError(f"{path}: the passphrase file is empty")
    return text[0]


def read_online(keys_dir: Path, role: str) -> CryptoSigner:
    return read_key(online_key_path(keys_dir, role))


def short_id(keyid: str) -> str:
    return keyid[:12]
