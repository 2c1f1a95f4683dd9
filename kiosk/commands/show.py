"""`kiosk show CODE [--json]`: one item's whole guide, as staff would check it before a citizen
sees it — readable Chinese text, or the item's JSON (the interchange format's fields)."""

from __future__ import annotations

import argparse
import sys

from kiosk.commands.common import Subparsers, config_from_args, print_json


def register(sub: Subparsers) -> None:
    p = sub.add_parser("show", help="show one catalog item's full guide (办事指南)")
    p.add_argument("code", metavar="CODE", help="the item's code (实施编码)")
    p.add_argument("--json", action="store_true", help="every field as JSON")
    p.set_defaults(handler=_show)


def _show(args: argparse.Namespace) -> int:
    from kiosk.catalog import open_catalog
    from kiosk.catalog.guide_text import guide_text
    from kiosk.catalog.model import to_dict
    from kiosk.errors import ItemNotFound

    catalog = open_catalog(config_from_args(args))
    try:
        item = catalog.get(args.code)
    except ItemNotFound:
        print(f"kiosk: no item with code {args.code!r} in catalog version {catalog.version}",
              file=sys.stderr)
        return 1
    if args.json:
        print_json(to_dict(item))
    else:
        sys.stdout.write(guide_text(item))
    return 0
