"""`kiosk county keys init|rotate|status`: the repository's root of trust.

init    makes the root keys (default 3, any 2 sign) into an OFFLINE folder that must then be
        split onto separate USB sticks, the online keys into KEYS/online/, and signs
        metadata/1.root.json — the file every kiosk ships ([catalog].update_root).
rotate  replaces one role's key. An online key (targets, snapshot, timestamp): a new root
        version that trusts the new key and no longer the old one, signed by a threshold of
        root keys, then the role's metadata re-signed with the new key. A root key: the new
        root is signed by a threshold of the old root keys AND of the new set, so a kiosk can
        follow the chain. A kiosk that has seen the new root refuses anything the old key signs.
status  every role: version, expiry, keys and threshold, and whether this machine holds them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, Root

from county.keys import (
    ONLINE_ROLES,
    KeyFileError,
    generate,
    online_key_path,
    read_key,
    short_id,
    signer_of,
    write_key,
)
from county.publish import PublishError, load_current, resign, utcnow
from county.repo import Repository

ROOT_DAYS = 730


class TrustError(Exception):
    """A key ceremony cannot go on (names the key or file); nothing was changed."""


@dataclass
class InitReport:
    root_keys: list[str]
    threshold: int
    online: dict[str, str]
    root_file: str


def init(repo: Repository, keys_dir: Path, offline_dir: Path, *, root_keys: int = 3,
         threshold: int = 2, passphrase: bytes | None = None, root_days: int = ROOT_DAYS,
         clock: Callable[[], datetime] = utcnow) -> InitReport:
    if not 1 <= threshold <= root_keys:
        raise TrustError(f"--threshold {threshold}: expected 1 to --root-keys ({root_keys})")
    if repo.initialised():
        raise TrustError(f"{repo.path}: already has metadata/1.root.json; use "
                         "kiosk county keys rotate to change keys")
    existing = [p for p in [online_key_path(keys_dir, r) for r in ONLINE_ROLES]
                + [offline_dir / f"root-{i + 1}.pem" for i in range(root_keys)] if p.exists()]
    if existing:
        raise TrustError(f"{existing[0]}: a key file is already there; not overwriting keys")
    root = Root(expires=clock() + timedelta(days=root_days), consistent_snapshot=True)
    root_privs = [generate() for _ in range(root_keys)]
    for i, priv in enumerate(root_privs):
        root.add_key(signer_of(priv).public_key, "root")
        write_key(offline_dir / f"root-{i + 1}.pem", priv, passphrase)
    root.roles["root"].threshold = threshold
    online = {}
    for role in ONLINE_ROLES:
        priv = generate()
        signer = signer_of(priv)
        root.add_key(signer.public_key, role)
        write_key(online_key_path(keys_dir, role), priv)
        online[role] = signer.public_key.keyid
    md = Metadata(root)
    for priv in root_privs:
        md.sign(signer_of(priv), append=True)
    repo.write("root", md)
    return InitReport([signer_of(p).public_key.keyid for p in root_privs], threshold, online,
                      str(repo.metadata / "1.root.json"))


def _root_signers(root: Root, files: Sequence[Path], passphrase: bytes | None
                  ) -> list[CryptoSigner]:
    signers = []
    for path in files:
        try:
            signer = read_key(path, passphrase)
        except KeyFileError as exc:
            raise TrustError(str(exc)) from None
        if signer.public_key.keyid not in root.roles["root"].keyids:
            raise TrustError(f"{path}: key {short_id(signer.public_key.keyid)} is not a root "
                             "key of this repository")
        signers.append(signer)
    need = root.roles["root"].threshold
    distinct = {s.public_key.keyid for s in signers}
    if len(distinct) < need:
        raise TrustError(f"root changes need {need} root keys (--root-key FILE, one per key); "
                         f"got {len(distinct)}")
    return signers


def _find_keyid(root: Root, role: str, prefix: str) -> str:
    matches = [k for k in root.roles[role].keyids if k.startswith(prefix)]
    if len(matches) != 1:
        raise TrustError(f"--replace {prefix}: expected the id (or its start) of one {role} "
                         f"key, found {len(matches)} (see kiosk county keys status)")
    return matches[0]


@dataclass
class RotateReport:
    role: str
    revoked: list[str]
    added: str
    root_version: int
    resigned: list[str] = field(default_factory=list)
    new_key_file: str = ""


def rotate(repo: Repository, keys_dir: Path, role: str, root_key_files: Sequence[Path], *,
           replace: str = "", new_root_key: Path | None = None,
           passphrase: bytes | None = None, timestamp_days: int = 30,
           clock: Callable[[], datetime] = utcnow) -> RotateReport:
    if role not in ("root", *ONLINE_ROLES):
        raise TrustError(f"role {role!r}: expected root, targets, snapshot or timestamp")
    try:
        current = load_current(repo)
    except PublishError as exc:
        raise TrustError(str(exc)) from None
    old_md = repo.load("root")
    assert old_md is not None
    root: Root = Metadata.from_bytes(old_md.to_bytes()).signed
    signers = _root_signers(root, root_key_files, passphrase)
    revoked = _to_revoke(root, role, replace, new_root_key)
    priv = generate()
    new_signer = signer_of(priv)
    for keyid in revoked:
        root.revoke_key(keyid, role)
    root.add_key(new_signer.public_key, role)
    root.version += 1
    root.expires = clock() + timedelta(days=ROOT_DAYS)
    md = Metadata(root)
    for s in [*signers, new_signer] if role == "root" else signers:
        md.sign(s, append=True)
    _check_root_chain(old_md, md)
    if new_root_key is not None and role == "root":
        write_key(new_root_key, priv, passphrase)
        key_file = new_root_key
    else:
        key_file = _replace_online(keys_dir, role, priv)
    repo.write("root", md)
    report = RotateReport(role, revoked, new_signer.public_key.keyid, root.version,
                          new_key_file=str(key_file))
    if role != "root" and current.timestamp is not None:
        report.resigned = resign(repo, keys_dir, [role], timestamp_days, clock)
    return report


def _to_revoke(root: Root, role: str, replace: str, new_root_key: Path | None) -> list[str]:
    """The key ids the rotation takes away: every key of an online role, or the one root key
    named by --replace (a root rotation also needs --new-key)."""
    if role != "root":
        return list(root.roles[role].keyids)
    if new_root_key is None:
        raise TrustError("rotating a root key: say where the new key goes "
                         "(--new-key FILE, on a fresh USB stick)")
    if not replace:
        raise TrustError("rotating a root key: say which one with --replace KEYID")
    if new_root_key.exists():
        raise TrustError(f"{new_root_key}: a key file is already there; not overwriting it")
    return [_find_keyid(root, "root", replace)]


def _check_root_chain(old: Metadata[Root], new: Metadata[Root]) -> None:
    """What a kiosk will check: the new root is signed by a threshold of the old root's keys
    and by a threshold of its own."""
    try:
        old.signed.verify_delegate("root", new.signed_bytes, new.signatures)
        new.signed.verify_delegate("root", new.signed_bytes, new.signatures)
    except Exception as exc:  # tuf's UnsignedMetadataError: say it in our words
        raise TrustError(f"the new root would not be trusted by kiosks: {exc}") from None


def _replace_online(keys_dir: Path, role: str, priv: Ed25519PrivateKey) -> Path:
    path = online_key_path(keys_dir, role)
    if path.exists():
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        os.replace(path, path.with_name(f"{role}.pem.revoked-{stamp}"))
    write_key(path, priv)
    return path


def status(repo: Repository, keys_dir: Path, clock: Callable[[], datetime] = utcnow
           ) -> dict[str, Any]:
    """Each role's version, expiry, keys, threshold and which key files this machine holds."""
    try:
        current = load_current(repo)
    except PublishError as exc:
        raise TrustError(str(exc)) from None
    now = clock()
    root = current.root
    held = {}
    for role in ONLINE_ROLES:
        try:
            held[role] = read_key(online_key_path(keys_dir, role)).public_key.keyid
        except KeyFileError:
            held[role] = ""
    roles: list[dict[str, Any]] = []
    for name in ("root", *ONLINE_ROLES):
        md: Any = {"root": repo.load("root"), "targets": current.targets,
                   "snapshot": current.snapshot, "timestamp": current.timestamp}[name]
        keyids = root.roles[name].keyids
        entry: dict[str, Any] = {
            "role": name, "threshold": root.roles[name].threshold,
            "keys": [short_id(k) for k in keyids],
            "version": md.signed.version if md else None,
            "expires": md.signed.expires.isoformat() if md else None,
            "days_left": (md.signed.expires - now).days if md else None,
            "key_on_this_machine": (name != "root" and held.get(name) in keyids),
        }
        roles.append(entry)
    warnings = [f"{r['role']} expires in {r['days_left']} day(s)" for r in roles
                if r["days_left"] is not None and r["days_left"] < 14]
    warnings += [f"{r['role']}: the key in {online_key_path(keys_dir, r['role'])} is missing "
                 "or not the one root trusts" for r in roles
                 if r["role"] != "root" and not r["key_on_this_machine"]]
    return {"repo": str(repo.path), "root_version": root.version,
            "consistent_snapshot": root.consistent_snapshot, "roles": roles,
            "bundles": {n.removeprefix("bundle-"): {"version": md.signed.version,
                                                    "targets": len(md.signed.targets),
                                                    "expires": md.signed.expires.isoformat()}
                        for n, md in current.bundles.items()},
            "warnings": warnings}
