"""Render the guide, the ticket and the test page for 58 and 80 mm paper in each text mode,
through the renderer and the virtual printer's decoder, as PNGs to look at.

    python scripts/receipt-previews.py OUT_DIR [CATALOG_JSON [ITEM_CODE]]
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devices.receipt_printer.escpos_render import ProfileSpec, render
from devices.sim.escpos_decode import Decoder
from devices.sim.paper import receipt_png
from kiosk.catalog.model import item_from_dict
from kiosk.receipts.examples import EXAMPLE_SLIP, EXAMPLE_TIME
from kiosk.receipts.guide import guide_receipt
from kiosk.receipts.testpage import test_page
from kiosk.receipts.ticket_layout import ticket_receipt

REPO = Path(__file__).resolve().parent.parent
NOW, SLIP = EXAMPLE_TIME, EXAMPLE_SLIP


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    catalog = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "tests/data/mini-catalog.json"
    items = json.loads(catalog.read_text(encoding="utf-8"))["items"]
    code = sys.argv[3] if len(sys.argv) > 3 else max(items, key=lambda i: len(i["materials"]))[
        "code"]
    item = item_from_dict(next(i for i in items if i["code"] == code))
    if not item.guide_url:   # show the QR block too
        item = dataclasses.replace(item, guide_url=f"https://example.gov.cn/guide/{item.code}")
    for mm in (58, 80):
        for mode, qr in (("gb18030", "native"), ("raster", "image")):
            profile = ProfileSpec(paper_mm=mm, text_mode=mode, qr=qr)
            docs = {"guide": guide_receipt(item, NOW, SLIP.hall_name, profile.cols),
                    "ticket": ticket_receipt(SLIP, profile.cols),
                    "testpage": test_page(f"preview-{mm}", profile, SLIP.hall_name, NOW)}
            for name, doc in docs.items():
                data = render(doc, profile)
                dec = Decoder(cols=profile.cols)
                receipt = dec.feed(data)[0]
                path = out / f"{name}-{mm}mm-{mode}.png"
                receipt_png(receipt, profile.dots).save(path)
                print(f"{path}  {len(data)} bytes  auto-wraps={dec.auto_wraps}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
