"""Receipt printing figures: bytes per ticket and guide in text and raster modes, time from
the print request to the last byte decoded by the virtual printer over TCP, and wire time at
115200 baud. Prints JSON; passes or fails on nothing.

    python bench/bench_receipt.py [--runs N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from machine import machine  # bench/machine.py: the script's own folder

from devices.receipt_printer.document import ReceiptDocument
from devices.receipt_printer.escpos_render import ProfileSpec, render
from devices.receipt_printer.printer import ReceiptPrinter
from devices.sim.printer import VirtualPrinter
from kiosk.catalog.model import item_from_dict
from kiosk.receipts.examples import EXAMPLE_SLIP, EXAMPLE_TIME
from kiosk.receipts.guide import guide_receipt
from kiosk.receipts.ticket_layout import ticket_receipt

REPO = Path(__file__).resolve().parent.parent
NOW, SLIP = EXAMPLE_TIME, EXAMPLE_SLIP


def documents(profile: ProfileSpec) -> dict[str, ReceiptDocument]:
    doc = json.loads((REPO / "tests/data/mini-catalog.json").read_text("utf-8"))
    longest = max(doc["items"], key=lambda d: len(d["materials"]) + len(d["steps"]))
    item = item_from_dict({**longest, "guide_url": f"https://example.gov.cn/g/{longest['code']}"})
    long_item = dataclasses.replace(item, materials=item.materials * 5, steps=item.steps * 3)
    return {"ticket": ticket_receipt(SLIP, profile.cols),
            "guide": guide_receipt(item, NOW, SLIP.hall_name, profile.cols),
            "long_guide_20_materials": guide_receipt(long_item, NOW, SLIP.hall_name,
                                                     profile.cols)}


def sizes() -> dict[str, dict[str, int | float]]:
    out: dict[str, dict[str, int | float]] = {}
    for mm in (58, 80):
        for mode, qr in (("gb18030", "native"), ("raster", "image")):
            profile = ProfileSpec(paper_mm=mm, text_mode=mode, qr=qr)
            for name, doc in documents(profile).items():
                start = time.perf_counter()
                n = len(render(doc, profile))
                render_ms = (time.perf_counter() - start) * 1000
                out[f"{name}_{mm}mm_{mode}"] = {
                    "bytes": n, "wire_ms_at_115200": round(n * 10 / 115200 * 1000, 1),
                    "render_ms": round(render_ms, 2)}
    return out


def tcp_latency(runs: int) -> dict[str, dict[str, float]]:
    """Request (print_document called) → the virtual printer has decoded the cut, and the
    whole call (which also waits for the status check after the job)."""
    out: dict[str, dict[str, float]] = {}
    for mode, qr in (("gb18030", "native"), ("raster", "image")):
        profile = ProfileSpec(paper_mm=80, text_mode=mode, qr=qr)
        for name, doc in documents(profile).items():
            with VirtualPrinter(None) as vp:
                printer = ReceiptPrinter(f"tcp://127.0.0.1:{vp.start()}", profile)
                printer.open()
                last_byte, whole = [], []
                for i in range(runs):
                    start = time.perf_counter()
                    assert printer.print_document(doc).ok
                    whole.append(time.perf_counter() - start)
                    last_byte.append(vp.wait_for_receipts(i + 1)[i].decoded_at - start)
                printer.close()
            out[f"{name}_80mm_{mode}"] = {
                "request_to_last_byte_ms_median": round(statistics.median(last_byte) * 1000, 2),
                "print_call_ms_median": round(statistics.median(whole) * 1000, 2),
                "print_call_ms_max": round(max(whole) * 1000, 2)}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    result = {"machine": machine(), "runs": args.runs, "sizes": sizes(),
              "tcp": tcp_latency(args.runs),
              "targets": {"ticket_text_bytes_max": 2048, "guide_text_bytes_max": 8192,
                          "ticket_request_to_last_byte_ms_max": 300}}
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
