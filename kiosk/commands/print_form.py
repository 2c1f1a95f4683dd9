"""`kiosk print form CODE FORM [--copies N] [--printer QUEUE]`: print a procedure's blank form
or sample on the A4 printer through CUPS, as the touchscreen does.

`register_print(print_subparsers)` adds `form` to the `print` group (kiosk.commands.print_cmd
lists this module in PRINT_MODULES, which calls `register`, an alias).
Exit codes: 0 printed, 3 the printer refused or failed (the outcome is printed as JSON).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from kiosk.commands.common import Subparsers, config_from_args, print_json


def register_print(psub: Subparsers) -> None:
    f = psub.add_parser("form", help="print a procedure's blank form or sample on the A4 "
                                     "printer (CUPS)")
    f.add_argument("code", help="the item's code in the catalog")
    f.add_argument("form", help="the form's id (see `kiosk show CODE`)")
    f.add_argument("--copies", "-n", type=int, default=1,
                   help="copies (1 to [document_printer] max_copies)")
    f.add_argument("--printer", metavar="QUEUE",
                   help="CUPS queue (default: [document_printer] queue in kiosk.toml)")
    f.set_defaults(handler=_form)


register = register_print


def _form(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import document_printer
    from kiosk.copies.service import check_copies
    from kiosk.forms.service import form_pdf, lookup_item, print_form

    cfg = config_from_args(args)
    check_copies(cfg, args.copies)
    item = lookup_item(cfg, args.code)
    form, path = form_pdf(cfg, item, args.form)
    printer = document_printer(cfg, args.printer).open()
    try:
        status = printer.status()
        if status.citizen_message:
            print(f"kiosk: {status.citizen_message}", file=sys.stderr)
        outcome = print_form(cfg, printer, item, form.id, args.copies)
    finally:
        printer.close()
    print_json({"printer": printer.queue, "form": form.id, "file": str(path),
                "copies": args.copies, **asdict(outcome)})
    return 0 if outcome.ok else 3
