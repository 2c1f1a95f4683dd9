"""`kiosk county …`: the county's tools (docs/county.md).

    kiosk county keys init --repo DIR --keys DIR --offline DIR [--root-keys 3 --threshold 2]
    kiosk county keys rotate ROLE --repo DIR --keys DIR --root-key FILE --root-key FILE …
    kiosk county keys status --repo DIR --keys DIR [--json]
    kiosk county publish CATALOG.json [--forms DIR] --repo DIR --keys DIR [--region CODE …]
    kiosk county serve / enrol-hall / enrol-kiosk …   (kiosk/commands/county_service.py)

Exit codes: 0 ok, 1 the catalog or a key ceremony was refused (nothing changed), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.commands.common import Subparsers, print_json


def register(sub: Subparsers) -> None:
    p = sub.add_parser("county", help="the county: publish signed catalogs, keys, the "
                                      "county service")
    csub = p.add_subparsers(dest="county_command", metavar="ACTION", required=True)
    _register_publish(csub)
    _register_keys(csub)


def _repo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--repo", required=True, metavar="DIR", help="the update repository folder")
    p.add_argument("--keys", required=True, metavar="DIR",
                   help="the publisher's key folder (online keys in DIR/online/)")


def _register_publish(csub: Subparsers) -> None:
    pub = csub.add_parser("publish", help="validate a catalog, cut one bundle per township, "
                                          "sign it into the update repository")
    pub.add_argument("catalog", metavar="CATALOG.json")
    pub.add_argument("--forms", metavar="DIR", help="the form files (PDF) the catalog names")
    _repo_args(pub)
    pub.add_argument("--region", action="append", default=[], metavar="CODE",
                     help="12-digit township code: only this township (repeatable); needed "
                          "when no item names its township")
    pub.add_argument("--timestamp-days", type=int, default=30, metavar="N",
                     help="days a kiosk may go without hearing from the county before it "
                          "refuses updates as frozen (default 30)")
    pub.add_argument("--json", action="store_true")
    pub.set_defaults(handler=_publish)


def _register_keys(csub: Subparsers) -> None:
    keys = csub.add_parser("keys", help="the repository's keys: init, rotate, status")
    ksub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    init = ksub.add_parser("init", help="make root and online keys and sign the first root")
    _repo_args(init)
    init.add_argument("--offline", required=True, metavar="DIR",
                      help="where the root keys are written (then move each to its own USB "
                           "stick and delete them here)")
    init.add_argument("--root-keys", type=int, default=3, metavar="N")
    init.add_argument("--threshold", type=int, default=2, metavar="K")
    init.add_argument("--passphrase-file", metavar="FILE", help="encrypt the root keys")
    init.set_defaults(handler=_keys_init)

    rot = ksub.add_parser("rotate", help="replace a role's key (signed by a threshold of "
                                         "root keys)")
    rot.add_argument("role", choices=["root", "targets", "snapshot", "timestamp"])
    _repo_args(rot)
    rot.add_argument("--root-key", action="append", default=[], metavar="FILE",
                     help="a root key file (repeat until the threshold)")
    rot.add_argument("--replace", default="", metavar="KEYID",
                     help="for root: the id (or its start) of the root key to replace")
    rot.add_argument("--new-key", metavar="FILE", help="for root: where the new root key goes")
    rot.add_argument("--passphrase-file", metavar="FILE")
    rot.add_argument("--timestamp-days", type=int, default=30, metavar="N")
    rot.set_defaults(handler=_keys_rotate)

    st = ksub.add_parser("status", help="roles, versions, expiry, keys, thresholds")
    _repo_args(st)
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=_keys_status)


def _publish(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from county.publish import PublishError, publish
    from county.repo import Repository

    try:
        r = publish(Path(args.catalog), Repository(Path(args.repo)), Path(args.keys),
                    forms=Path(args.forms) if args.forms else None, regions=args.region,
                    timestamp_days=args.timestamp_days)
    except PublishError as exc:
        print(f"kiosk county publish: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print_json(asdict(r))
        return 0
    changed = ", ".join(r.changed_roles)
    print(f"published catalog {r.catalog_version}: {r.items} items in {len(r.bundles)} "
          f"bundle(s), {r.targets} targets; {r.files_written} file(s), {r.bytes_written} bytes "
          f"written in {r.seconds:.1f} s; signed: {changed}; timestamp expires "
          f"{r.timestamp_expires}")
    if not args.forms:
        print("note: no --forms folder: form files were not published", file=sys.stderr)
    return 0


def _keys_init(args: argparse.Namespace) -> int:
    from county.keys import KeyFileError, read_passphrase, short_id
    from county.repo import Repository
    from county.trust import TrustError, init

    try:
        r = init(Repository(Path(args.repo)), Path(args.keys), Path(args.offline),
                 root_keys=args.root_keys, threshold=args.threshold,
                 passphrase=read_passphrase(args.passphrase_file))
    except (TrustError, KeyFileError) as exc:
        print(f"kiosk county keys init: {exc}", file=sys.stderr)
        return 1
    print(f"root: {len(r.root_keys)} keys, any {r.threshold} sign: "
          + ", ".join(short_id(k) for k in r.root_keys))
    print(f"  written to {args.offline}/root-N.pem — move each to its own USB stick, "
          "held by a different person, and delete them from this machine")
    for role, keyid in r.online.items():
        print(f"{role}: {short_id(keyid)} in {args.keys}/online/{role}.pem")
    print(f"ship {r.root_file} with every kiosk ([catalog].update_root)")
    return 0


def _keys_rotate(args: argparse.Namespace) -> int:
    from county.keys import KeyFileError, read_passphrase, short_id
    from county.publish import PublishError
    from county.repo import Repository
    from county.trust import TrustError, rotate

    try:
        r = rotate(Repository(Path(args.repo)), Path(args.keys), args.role,
                   [Path(p) for p in args.root_key], replace=args.replace,
                   new_root_key=Path(args.new_key) if args.new_key else None,
                   passphrase=read_passphrase(args.passphrase_file),
                   timestamp_days=args.timestamp_days)
    except (TrustError, KeyFileError, PublishError) as exc:
        print(f"kiosk county keys rotate: {exc}", file=sys.stderr)
        return 1
    revoked = ", ".join(short_id(k) for k in r.revoked) or "(none)"
    print(f"{r.role}: key {short_id(r.added)} added ({r.new_key_file}), revoked {revoked}; "
          f"root is now version {r.root_version}")
    if r.resigned:
        print("re-signed: " + ", ".join(r.resigned))
    return 0


def _keys_status(args: argparse.Namespace) -> int:
    from county.repo import Repository
    from county.trust import TrustError, status

    try:
        st = status(Repository(Path(args.repo)), Path(args.keys))
    except TrustError as exc:
        print(f"kiosk county keys status: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print_json(st)
        return 0
    print(f"{st['repo']}: root version {st['root_version']}")
    for r in st["roles"]:
        held = "" if r["role"] == "root" else (
            "  key here" if r["key_on_this_machine"] else "  KEY MISSING HERE")
        print(f"  {r['role']:<9} v{r['version']}  expires {r['expires']} "
              f"({r['days_left']} days)  {r['threshold']} of {', '.join(r['keys'])}{held}")
    for code, b in st["bundles"].items():
        print(f"  bundle {code}: v{b['version']}, {b['targets']} targets, expires {b['expires']}")
    for w in st["warnings"]:
        print(f"warning: {w}")
    return 1 if st["warnings"] else 0
