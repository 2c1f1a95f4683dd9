"""The procedure guide slip (办事指南): what a citizen takes home to come back once with
everything. Materials come first, as boxes to tick, because that is what people forget."""

from __future__ import annotations

from datetime import datetime

from devices.receipt_printer.document import (
    QR,
    Align,
    Block,
    CheckList,
    Cut,
    Feed,
    ReceiptDocument,
    Rule,
    Text,
)
from devices.receipt_printer.wrap import text_width
from kiosk.catalog.model import Item, Material

_REQUIRED_NOTE = {"optional": "（如有）", "conditional": "（视情况提供）"}


def _heading(text: str) -> Text:
    return Text(text, bold=True)


def _material(m: Material) -> tuple[str, str]:
    name = m.name + _REQUIRED_NOTE.get(m.required, "")
    detail = m.counts_zh
    if m.paper_spec:
        detail += f"，{m.paper_spec}"
    if m.required == "conditional" and m.required_note:
        detail += f"。{m.required_note}"
    return name, detail


def _steps(item: Item) -> list[Block]:
    blocks: list[Block] = []
    for i, step in enumerate(item.steps, 1):
        line = f"{i}. {step.name}"
        if step.actor:
            line += f"（{step.actor}）"
        if step.time_limit is not None and step.time_limit.value:
            line += f"，{step.time_limit.zh}"
        blocks.append(Text(line, indent=len(f"{i}. ")))
    return blocks


def _fees(item: Item) -> list[Block]:
    if not item.fees.charged or not item.fees.items:
        return [Text("不收费")]
    return [Text(f"{f.name}：{f.standard}", indent=2) for f in item.fees.items]


def _limits(item: Item) -> list[Block]:
    return [Text(f"法定时限：{item.legal_limit.zh}"),
            Text(f"承诺时限：{item.promised_limit.zh}"),
            Text(f"跑动次数：{item.visits_zh}")]


def _where(item: Item, hall_name: str) -> list[Block]:
    blocks: list[Block] = [Text(f"地点：{item.location or hall_name}", indent=6)]
    if item.hours:
        blocks.append(Text(f"时间：{item.hours}", indent=6))
    if item.consult_phone:
        blocks.append(Text(f"咨询电话：{item.consult_phone}"))
    return blocks


def _online(item: Item) -> list[Block]:
    if not item.guide_url:
        return []
    return [Feed(1), QR(item.guide_url, size=5), Text("扫码查看网上办事指南", align=Align.CENTER)]


def guide_receipt(item: Item, printed_at: datetime, hall_name: str,
                  width_cols: int) -> ReceiptDocument:
    """The guide for `item`, as printed at `hall_name` on paper `width_cols` columns wide."""
    # Double width only if the name fits one line: a two-line name broken mid-word reads worse
    # than tall narrow characters.
    name_width = 2 if text_width(item.name) * 2 <= width_cols else 1
    blocks: list[Block] = [
        Text(hall_name, align=Align.CENTER),
        Text("办事指南", width=2, height=2, bold=True, align=Align.CENTER),
        Text(item.name, width=name_width, height=2, bold=True, align=Align.CENTER),
        Text(f"事项编码：{item.code}", align=Align.CENTER),
        Rule(),
        _heading("一、请带齐以下材料"),
        Text("备好一项，就在方框里打个勾。"),
        CheckList(tuple(_material(m) for m in item.materials)),
        Rule(),
        _heading("二、办理步骤"),
        *_steps(item),
        Rule(),
        _heading("三、办理时限"),
        *_limits(item),
        Rule(),
        _heading("四、收费"),
        *_fees(item),
        Rule(),
        _heading("五、办理地点和时间"),
        *_where(item, hall_name),
        *_online(item),
        Rule(),
        Text(f"打印时间：{printed_at:%Y-%m-%d %H:%M}"),
        Text("内容以窗口最新要求为准。"),
        Cut(),
    ]
    return ReceiptDocument(blocks)
