"""`kiosk county publish`: validate a catalog, cut it into township bundles and sign them into
the update repository with the online keys (targets, snapshot, timestamp).

What changes from one publication to the next, and so what a kiosk downloads:
- a bundle's role is re-signed (new version) only when one of its files changed, or it would
  expire before the next timestamp does; an untouched township downloads nothing but the
  timestamp and snapshot;
- an item that did not change keeps its file (same bytes, same hash, same name);
- timestamp.json is re-signed on every run with `--timestamp-days` of life: the county sets it
  to how often it reaches its most remote township. Publishing the same catalog again is how
  the timestamp is refreshed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import (
    DelegatedRole,
    Delegations,
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)

from county import bundles as bundle_files
from county.bundles import Bundle, header_of, item_bytes, role_name
from county.keys import ONLINE_ROLES, KeyFileError, read_online, short_id
from county.repo import Repository

ROLE_DAYS = 365          # targets, bundle roles, snapshot: re-signed before they run out
RESIGN_MARGIN_DAYS = 30  # … when they would expire within timestamp life + this margin


class PublishError(Exception):
    """Publishing cannot go on (names the file, key or role); the repository is unchanged."""


@dataclass
class PublishReport:
    catalog_version: str
    items: int
    bundles: dict[str, int]                     # township code → items
    targets: int                                # target files listed
    files_written: int
    bytes_written: int                          # target files + metadata
    changed_roles: list[str] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    timestamp_expires: str = ""
    seconds: float = 0.0


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def online_signers(repo: Repository, keys_dir: Path, root: Root) -> dict[str, CryptoSigner]:
    """The online keys, each checked against the keys root trusts for its role."""
    out = {}
    for role in ONLINE_ROLES:
        try:
            signer = read_online(keys_dir, role)
        except KeyFileError as exc:
            raise PublishError(str(exc)) from None
        if signer.public_key.keyid not in root.roles[role].keyids:
            raise PublishError(
                f"{keys_dir}/online/{role}.pem: key {short_id(signer.public_key.keyid)} is not "
                f"one the repository's root trusts for '{role}' (was it rotated? see "
                "kiosk county keys status)")
        out[role] = signer
    return out


@dataclass
class _Current:
    root: Root
    targets: Metadata[Targets] | None
    bundles: dict[str, Metadata[Targets]]
    snapshot: Metadata[Snapshot] | None
    timestamp: Metadata[Timestamp] | None


def load_current(repo: Repository) -> _Current:
    if not repo.initialised():
        raise PublishError(f"{repo.path}: not an update repository yet (no metadata/"
                           "1.root.json); start it with: kiosk county keys init")
    root_md = repo.load("root")
    assert root_md is not None
    snapshot = repo.load("snapshot")
    found: dict[str, Metadata[Targets]] = {}
    if snapshot is not None:
        for name, meta in snapshot.signed.meta.items():
            role = name.removesuffix(".json")
            if role != "targets":
                found[role] = repo.load_version(role, meta.version)
    return _Current(root_md.signed, repo.load("targets"), found, snapshot,
                    repo.load("timestamp"))


def _fingerprint(targets: dict[str, TargetFile]) -> dict[str, tuple[int, str]]:
    return {p: (t.length, t.hashes["sha256"]) for p, t in targets.items()}


class _Publisher:
    def __init__(self, repo: Repository, signers: dict[str, CryptoSigner], now: datetime,
                 timestamp_days: int) -> None:
        self.repo = repo
        self.signers = signers
        self.now = now
        self.timestamp_expires = now + timedelta(days=timestamp_days)
        self.role_expires = now + timedelta(days=ROLE_DAYS)
        self.stale_before = self.timestamp_expires + timedelta(days=RESIGN_MARGIN_DAYS)
        self.files = 0
        self.bytes = 0
        self.changed: list[str] = []
        self.pending: list[tuple[str, Metadata[Any]]] = []

    def keep(self, old: Metadata[Any] | None, same: bool) -> bool:
        return old is not None and same and old.signed.expires > self.stale_before

    def next_version(self, old: Metadata[Any] | None) -> int:
        return 1 if old is None else old.signed.version + 1

    def stage(self, role: str, md: Metadata[Any], key: str) -> None:
        md.sign(self.signers[key])
        self.pending.append((role, md))
        self.changed.append(role)

    def add(self, path: str, data: bytes) -> TargetFile:
        info, written = self.repo.add_target(path, data)
        self.files += written > 0
        self.bytes += written
        return info

    def bundle_role(self, bundle: Bundle, header: dict[str, Any], forms: Path | None,
                    old: Metadata[Targets] | None) -> Metadata[Targets]:
        import json

        code = bundle.code
        targets: dict[str, TargetFile] = {}
        index = bundle.index(header)
        if forms is None:
            index["forms"] = []
        data = json.dumps(index, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode()
        targets[bundle_files.index_path(code)] = self.add(bundle_files.index_path(code), data)
        for item in bundle.items:
            path = bundle_files.item_path(code, item["code"])
            targets[path] = self.add(path, item_bytes(item))
        for file in index["forms"]:
            assert forms is not None
            path = bundle_files.form_path(code, file)
            targets[path] = self.add(path, (forms / file).read_bytes())
        same = old is not None and _fingerprint(old.signed.targets) == _fingerprint(targets)
        if old is not None and self.keep(old, same):
            return old
        md = Metadata(Targets(version=self.next_version(old), expires=self.role_expires,
                              targets=targets))
        self.stage(role_name(code), md, "targets")
        return md

    def top_targets(self, codes: Sequence[str], old: Metadata[Targets] | None) -> Metadata[Targets]:
        key = self.signers["targets"].public_key
        roles = {role_name(c): DelegatedRole(role_name(c), [key.keyid], 1, True,
                                             paths=[f"{c}/*", f"{c}/*/*"]) for c in codes}
        delegations = Delegations({key.keyid: key}, roles=roles)
        same = old is not None and old.signed.delegations == delegations
        if old is not None and self.keep(old, same):
            return old
        md = Metadata(Targets(version=self.next_version(old), expires=self.role_expires,
                              delegations=delegations))
        self.stage("targets", md, "targets")
        return md

    def snapshot(self, roles: dict[str, Metadata[Targets]],
                 old: Metadata[Snapshot] | None) -> Metadata[Snapshot]:
        meta = {f"{name}.json": MetaFile(md.signed.version) for name, md in roles.items()}
        same = old is not None and old.signed.meta == meta
        if old is not None and self.keep(old, same):
            return old
        md = Metadata(Snapshot(version=self.next_version(old), expires=self.role_expires,
                               meta=meta))
        self.stage("snapshot", md, "snapshot")
        return md

    def timestamp(self, snapshot: Metadata[Snapshot],
                  old: Metadata[Timestamp] | None) -> Metadata[Timestamp]:
        md = Metadata(Timestamp(version=self.next_version(old), expires=self.timestamp_expires,
                                snapshot_meta=MetaFile(snapshot.signed.version)))
        self.stage("timestamp", md, "timestamp")
        return md

    def write(self) -> None:
        """Bundle roles, then targets, then snapshot, then timestamp: a kiosk reading the
        repository during a publication sees the old state or the new one, never a mix."""
        order = {"timestamp": 3, "snapshot": 2, "targets": 1}
        for role, md in sorted(self.pending, key=lambda p: order.get(p[0], 0)):
            self.bytes += self.repo.write(role, md)
            self.files += 1


def check_catalog(catalog: Path, forms: Path | None) -> dict[str, Any]:
    """The validated document (the kiosk's own validator), or PublishError listing the
    problems."""
    from kiosk.catalog.forms import missing_forms
    from kiosk.catalog.validate import check_file

    doc, problems = check_file(catalog)
    if not problems and forms is not None and doc is not None:
        if not forms.is_dir():
            raise PublishError(f"--forms {forms}: no such folder")
        problems = missing_forms(doc, forms)
    if problems or not isinstance(doc, dict):
        shown = "\n".join(f"  {p}" for p in problems[:50])
        raise PublishError(f"{catalog}: {len(problems)} problem(s); nothing was published\n"
                           f"{shown}")
    return doc


def publish(catalog: Path, repo: Repository, keys_dir: Path, *, forms: Path | None = None,
            regions: Sequence[str] = (), timestamp_days: int = 30,
            clock: Callable[[], datetime] = utcnow) -> PublishReport:
    start = time.perf_counter()
    doc = check_catalog(catalog, forms)
    try:
        cut = bundle_files.cut(doc, regions)
    except bundle_files.BundleError as exc:
        raise PublishError(str(exc)) from None
    current = load_current(repo)
    pub = _Publisher(repo, online_signers(repo, keys_dir, current.root), clock(),
                     timestamp_days)
    header = header_of(doc)
    roles = {role_name(code): pub.bundle_role(b, header, forms,
                                              current.bundles.get(role_name(code)))
             for code, b in cut.items()}
    roles = {"targets": pub.top_targets(list(cut), current.targets), **roles}
    snapshot = pub.snapshot(roles, current.snapshot)
    ts = pub.timestamp(snapshot, current.timestamp)
    pub.write()
    versions = {name: md.signed.version for name, md in roles.items()}
    versions.update(snapshot=snapshot.signed.version, timestamp=ts.signed.version)
    return PublishReport(
        catalog_version=str(doc["catalog_version"]), items=len(doc["items"]),
        bundles={code: len(b.items) for code, b in cut.items()},
        targets=sum(len(md.signed.targets) for md in roles.values()),
        files_written=pub.files, bytes_written=pub.bytes, changed_roles=pub.changed,
        versions=versions, timestamp_expires=ts.signed.expires.isoformat(),
        seconds=time.perf_counter() - start)


def resign(repo: Repository, keys_dir: Path, roles: Sequence[str], timestamp_days: int = 30,
           clock: Callable[[], datetime] = utcnow) -> list[str]:
    """Re-sign the named online roles (and those that depend on them) with today's keys,
    same content, next versions: what a key rotation needs. Returns the roles re-signed."""
    current = load_current(repo)
    pub = _Publisher(repo, online_signers(repo, keys_dir, current.root), clock(),
                     timestamp_days)
    all_roles: dict[str, Metadata[Targets]] = {}
    for name, old in current.bundles.items():
        if "targets" in roles:
            md = Metadata(Targets(version=old.signed.version + 1, expires=pub.role_expires,
                                  targets=old.signed.targets))
            pub.stage(name, md, "targets")
            old = md
        all_roles[name] = old
    top = current.targets
    if "targets" in roles or top is None:
        codes = [n.removeprefix("bundle-") for n in current.bundles]
        top = pub.top_targets(codes, None if top is None else _expired_copy(top))
    snapshot = current.snapshot
    if snapshot is None or {"targets", "snapshot"} & set(roles):
        snapshot = pub.snapshot({"targets": top, **all_roles},
                                None if snapshot is None else _expired_copy(snapshot))
    pub.timestamp(snapshot, current.timestamp)
    pub.write()
    return pub.changed


def _expired_copy(md: Metadata[Any]) -> Metadata[Any]:
    """The same role with an expiry in the past, so _Publisher re-signs it (next version)."""
    copy = Metadata.from_bytes(md.to_bytes())
    copy.signed.expires = datetime(2000, 1, 1, tzinfo=UTC)
    return copy

