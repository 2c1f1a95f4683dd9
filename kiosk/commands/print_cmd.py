"""`kiosk print …`: print on the terminal's printers from the command line (field checks,
the demo). This module owns the `print` group and its receipt subcommands; other modules add
theirs by being listed in PRINT_MODULES (imported statically) and exposing
`register(print_subparsers)`.

Exit codes: 0 printed, 3 the printer refused or failed (the outcome is printed as JSON).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from devices.outcome import JobOutcome
from kiosk.catalog.model import Item
from kiosk.commands import print_form
from kiosk.commands.common import Subparsers, config_from_args, print_json
from kiosk.config import Config

PRINT_MODULES = (print_form,)   # `kiosk print form` (A4)


def register(sub: Subparsers) -> None:
    p = sub.add_parser("print", help="print a guide or test page (receipt printer), or a form (A4)")
    psub = p.add_subparsers(dest="print_command", metavar="WHAT", required=True)
    g = psub.add_parser("guide", help="print the procedure guide of one item (e.g. T-0001)")
    g.add_argument("code", help="the item's code in the catalog")
    g.add_argument("--printer", metavar="URL",
                   help="receipt printer URL (default: [receipt_printer] url in kiosk.toml)")
    g.set_defaults(handler=_guide)
    t = psub.add_parser("test", help="print the receipt printer's test page")
    t.add_argument("--printer", metavar="URL",
                   help="receipt printer URL (default: [receipt_printer] url in kiosk.toml)")
    t.set_defaults(handler=_test)
    for module in PRINT_MODULES:
        module.register(psub)


def load_item(cfg: Config, code: str) -> Item:
    """The catalog item `code`, from the same catalog the screens show (kiosk.lookup: the
    store once it exists, else the seed document). Raises ItemNotFound / CatalogError."""
    from kiosk.lookup import load_catalog

    return load_catalog(cfg).get(code)


def _report(outcome: JobOutcome) -> int:
    print_json(asdict(outcome))
    return 0 if outcome.ok else 3


def _guide(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_receipt_printer
    from kiosk.receipts.service import print_guide

    cfg = config_from_args(args)
    item = load_item(cfg, args.code)
    printer = open_receipt_printer(cfg, args.printer, probe=False)
    try:
        return _report(print_guide(printer, item, cfg))
    finally:
        printer.close()


def _test(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_receipt_printer
    from kiosk.receipts.service import print_test_page

    cfg = config_from_args(args)
    printer = open_receipt_printer(cfg, args.printer, probe=False)
    try:
        return _report(print_test_page(printer, cfg))
    finally:
        printer.close()
