"""`kiosk admin set-pin`: set the maintenance PIN (stored only as a salted scrypt hash)."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from pathlib import Path

from kiosk.commands.common import Subparsers
from kiosk.config import default_config_path, load_config
from kiosk.maintenance.pin import hash_pin, pin_problem, readable_by_others, write_pin_hash

log = logging.getLogger(__name__)


def register(sub: Subparsers) -> None:
    p = sub.add_parser("admin", help="staff administration (maintenance PIN)")
    asub = p.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    sp = asub.add_parser("set-pin", help="set the maintenance-mode PIN (6-12 digits)")
    sp.add_argument("--pin-stdin", action="store_true",
                    help="read the PIN from standard input (for provisioning scripts)")
    sp.set_defaults(handler=_set_pin)


def _read_pin(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass("New maintenance PIN (6-12 digits): ")
    if getpass.getpass("Repeat it: ") != first:
        print("kiosk: the two PINs differ; nothing was changed", file=sys.stderr)
        return None
    return first


def _set_pin(args: argparse.Namespace) -> int:
    path = args.config or default_config_path()
    load_config(path)  # refuse to edit a config that is already broken
    pin = _read_pin(args.pin_stdin)
    if pin is None:
        return 1
    problem = pin_problem(pin)
    if problem:
        print(f"kiosk: {problem}; nothing was changed", file=sys.stderr)
        return 1
    write_pin_hash(Path(path), hash_pin(pin))   # keeps the file's mode
    load_config(path)  # the edited file must still be valid
    log.info("maintenance PIN changed")
    print(f"PIN set in {path} (stored as a salted scrypt hash).")
    if readable_by_others(Path(path)):
        print(f"kiosk: warning: {path} can be read by every user of this machine, and with it "
              "the PIN's hash (a 6-digit PIN is guessed from it offline in about a day); "
              f"make it readable by the kiosk's user only: chmod 600 {path}", file=sys.stderr)
    return 0
