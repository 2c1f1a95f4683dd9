"""Figures for the touchscreen's forms flow: how long the 表格打印 list takes to build (from the
summaries' forms kinds, kiosk/forms/index.py) for catalogs of 1,000 and 10,000 generated items, and
how long one A4 page takes to show: pypdfium2 render on the worker, the RGB → Surface
conversion on the UI thread, and a cache hit. Prints JSON; passes or fails on nothing.

    python bench/bench_forms_ui.py [--runs N] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from machine import machine  # bench/machine.py: the script's own folder

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.generate import generate_document
from kiosk.forms.index import forms_index
from kiosk.forms.pdfgen import build_form
from screens.widgets.pdfpage import FORM_PAGES, page_key, render_page, to_surface

REPO = Path(__file__).resolve().parent.parent


def ms(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {"median_ms": round(statistics.median(s) * 1000, 2),
            "max_ms": round(s[-1] * 1000, 2), "runs": len(s)}


def index_figures(runs: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for n in (1000, 10000):
        doc = generate_document(n)
        times, found = [], 0
        for _ in range(runs):
            catalog = Catalog.from_document(doc)   # a new object: the index is built afresh
            t = time.perf_counter()
            found = len(forms_index(catalog))
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        forms_index(catalog)
        again = time.perf_counter() - t
        out[f"items_{n}"] = {"build": ms(times), "items_with_forms": found,
                             "cached_lookup_us": round(again * 1e6, 1)}
    return out


def page_figures(runs: int, box: tuple[int, int]) -> dict[str, object]:
    import pygame

    pygame.display.init()
    pygame.display.set_mode((1, 1))
    with tempfile.TemporaryDirectory() as tmp:
        pdf = build_form(REPO / "tests/data/forms/T-DBSQ-02.json", Path(tmp))
        render, convert, hit = [], [], []
        for _ in range(runs):
            t = time.perf_counter()
            rendered = render_page(pdf, 0, box)
            render.append(time.perf_counter() - t)
            t = time.perf_counter()
            surface = to_surface(rendered.page)
            convert.append(time.perf_counter() - t)
            key = page_key(pdf, 0, box)
            FORM_PAGES.put(key, rendered.pages, surface)
            t = time.perf_counter()
            FORM_PAGES.get(page_key(pdf, 0, box))
            hit.append(time.perf_counter() - t)
    return {"box_px": list(box), "render_worker": ms(render), "to_surface_ui": ms(convert),
            "cache_hit_ui": ms(hit)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    result = {"machine": machine(), "forms_index": index_figures(args.runs),
              "page_portrait_1080x1920": page_figures(args.runs, (1036, 1400))}
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
