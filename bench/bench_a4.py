#!/usr/bin/env python3
"""Figures for forms and copies (never pass/fail): building a form PDF (font subsetting vs.
drawing), rendering a preview page at panel width, laying out an ID copy, and a print job's
turnaround through a private cupsd when one can run here.

    python bench/bench_a4.py            # prints JSON, with the machine it ran on
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOP))

from PIL import Image  # noqa: E402

from kiosk.copies.idcopy import idcard_copy_pdf  # noqa: E402
from kiosk.forms import fonts  # noqa: E402
from kiosk.forms.layout import load_layout  # noqa: E402
from kiosk.forms.pdfgen import build_form  # noqa: E402
from kiosk.forms.preview import PdfPreview  # noqa: E402

LAYOUT = TOP / "tests/data/forms/T-DBSQ-02.json"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ms(fn: Callable[[], object], n: int) -> dict[str, float]:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return {"median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
            "runs": n}


def _cups_turnaround(pdf: Path) -> dict[str, float] | str:
    from devices.document_printer.cups import CupsPrinter
    from tests.support.cups_env import CupsServer

    reason = CupsServer.unavailable()
    if reason:
        return f"skipped: {reason}"
    server = CupsServer().start()
    try:
        printer = CupsPrinter(server.add_queue(), server=str(server.socket), poll_s=0.02).open()
        return _ms(lambda: printer.print_file(pdf, 1), 5)
    finally:
        server.stop()


def main() -> None:
    layout = load_layout(LAYOUT)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subset = _ms(lambda: fonts.truetype_subset(fonts.FontFace(fonts.REGULAR),
                                                    layout.text()), 3)
        build = _ms(lambda: build_form(LAYOUT, out), 3)
        pdf = out / f"{layout.id}.pdf"
        with PdfPreview(pdf) as preview:
            render = _ms(lambda: preview.render(0, width_px=1080), 10)
        card = out / "card.png"
        Image.new("RGB", (1011, 638), (200, 180, 160)).save(card)  # 300 dpi card
        idcopy = _ms(lambda: idcard_copy_pdf(card, card), 5)
        figures = {
            "machine": {"cores": os.cpu_count(), "cpu": _cpu(),
                        "python": platform.python_version()},
            "font_subset_one_face": subset,
            "form_pdf_build_2_pages": build,
            "preview_render_page_1080px": render,
            "idcopy_pdf_300dpi": idcopy,
            "cups_job_turnaround_1_page_private_cupsd": _cups_turnaround(pdf),
        }
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
