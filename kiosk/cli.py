"""`kiosk …`: the command line's machinery. Each command group lives in its own module (under
kiosk/commands/, screens/commands.py, hall/commands.py …) and registers itself; township/cli.py
lists them (the top layer may import every package); this module builds the parser and turns
errors into clear messages and exit codes.

Exit codes: 0 ok, 1 the command ran and found problems (e.g. an invalid catalog),
2 usage or configuration error, 3 a device or store failure.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from kiosk import __version__
from kiosk.commands.common import Subparsers
from kiosk.errors import KIOSK_ERRORS, ConfigError

Registrar = Callable[[Subparsers], None]
"""Adds one sub-command to the `kiosk` parser (township/cli.py lists them all)."""


def build_parser(commands: Sequence[Registrar]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="乡镇便民服务中心自助终端 — self-service kiosk for township service halls",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", "-c", metavar="FILE",
                        help="kiosk.toml to use (default: $KIOSK_CONFIG, else ./kiosk.toml)")
    parser.add_argument("--log-level", default=None,
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="log level for this command (default: from kiosk.toml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in commands:
        register(sub)
    return parser


def run(commands: Sequence[Registrar], argv: Sequence[str] | None = None) -> int:
    """Parse argv, run the chosen command, and turn errors into messages and exit codes."""
    parser = build_parser(commands)
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

