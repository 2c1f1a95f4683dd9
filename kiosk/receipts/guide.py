"""The procedure guide slip (办事指南): what a citizen takes home to come back once with
everything. Who may apply comes first (申请条件: "子女可以代办…"), then the materials as boxes
to tick, because that is what people forget; the common questions at the end.

`large=True` (elder mode) prints every line at double height: the same words per line, twice
as tall (≈6 mm instead of 3 mm on an 80 mm printer)."""

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
from kiosk import plain
from kiosk.catalog.model import Item, Material

ZH_NUM = "一二三四五六七八九十"
QR_CAPTION = "用手机扫码，查看网上办事指南"


class Style:
    """Normal or large print: one place decides the magnification of every line."""

    def __init__(self, large: bool) -> None:
        self.large = large
        self.h = 2 if large else 1

    def text(self, text: str, *, bold: bool = False, align: Align = Align.LEFT,
             indent: int = 0) -> Text:
        return Text(text, height=self.h, bold=bold, align=align, indent=indent)


def material_item(m: Material) -> tuple[str, str]:
    detail = plain.material_counts(m)
    source = plain.material_source(m)
    if source:
        detail += f"。{source}"
    if m.required == "conditional" and m.required_note:
        detail += f"。{m.required_note}"
    return plain.material_name(m), detail


def checklist(items: tuple[tuple[str, str], ...], st: Style) -> list[Block]:
    """Tick boxes; in large print as tall lines (a CheckList block has no magnification)."""
    if not st.large:
        return [CheckList(items)]
    out: list[Block] = []
    for name, detail in items:
        out.append(st.text(f"□ {name}", bold=True, indent=2))
        if detail:
            out.append(st.text(f"  {detail}", indent=2))
    return out


class Sections:
    """Numbered headings (一、二、…) over the sections that have something to say."""

    def __init__(self, st: Style) -> None:
        self.st = st
        self.n = 0
        self.blocks: list[Block] = []

    def add(self, title: str, body: list[Block]) -> None:
        if not body:
            return
        self.blocks += [self.st.text(f"{ZH_NUM[self.n]}、{title}", bold=True), *body, Rule()]
        self.n += 1


def _steps(item: Item, st: Style) -> list[Block]:
    return [st.text(plain.step_line(i, s), indent=len(f"{i}. "))
            for i, s in enumerate(item.steps, 1)]


def _fees(item: Item, st: Style) -> list[Block]:
    if not item.fees.charged or not item.fees.items:
        return [st.text("不收费")]
    return [st.text(f"{f.name}：{f.standard}", indent=2) for f in item.fees.items]


def _limits(item: Item, st: Style) -> list[Block]:
    promised = plain.limit(item.promised_limit)
    if item.promised_limit.note:
        promised += f"（{item.promised_limit.note}）"
    return [st.text(f"承诺：{promised}"), st.text(f"法律规定最长：{plain.limit(item.legal_limit)}"),
            st.text(plain.visits(item), indent=2)]


def _where(item: Item, hall_name: str, st: Style) -> list[Block]:
    blocks: list[Block] = [st.text(f"地点：{item.location or hall_name}", indent=6)]
    if item.hours:
        blocks.append(st.text(f"时间：{item.hours}", indent=6))
    if item.consult_phone:
        blocks.append(st.text(f"咨询电话：{item.consult_phone}"))
    return blocks


def _faq(item: Item, st: Style) -> list[Block]:
    out: list[Block] = []
    for q in item.faq:
        out += [st.text(f"问：{q.question}", bold=True, indent=4),
                st.text(f"答：{q.answer}", indent=4)]
    return out


def _online(item: Item, st: Style) -> list[Block]:
    if not item.guide_url:
        return []
    return [Feed(1), QR(item.guide_url, size=5), st.text(QR_CAPTION, align=Align.CENTER)]


def guide_receipt(item: Item, printed_at: datetime, hall_name: str,
                  width_cols: int, large: bool = False) -> ReceiptDocument:
    """The guide for `item`, as printed at `hall_name` on paper `width_cols` columns wide."""
    st = Style(large)
    # Double width only if the name fits one line: a two-line name broken mid-word reads worse
    # than tall narrow characters.
    name_width = 2 if text_width(item.name) * 2 <= width_cols else 1
    s = Sections(st)
    s.add("哪些人可以办（申请条件）", [st.text(f"· {c}", indent=2) for c in item.conditions])
    s.add("请带齐以下材料", [st.text("备好一项，就在方框里打个勾。"),
                        *checklist(tuple(material_item(m) for m in item.materials), st)])
    s.add("办理步骤", _steps(item, st))
    s.add("多长时间办好", _limits(item, st))
    s.add("收费", _fees(item, st))
    s.add("到哪里办、什么时间", _where(item, hall_name, st))
    s.add("常见问题", _faq(item, st))
    blocks: list[Block] = [
        st.text(hall_name, align=Align.CENTER),
        Text("办事指南", width=2, height=2, bold=True, align=Align.CENTER),
        Text(item.name, width=name_width, height=2, bold=True, align=Align.CENTER),
        st.text(f"事项编码：{item.code}", align=Align.CENTER),
        Rule(),
        *s.blocks,
        *_online(item, st),
        st.text(f"打印时间：{printed_at:%Y-%m-%d %H:%M}"),
        st.text("内容以窗口最新要求为准。"),
        Cut(),
    ]
    return ReceiptDocument(blocks)
