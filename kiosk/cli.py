"""`kiosk …`: the command line. Each command group lives in its own module under
kiosk/commands/ and registers itself; this module only assembles them and turns errors into
clear messages and exit codes.

Exit codes: 0 ok, 1 the command ran and found problems (e.g. an invalid catalog),
2 usage or configuration error, 3 a device or store failure.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.errors import KIOSK_ERRORS, ConfigError

# Each module exposes `register(subparsers)`. Modules import heavy dependencies (pygame,
# pyserial, escpos) inside their handlers, so `kiosk --help` and `kiosk search` stay fast.
COMMAND_MODULES = [
    "kiosk.commands.run",
    "kiosk.commands.screenshots",
    "kiosk.commands.config",
    "kiosk.commands.demo",
    "kiosk.commands.sim",
    "kiosk.commands.admin",
    "kiosk.commands.catalog",
    "kiosk.commands.show",
    "kiosk.commands.search",
    "kiosk.commands.print_cmd",
    "kiosk.commands.card",
    "kiosk.commands.ticket",
    "kiosk.commands.copy",
    "kiosk.commands.forms",
    "kiosk.commands.doctor",
    "kiosk.commands.county",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="乡镇便民服务中心自助终端 — self-service kiosk for township service halls",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", "-c", metavar="FILE",
                        help="kiosk.toml to use (default: $KIOSK_CONFIG, ./kiosk.toml, "
                             "or the repository's)")
    parser.add_argument("--log-level", default=None,
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="log level for this command (default: from kiosk.toml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.log_level:
        logging.basicConfig(level=args.log_level, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except ConfigError as exc:
        print(f"kiosk: configuration error: {exc}", file=sys.stderr)
        return 2
    except KIOSK_ERRORS as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `kiosk search … | head`: the reader left; stop quietly, as Unix tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
