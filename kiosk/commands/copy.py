"""`kiosk copy idcard` and `kiosk copy document [--pages N]`: the copy flows of the
touchscreen, from the command line (field checks, the demo): check the printer, scan through
SANE, lay out on A4, print through CUPS, shred the scans.

Prompts go to stderr and wait for Enter unless --yes; the outcome is printed as JSON.
Exit codes: 0 printed, 3 the scanner or printer failed (the citizen's message is shown).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING

from kiosk.commands.common import Subparsers, config_from_args, print_json
from kiosk.errors import citizen_message_of

if TYPE_CHECKING:
    from kiosk.copies.service import CopyJob


def register(sub: Subparsers) -> None:
    p = sub.add_parser("copy", help="copy an ID card or a document (scanner + A4 printer)")
    csub = p.add_subparsers(dest="copy_command", metavar="WHAT", required=True)
    i = csub.add_parser("idcard", help="ID card copy: front and back at true size on one A4")
    d = csub.add_parser("document", help="document copy: one or more pages")
    d.add_argument("--pages", type=int, default=1, help="pages to scan (default 1)")
    for sp in (i, d):
        sp.add_argument("--copies", "-n", type=int, default=1,
                        help="copies (1 to [document_printer] max_copies)")
        sp.add_argument("--printer", metavar="QUEUE",
                        help="CUPS queue (default: [document_printer] queue in kiosk.toml)")
        sp.add_argument("--yes", "-y", action="store_true",
                        help="do not wait for Enter before each scan")
    i.set_defaults(handler=_idcard)
    d.set_defaults(handler=_document)


def _prompt(args: argparse.Namespace, text: str) -> None:
    print(text, file=sys.stderr)
    if not args.yes:
        input("按回车键开始扫描 (Enter) ")


def _run(args: argparse.Namespace, what: str,
         scan_and_build: Callable[[CopyJob], bytes]) -> int:
    from devices.errors import DeviceError
    from kiosk.bootstrap import document_printer, scanner
    from kiosk.copies.service import CopyJob, check_copies

    cfg = config_from_args(args)
    check_copies(cfg, args.copies)
    printer = document_printer(cfg, args.printer).open()
    status = printer.status()
    if not status.ready:
        print_json({"ok": False, "detail": f"PRINTER_{status.state.upper()}",
                    "message": status.citizen_message, "printer": printer.queue})
        return 3
    scan = scanner(cfg).open()
    job = CopyJob(cfg, scan, printer)
    try:
        pdf = scan_and_build(job)
        outcome = job.print_pdf(pdf, args.copies, what)
    except DeviceError as exc:
        print_json({"ok": False, "detail": str(exc), "message": citizen_message_of(exc)})
        return 3
    finally:
        job.wipe()
        scan.close()
        printer.close()
    print_json({"printer": printer.queue, "copies": args.copies, **asdict(outcome)})
    return 0 if outcome.ok else 3


def _idcard(args: argparse.Namespace) -> int:
    def build(job: CopyJob) -> bytes:
        _prompt(args, "请把身份证【正面】（有照片的一面）朝下，放在扫描仪玻璃的左上角。")
        job.scan_card("front")
        _prompt(args, "请把身份证翻过来，【国徽面】朝下，放在同一位置。")
        job.scan_card("back")
        pdf: bytes = job.idcard_pdf()
        return pdf

    return _run(args, "身份证复印件", build)


def _document(args: argparse.Namespace) -> int:
    if args.pages < 1:
        print("kiosk: --pages must be at least 1", file=sys.stderr)
        return 2

    def build(job: CopyJob) -> bytes:
        for n in range(1, args.pages + 1):
            _prompt(args, f"请把第 {n} 页（共 {args.pages} 页）正面朝下，放在扫描仪玻璃的左上角。")
            job.scan_page()
        pdf: bytes = job.document_pdf()
        return pdf

    return _run(args, "文件复印件", build)
