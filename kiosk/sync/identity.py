"""This kiosk's identity towards the county: an Ed25519 key of its own, made on the kiosk
and never leaving it, and the id the county gave it at enrolment.

    [fleet].dir/kiosk.pem        the private key (0600)
    [fleet].dir/identity.json    {"kiosk": "K-3", "name": "…", "hall": "…", "county": URL}

Enrolment (`kiosk fleet join URL --code CODE`): the county shows a one-time code for a kiosk
it expects (`kiosk county enrol-kiosk NAME --hall HALL`); the kiosk sends the code and its
public key; the county answers with the kiosk's id. From then on every message the kiosk
sends is signed with this key (protocol.fleet.signing_bytes).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

from kiosk.errors import SyncError
from protocol.fleet import ENROL_PATH, signing_bytes

KEY_FILE = "kiosk.pem"
IDENTITY_FILE = "identity.json"


def public_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(pub.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def sign(key: Ed25519PrivateKey, envelope: dict[str, Any]) -> str:
    return base64.b64encode(key.sign(signing_bytes(envelope))).decode()


def verify(public_key_b64: str, envelope: dict[str, Any]) -> bool:
    """Whether the envelope's "sig" is this key's signature over it."""
    try:
        pub = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        pub.verify(base64.b64decode(str(envelope.get("sig", ""))), signing_bytes(envelope))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class Identity:
    kiosk: str
    key: Ed25519PrivateKey
    name: str = ""
    hall: str = ""
    county: str = ""

    def sign(self, envelope: dict[str, Any]) -> dict[str, Any]:
        return {**envelope, "sig": sign(self.key, envelope)}


def _key(folder: Path) -> Ed25519PrivateKey:
    """This kiosk's key, made on first use."""
    path = folder / KEY_FILE
    if path.exists():
        key = load_pem_private_key(path.read_bytes(), None)
        if not isinstance(key, Ed25519PrivateKey):
            raise SyncError(f"{path}: not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_suffix(".part"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    os.replace(path.with_suffix(".part"), path)
    return key


def load_identity(folder: Path) -> Identity | None:
    """The enrolled identity, or None before `kiosk fleet join`."""
    try:
        data = json.loads((folder / IDENTITY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not data.get("kiosk"):
        return None
    return Identity(str(data["kiosk"]), _key(folder), str(data.get("name", "")),
                    str(data.get("hall", "")), str(data.get("county", "")))


def join(folder: Path, url: str, code: str, timeout_s: float = 15.0,
         role: str = "kiosk") -> Identity:
    """Enrol with the county: this kiosk, or (role "hall") a hall service that relays."""
    key = _key(folder)
    try:
        r = httpx.post(url.rstrip("/") + ENROL_PATH, timeout=timeout_s,
                       json={"code": code.strip(), "public_key": public_b64(key),
                             "role": role})
    except httpx.HTTPError as exc:
        raise SyncError(f"{url}: cannot reach the county service ({type(exc).__name__}: "
                        f"{exc})") from None
    if r.status_code != 200:
        raise SyncError(f"{url}: enrolment refused (HTTP {r.status_code}: "
                        f"{_error_of(r)})")
    data = r.json()
    identity = {"kiosk": data["id"], "name": data.get("name", ""),
                "hall": data.get("hall", ""), "county": url}
    tmp = folder / (IDENTITY_FILE + ".part")
    tmp.write_text(json.dumps(identity, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, folder / IDENTITY_FILE)
    return Identity(str(data["id"]), key, identity["name"], identity["hall"], url)


def _error_of(r: httpx.Response) -> str:
    try:
        return str(r.json().get("error", r.text[:200]))
    except ValueError:
        return r.text[:200]
