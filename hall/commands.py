"""`kiosk hall …`: run and administer the hall service (on the hall's machine), and enrol a
kiosk with it (`kiosk hall join`, on the kiosk).

    kiosk hall serve [--listen HOST:PORT] [--database sqlite:PATH | postgresql://…]
                     [--county URL [--fleet-dir DIR]]   (relay the kiosks' heartbeats)
    kiosk hall report [--day YYYY-MM-DD] [--json | --csv FILE]
    kiosk hall staff add NUMBER --name NAME [--role window|manager] [--pin-stdin]
    kiosk hall staff set-pin|disable|enable NUMBER ; kiosk hall staff list
    kiosk hall enrol-kiosk NAME          (prints a one-time code)
    kiosk hall kiosks
    kiosk hall join URL --code CODE      (on a kiosk: token + the hall's secret, 0600)
    kiosk hall keys [--markdown]         (every hall.toml key)

hall.toml is `--hall-config`, else $HALL_CONFIG, else the one a `--config` kiosk.toml names in
[queue].hall_config, else ./hall.toml, else the default kiosk.toml's. Exit codes as
kiosk/cli.py: 2 usage or configuration, 3 the store or the service failed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.commands.common import config_from_args, print_json
from kiosk.errors import ConfigError
from kiosk.maintenance.pin import PIN_PATTERN
from kiosk.queue.hallconfig import HallConfigError, HallSettings, load_hall

Handler = Callable[[argparse.Namespace], int]


def register(sub: Any) -> None:
    p = sub.add_parser("hall", help="the hall service: serve, report, staff, kiosks")
    p.add_argument("--hall-config", metavar="FILE", help="hall.toml to use")
    hsub = p.add_subparsers(dest="hall_command", metavar="ACTION", required=True)
    s = hsub.add_parser("serve", help="run the hall service (API, event stream)")
    s.add_argument("--listen", metavar="HOST:PORT", help="default: [server].listen")
    s.add_argument("--database", metavar="URL", help="sqlite:PATH or postgresql://… "
                                                     "(default: [server].database)")
    s.add_argument("--county", metavar="URL", help="relay the kiosks' heartbeats to this county "
                                                   "service (store and forward; docs/county.md)")
    s.add_argument("--fleet-dir", metavar="DIR", default="var/hall-fleet",
                   help="the hall's fleet key, identity and relay outbox (from kiosk fleet join "
                        "URL --code CODE --hall DIR; relative to hall.toml's folder)")
    s.set_defaults(handler=_serve)
    r = hsub.add_parser("report", help="one day's figures from the event log")
    r.add_argument("--day", metavar="YYYY-MM-DD", help="default: today's queue day")
    r.add_argument("--json", action="store_true")
    r.add_argument("--csv", metavar="FILE", type=Path)
    r.add_argument("--database", metavar="URL")
    r.set_defaults(handler=_report)
    _staff_parsers(hsub)
    e = hsub.add_parser("enrol-kiosk", help="a one-time code for `kiosk hall join` on a kiosk")
    e.add_argument("name", help="the kiosk's name, e.g. kiosk-1")
    e.add_argument("--database", metavar="URL")
    e.set_defaults(handler=_enrol)
    k = hsub.add_parser("kiosks", help="enrolled kiosks")
    k.add_argument("--database", metavar="URL")
    k.set_defaults(handler=_kiosks)
    j = hsub.add_parser("join", help="(on a kiosk) enrol with the hall service")
    j.add_argument("url", help="the hall service, e.g. http://192.168.1.10:8700")
    j.add_argument("--code", required=True, help="the code `kiosk hall enrol-kiosk` printed")
    j.set_defaults(handler=_join)
    keys = hsub.add_parser("keys", help="every hall.toml key with its type, default, meaning")
    keys.add_argument("--markdown", action="store_true")
    keys.set_defaults(handler=_keys)


def _staff_parsers(hsub: Any) -> None:
    st = hsub.add_parser("staff", help="window staff and hall managers")
    ssub = st.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = ssub.add_parser("add", help="add a staff member (asks for the PIN)")
    add.add_argument("number", help="staff number (工号)")
    add.add_argument("--name", default="", help="shown on reports")
    add.add_argument("--role", choices=["window", "manager"], default="window")
    for name, helptext in (("set-pin", "set a new PIN (clears a lockout)"),
                           ("disable", "refuse this staff number from now on"),
                           ("enable", "allow a disabled staff number again")):
        one = ssub.add_parser(name, help=helptext)
        one.add_argument("number")
        one.set_defaults(handler=_staff_change(name))
        if name == "set-pin":
            one.add_argument("--pin-stdin", action="store_true")
        one.add_argument("--database", metavar="URL")
    add.add_argument("--pin-stdin", action="store_true",
                     help="read the PIN from standard input (scripts, tests)")
    add.add_argument("--database", metavar="URL")
    add.set_defaults(handler=_staff_add)
    ls = ssub.add_parser("list", help="staff numbers, roles, locks")
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--database", metavar="URL")
    ls.set_defaults(handler=_staff_list)


def hall_settings(args: argparse.Namespace) -> HallSettings:
    path = args.hall_config or os.environ.get("HALL_CONFIG")
    if not path and not getattr(args, "config", None) and Path("hall.toml").exists():
        path = "hall.toml"
    try:
        if path:
            return load_hall(path)
        cfg = config_from_args(args)
        return load_hall(cfg.path(cfg.queue.hall_config), missing_ok=True)
    except HallConfigError as exc:
        raise ConfigError(exc.problems, exc.source) from None


def _database(args: argparse.Namespace, settings: HallSettings) -> str:
    return getattr(args, "database", None) or settings.server.database


def _serve(args: argparse.Namespace) -> int:
    from hall.serve import serve

    settings = hall_settings(args)
    relay = None
    if args.county:
        from hall.fleet_relay import open_relay

        relay = open_relay(settings.path(args.fleet_dir), args.county)
    try:
        return serve(settings, _database(args, settings), args.listen or settings.server.listen,
                     relay)
    except (OSError, ValueError) as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2


def _auth(args: argparse.Namespace) -> Any:
    from hall.app import open_store
    from hall.auth import Auth

    settings = hall_settings(args)
    store = open_store(_database(args, settings), settings)
    store.open()
    return Auth(store, settings)


def _read_pin(args: argparse.Namespace) -> str | None:
    if args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("PIN (6-12 digits): ")
        if getpass.getpass("Repeat it: ") != pin:
            print("kiosk: the two PINs differ; nothing was changed", file=sys.stderr)
            return None
    if not PIN_PATTERN.fullmatch(pin):
        print("kiosk: a PIN is 6 to 12 digits; nothing was changed", file=sys.stderr)
        return None
    return pin


def _staff_add(args: argparse.Namespace) -> int:
    pin = _read_pin(args)
    if pin is None:
        return 1
    auth = _auth(args)
    try:
        auth.add_staff(args.number, args.name, args.role, pin)
    finally:
        auth.store.close()
    print(f"staff {args.number} added ({args.role}); the PIN is stored as a salted scrypt hash")
    return 0


def _staff_change(action: str) -> Handler:
    def run(args: argparse.Namespace) -> int:
        pin = _read_pin(args) if action == "set-pin" else None
        if action == "set-pin" and pin is None:
            return 1
        auth = _auth(args)
        try:
            if pin is not None:
                auth.set_pin(args.number, pin)
            else:
                auth.set_disabled(args.number, action == "disable")
        finally:
            auth.store.close()
        print(f"staff {args.number}: {action} done")
        return 0

    return run


def _staff_list(args: argparse.Namespace) -> int:
    auth = _auth(args)
    try:
        staff = auth.staff()
    finally:
        auth.store.close()
    rows = [{"number": s.staff_no, "name": s.name, "role": s.role, "disabled": s.disabled,
             "locked_until": s.locked_until.isoformat() if s.locked_until else None}
            for s in staff]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            flags = " disabled" if r["disabled"] else ""
            flags += f" locked until {r['locked_until']}" if r["locked_until"] else ""
            print(f"{r['number']}  {r['role']}  {r['name']}{flags}")
    return 0


def _enrol(args: argparse.Namespace) -> int:
    auth = _auth(args)
    try:
        code = auth.enrol_code(args.name)
    finally:
        auth.store.close()
    minutes = auth.settings.auth.enrol_code_minutes
    print(f"enrolment code for {args.name}: {code[:4]}-{code[4:]}  (valid {minutes} minutes, "
          f"once)\non the kiosk: kiosk hall join URL --code {code[:4]}-{code[4:]}")
    return 0


def _kiosks(args: argparse.Namespace) -> int:
    auth = _auth(args)
    try:
        for name, enrolled, disabled, seen in auth.kiosks():
            print(f"{name}  enrolled {enrolled}  last seen {seen or '-'}"
                  f"{'  disabled' if disabled else ''}")
    finally:
        auth.store.close()
    return 0


def _join(args: argparse.Namespace) -> int:
    from kiosk.queue.remote_store import join

    cfg = config_from_args(args)
    enrolled = join(args.url, args.code, cfg.path(cfg.queue.token_file),
                    cfg.path(cfg.queue.secret_file), timeout_s=cfg.queue.timeout_s)
    print(f"enrolled as {enrolled.name} with {args.url}; token in {cfg.queue.token_file}, "
          f"the hall's secret in {cfg.queue.secret_file} (both 0600).\n"
          f'set [queue] server = "{args.url}" in kiosk.toml to issue through the hall service')
    return 0


def _report(args: argparse.Namespace) -> int:
    from datetime import date

    from hall.app import open_store
    from hall.report import render, report, to_csv

    settings = hall_settings(args)
    store = open_store(_database(args, settings), settings)
    store.open(readonly=True)
    try:
        day = date.fromisoformat(args.day) if args.day else store.day()
        rep = report(day, store.events_of_day(day), settings)
    finally:
        store.close()
    if args.csv:
        args.csv.write_text(to_csv(rep), encoding="utf-8")
        print(f"wrote {args.csv}")
    elif args.json:
        print_json(rep)
    else:
        print(render(rep))
    return 0


def _keys(args: argparse.Namespace) -> int:
    from kiosk.configschema import document

    rows = document(HallSettings)
    if args.markdown:
        print("| key | type | default | meaning |")
        print("|---|---|---|---|")
        for k, t, d, doc in rows:
            print(f"| `{k}` | {t.replace('|', '/')} | `{d}` | {doc} |")
    else:
        for k, t, d, doc in rows:
            print(f"{k} = {d}\n    {t}. {doc}")
    return 0
