"""TEMPORARY: the `kiosk print` group, only until kiosk.commands.print_cmd (the receipt
printer's `print guide` / `print test`) lands in main. Then: delete this module, remove it
from kiosk/cli.py COMMAND_MODULES, and add "kiosk.commands.print_form" to print_cmd's
PRINT_MODULES."""

from __future__ import annotations

from typing import Any

from kiosk.commands.print_form import register_print


def register(sub: Any) -> None:
    p = sub.add_parser("print", help="print on the terminal's printers")
    psub = p.add_subparsers(dest="print_command", metavar="WHAT", required=True)
    register_print(psub)
