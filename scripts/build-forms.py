#!/usr/bin/env python3
"""Build assets/forms/<id>.pdf from every layout in assets/forms/src/*.json.

The PDFs are committed (the kiosk prints them as they are, and a catalog package carries its
own PDFs, so a terminal never needs to build forms); tests/unit/test_forms_assets.py fails when
a PDF is missing or older than its layout (the PDF's subject records the layout's SHA-256).

    python scripts/build-forms.py                  # build what changed
    python scripts/build-forms.py --all            # rebuild everything
    python scripts/build-forms.py --src DIR --out DIR
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOP))

from kiosk.forms.layout import LayoutError  # noqa: E402
from kiosk.forms.pdfgen import build_form, is_up_to_date  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, default=TOP / "assets/forms/src")
    ap.add_argument("--out", type=Path, default=TOP / "assets/forms")
    ap.add_argument("--all", action="store_true", help="rebuild even up-to-date PDFs")
    args = ap.parse_args(argv)
    sources = sorted(args.src.glob("*.json"))
    if not sources:
        print(f"build-forms: no layouts in {args.src}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for src in sources:
        if not args.all and is_up_to_date(src, args.out / f"{src.stem}.pdf"):
            continue
        try:
            pdf = build_form(src, args.out)
        except (LayoutError, json.JSONDecodeError) as exc:
            print(f"build-forms: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"built {pdf}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
