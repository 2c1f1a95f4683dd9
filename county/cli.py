"""`kiosk county …`: the county's tools (docs/county.md).

    kiosk county keys init --repo DIR --keys DIR --offline DIR [--root-keys 3 --threshold 2]
    kiosk county keys rotate ROLE --repo DIR --keys DIR --root-key FILE --root-key FILE …
    kiosk county keys status --repo DIR --keys DIR [--json]
    kiosk county publish CATALOG.json [--forms DIR] --repo DIR --keys DIR [--region CODE …]
    kiosk county serve [--listen HOST:PORT] --database postgresql://… [--repo DIR]
                       [--notify webhook:URL | email:smtp://… | module:factory …]
    kiosk county enrol-hall NAME [--region CODE] / enrol-kiosk NAME --hall HALL
    kiosk county new-code ID / operator NAME     (--database, or $KIOSK_COUNTY_DATABASE)

Exit codes: 0 ok, 1 the catalog or a key ceremony was refused (nothing changed), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.commands.common import Subparsers, print_json


def register(sub: Subparsers, extra: tuple[Any, ...] = ()) -> None:
    """`kiosk county …`; `extra` registrars add more actions (township/cli.py adds `demo`,
    which needs the device simulators county/ may not import)."""
    p = sub.add_parser("county", help="the county: publish signed catalogs, keys, the "
                                      "county service")
    csub = p.add_subparsers(dest="county_command", metavar="ACTION", required=True)
    _register_publish(csub)
    _register_keys(csub)
    _register_service(csub)
    for more in extra:
        more(csub)


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


def _db_arg(p: argparse.ArgumentParser) -> None:
    import os

    p.add_argument("--database", default=os.environ.get("KIOSK_COUNTY_DATABASE", ""),
                   metavar="URL", help="postgresql://USER@HOST:PORT/DB (default: "
                                       "$KIOSK_COUNTY_DATABASE)")


def _register_service(csub: Any) -> None:
    serve = csub.add_parser("serve", help="the county service: fleet API, update repository, "
                                          "dashboard")
    serve.add_argument("--listen", default="127.0.0.1:8470", metavar="HOST:PORT")
    _db_arg(serve)
    serve.add_argument("--repo", metavar="DIR", help="serve this update repository at /repo/")
    serve.add_argument("--notify", action="append", default=[], metavar="SPEC",
                       help="webhook:URL, email:smtp://HOST:PORT?from=A&to=B, or "
                            "package.module:factory (repeatable)")
    serve.set_defaults(handler=_serve)
    hall = csub.add_parser("enrol-hall", help="register a hall; prints its one-time code")
    hall.add_argument("name", metavar="NAME")
    hall.add_argument("--region", default="", metavar="CODE")
    _db_arg(hall)
    hall.set_defaults(handler=_enrol_hall)
    kiosk = csub.add_parser("enrol-kiosk", help="register a kiosk of a hall; prints its "
                                                "one-time code")
    kiosk.add_argument("name", metavar="NAME")
    kiosk.add_argument("--hall", required=True, metavar="HALL")
    _db_arg(kiosk)
    kiosk.set_defaults(handler=_enrol_kiosk)
    code = csub.add_parser("new-code", help="a fresh one-time code for an enrolled hall or "
                                            "kiosk (a replaced PC)")
    code.add_argument("id", metavar="ID")
    _db_arg(code)
    code.set_defaults(handler=_new_code)
    op = csub.add_parser("operator", help="add a dashboard account, or set its password")
    op.add_argument("name", metavar="NAME")
    op.add_argument("--password-file", metavar="FILE", help="first line is the password "
                                                            "(default: asked)")
    _db_arg(op)
    op.set_defaults(handler=_operator)


def _database(args: argparse.Namespace) -> Any:
    from county.service.db import Database

    if not args.database:
        raise SystemExit("kiosk county: give --database postgresql://… (or set "
                         "KIOSK_COUNTY_DATABASE)")
    return Database(args.database, max_size=2).open()


def _serve(args: argparse.Namespace) -> int:
    from county.service.db import DatabaseError
    from county.service.serve import serve

    if not args.database:
        print("kiosk county serve: give --database postgresql://… (or set "
              "KIOSK_COUNTY_DATABASE)", file=sys.stderr)
        return 2
    try:
        return serve(args.listen, args.database, Path(args.repo) if args.repo else None,
                     args.notify)
    except (DatabaseError, ValueError) as exc:
        print(f"kiosk county serve: {exc}", file=sys.stderr)
        return 2


def _enrolled(what: str, e: Any) -> None:
    print(f"{what} {e.id} ({e.name}, hall {e.hall}): one-time code {e.code} — valid 7 days")


def _enrol_hall(args: argparse.Namespace) -> int:
    from county.service.enrol import EnrolError, new_hall

    db = _database(args)
    try:
        _enrolled("hall", new_hall(db, args.name, args.region))
    except EnrolError as exc:
        print(f"kiosk county enrol-hall: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    return 0


def _enrol_kiosk(args: argparse.Namespace) -> int:
    from county.service.enrol import EnrolError, new_kiosk

    db = _database(args)
    try:
        e = new_kiosk(db, args.name, args.hall)
    except EnrolError as exc:
        print(f"kiosk county enrol-kiosk: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    _enrolled("kiosk", e)
    print(f"on the kiosk: kiosk fleet join URL --code {e.code}")
    return 0


def _new_code(args: argparse.Namespace) -> int:
    from county.service.enrol import EnrolError, new_code

    db = _database(args)
    try:
        print(f"{args.id}: one-time code {new_code(db, args.id)} — valid 7 days")
    except EnrolError as exc:
        print(f"kiosk county new-code: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    return 0


def _operator(args: argparse.Namespace) -> int:
    import getpass

    from county.service.auth import add_operator

    if args.password_file:
        lines = Path(args.password_file).read_text(encoding="utf-8").splitlines()
        password = lines[0] if lines else ""
    else:
        password = getpass.getpass(f"password for {args.name}: ")
    db = _database(args)
    try:
        add_operator(db, args.name, password)
    except ValueError as exc:
        print(f"kiosk county operator: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"operator {args.name} can log in to the dashboard")
    return 0
