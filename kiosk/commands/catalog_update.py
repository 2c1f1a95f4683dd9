"""`kiosk catalog update [--from URL|DIR] [--json]`: one signed-update check now.

Without --from: [catalog].update_url, else a county repository on a USB drive (when
[catalog].update_stick). Says what it did: updated from X to Y, already current, or refused
and why (exit 1; the catalog in use is kept), or the source could not be reached (exit 3).
"""

from __future__ import annotations

import argparse
import sys

from kiosk.commands.common import Subparsers, config_from_args, print_json


def register_update(csub: Subparsers) -> None:
    up = csub.add_parser("update", help="check the county's signed catalog now (TUF); import "
                                        "it if it verifies")
    up.add_argument("--from", dest="source", metavar="URL|DIR",
                    help="the update repository: http(s)://… or a folder (a USB stick)")
    up.add_argument("--json", action="store_true")
    up.set_defaults(handler=_update)


def _update(args: argparse.Namespace) -> int:
    from kiosk.sync.sources import configured_source
    from kiosk.sync.update import check_now, source_of

    cfg = config_from_args(args)
    source = source_of(args.source) if args.source else configured_source(cfg)
    if source is None:
        print("kiosk catalog update: no update source: set [catalog].update_url, plug in a "
              "USB drive with the county's repository, or give --from URL|DIR", file=sys.stderr)
        return 2
    result = check_now(cfg, source)
    if args.json:
        print_json(result.to_json())
    else:
        print(result.line())
    if result.ok:
        return 0
    return 3 if result.outcome == "unreachable" else 1
