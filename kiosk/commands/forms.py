"""`kiosk forms check|install|build`: the catalog's form PDFs.

  check            every form the current catalog names has a PDF in [catalog] forms_dir that
                   opens, is A4 and has the page count the catalog states (exit 1 otherwise)
  install DIR      copy a catalog's own forms (DIR/*.pdf) into forms_dir, all or nothing
  build SRC OUT    build PDFs from layout descriptions (as scripts/build-forms.py)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.commands.common import Subparsers, config_from_args, print_json


def register(sub: Subparsers) -> None:
    p = sub.add_parser("forms", help="check, install or build the catalog's form PDFs")
    fsub = p.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    c = fsub.add_parser("check", help="every form in the catalog has a usable A4 PDF")
    c.set_defaults(handler=_check)
    i = fsub.add_parser("install", help="install a catalog's form PDFs (all or nothing)")
    i.add_argument("dir", type=Path, help="folder of PDF files (e.g. a catalog's forms/)")
    i.set_defaults(handler=_install)
    b = fsub.add_parser("build", help="build PDFs from layout descriptions (*.json)")
    b.add_argument("src", type=Path, help="folder of layouts, e.g. assets/forms/src")
    b.add_argument("out", type=Path, help="where the PDFs go, e.g. assets/forms")
    b.set_defaults(handler=_build)


def _check(args: argparse.Namespace) -> int:
    from kiosk.catalog import open_catalog
    from kiosk.forms.files import check_forms

    cfg = config_from_args(args)
    catalog = open_catalog(cfg)
    items = (catalog.get(s.code) for s in catalog)
    problems = check_forms(cfg, items)
    for p in problems:
        print(p)
    print(f"forms: {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def _install(args: argparse.Namespace) -> int:
    from kiosk.forms.files import install_forms

    cfg = config_from_args(args)
    print_json([str(p) for p in install_forms(args.dir, cfg)])
    return 0


def _build(args: argparse.Namespace) -> int:
    from kiosk.forms.layout import LayoutError
    from kiosk.forms.pdfgen import build_form

    sources = sorted(args.src.glob("*.json"))
    if not sources:
        print(f"kiosk: no layouts (*.json) in {args.src}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for src in sources:
        try:
            print(build_form(src, args.out))
        except LayoutError as exc:
            print(f"kiosk: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0
