"""`kiosk config check|keys`: validate kiosk.toml; list every key with its documentation."""

from __future__ import annotations

import argparse

from kiosk.commands.common import Subparsers, config_from_args, print_json
from kiosk.config import Config
from kiosk.configschema import document


def register(sub: Subparsers) -> None:
    p = sub.add_parser("config", help="check kiosk.toml, list its keys")
    csub = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = csub.add_parser("check", help="validate kiosk.toml and report every problem")
    check.set_defaults(handler=_check)
    keys = csub.add_parser("keys", help="every key with its type, default and meaning")
    keys.add_argument("--markdown", action="store_true", help="as a Markdown table (README)")
    keys.add_argument("--json", action="store_true")
    keys.set_defaults(handler=_keys)


def _check(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    queue = cfg.queue.server or cfg.path(cfg.queue.hall_config)
    print(f"kiosk.toml OK: hall {cfg.hall.name}, queue {queue}, "
          f"panel {cfg.display.width}x{cfg.display.height} at {cfg.display.dpi:.0f} dpi")
    return 0


def _keys(args: argparse.Namespace) -> int:
    rows = document(Config)
    if args.json:
        print_json([{"key": k, "type": t, "default": d, "doc": doc} for k, t, d, doc in rows])
    elif args.markdown:
        print("| key | type | default | meaning |")
        print("|---|---|---|---|")
        for k, t, d, doc in rows:
            print(f"| `{k}` | {t.replace('|', '/')} | `{d}` | {doc} |")
    else:
        for k, t, d, doc in rows:
            print(f"{k} = {d}\n    {t}. {doc}")
    return 0
