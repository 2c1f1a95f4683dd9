"""The 一件事 slip: one combined checklist for a bundle of items (kiosk/catalog/bundles.py),
on one slip — the order to do them in, where each is done, and every material once, with the
steps that need it; a document an earlier step gives is marked as obtained there."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from devices.receipt_printer.document import Align, Block, Cut, ReceiptDocument, Rule, Text
from devices.receipt_printer.wrap import text_width
from kiosk.catalog.bundles import Bundle, combined_checklist
from kiosk.catalog.model import Item
from kiosk.receipts.guide import Style, checklist


def bundle_receipt(bundle: Bundle, items: Sequence[Item], printed_at: datetime,
                   hall_name: str, width_cols: int, large: bool = False) -> ReceiptDocument:
    st = Style(large)
    name_width = 2 if text_width(bundle.name) * 2 <= width_cols else 1
    blocks: list[Block] = [
        st.text(hall_name, align=Align.CENTER),
        Text(bundle.name, width=name_width, height=2, bold=True, align=Align.CENTER),
        st.text("材料清单（几件事合在一张）", align=Align.CENTER),
    ]
    if bundle.summary:
        blocks.append(st.text(bundle.summary))
    blocks += [Rule(), st.text("一、按这个顺序办", bold=True)]
    for n, (step, item) in enumerate(zip(bundle.steps, items, strict=True), 1):
        blocks.append(st.text(f"{n}. {item.name}", bold=True, indent=3))
        if step.note:
            blocks.append(st.text(f"   {step.note}", indent=3))
        if item.location:
            blocks.append(st.text(f"   地点：{item.location}", indent=3))
    entries = combined_checklist(bundle, items)
    bring = [e for e in entries if not e.given_by]
    given = [e for e in entries if e.given_by]
    blocks += [Rule(), st.text("二、请带齐这些材料（每样只列一次）", bold=True),
               st.text("备好一项，就在方框里打个勾。")]
    blocks += checklist(tuple((e.name + ("（视情况提供）" if e.conditional else ""), e.detail)
                              for e in bring), st)
    if given:
        blocks += [Rule(), st.text("三、办的过程中会拿到，不用另带", bold=True)]
        blocks += [st.text(f"· {e.name}：{e.detail}", indent=2) for e in given]
    blocks += [Rule(), st.text(f"打印时间：{printed_at:%Y-%m-%d %H:%M}"),
               st.text("每件事的详细要求，可以在自助机上查看或打印它的办事指南。"),
               st.text("内容以窗口最新要求为准。"), Cut()]
    return ReceiptDocument(blocks)
