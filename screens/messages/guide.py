"""办事指南 on screen: headings and plain words (kiosk/plain.py holds the catalog terms said
plainly, shared with the printed guide)."""

from __future__ import annotations

from kiosk import plain
from kiosk.catalog.model import Item, Material, Step
from screens.messages.common import SORRY

TITLE = "办事指南"
WHERE_WHEN = "在哪里办、什么时候办"
CONDITIONS = "哪些人可以办（申请条件）"
STEPS = "办理流程"
LIMITS = "多长时间办好"
FEES = "收费"
NO_FEE = "不收费"
FEE_ASK = "收费，标准请到服务台咨询"
LEVELS = "谁收材料、谁批准"
FAQ = "常见问题"
PRINT_GUIDE = "打印办事指南"
PRINT_GUIDE_SUB = "带走材料清单"
PRINT_FORMS = "打印表格"
NO_FORMS = "本事项无需表格"
TAKE_TICKET = "去取号"
RECEIPT_DOWN_SUB = "凭条打印机暂时不能用"
RECEIPT_DOWN_TITLE = "暂时不能打印"
MISSING_TITLE = "没有找到这个事项"
MISSING = "这个事项可能已经调整，请重新查找，或到服务台咨询工作人员。"
BASIS_OPEN = "设定依据（点此收起 ▲）"
BASIS_CLOSED = "设定依据（点此展开 ▼）"


def updated(when: str) -> str:
    return f"办事指南更新于 {when}"


def materials_heading(n: int) -> str:
    return f"需要带的材料（共{n}项）"


def forms_sub(n: int) -> str:
    return f"共{n}份"


def take_ticket_sub(service: str, window: str) -> str:
    return f"{service}（{window}）" if window else service


def take_ticket_row(where: str) -> str:
    return f"{TAKE_TICKET}：{where}"


def receipt_down(words: str) -> str:
    why = "没纸了" if "纸" in words else "暂时无法使用"
    return (f"凭条打印机{why}，现在打印不了办事指南，给您添麻烦了。"
            f"请到服务台索取，或用手机拍下这一页。")


def badges(item: Item) -> str:
    """'最多来一次：材料带齐，来一次就能办完  ·  承诺：当场办好' — no 零跑动/承诺即办 jargon."""
    promised = plain.limit(item.promised_limit)
    return f"{plain.visits(item)}  ·  承诺：{promised}"


def where_when(item: Item) -> list[str]:
    return [f"办理地点：{item.location}", f"办理时间：{item.hours}",
            f"咨询电话：{item.consult_phone}"]


REQUIRED = {"required": "必须带", "optional": "有就带上", "conditional": "视情况提供"}


def material_lines(i: int, m: Material) -> list[str]:
    """Name, counts (what citizens check), who gives it, then notes."""
    lines = [f"{i}. {m.name}（{REQUIRED.get(m.required, m.required)}）", plain.material_counts(m)]
    source = plain.material_source(m)
    if source:
        lines.append(source)
    lines += [note for note in (m.required_note, m.fill_note) if note]
    return lines


def step_lines(mark: str, s: Step) -> list[str]:
    """'① 受理' then '镇民政窗口，当场办' — no 乡镇(街道) level code, no 时限：即办."""
    lines = [f"{mark} {s.name}"]
    when = ("当场办" if s.time_limit.value == 0 else f"{s.time_limit.zh}内") \
        if s.time_limit is not None else ""
    details = "，".join(x for x in (s.actor, when) if x)
    if details:
        lines.append(details)
    if s.description:
        lines.append(s.description)
    return lines


def fee_line(name: str, standard: str, reducible: bool) -> str:
    return f"{name}：{standard}" + ("（可以减免）" if reducible else "")


PLACES = {"村(社区)": "村里（社区）", "乡镇(街道)": "镇上", "县级": "县里", "市级": "市里",
          "省级": "省里"}
"""The catalog's level names (乡镇(街道), 县级) as a farmer says them."""


def levels(accept: str, review: str, approve: str) -> list[str]:
    """Who takes the papers in, who checks them, who decides — '镇上收材料', '县里批准' (not
    '在乡镇(街道)受理', '由县级审批')."""
    out = [f"{PLACES.get(accept, accept)}收材料"]
    if review:
        out.append(f"{PLACES.get(review, review)}审核")
    if approve:
        out.append(f"{PLACES.get(approve, approve)}批准")
    return out


def question(text: str) -> str:
    return f"问：{text}"


def answer(text: str) -> str:
    return f"答：{text}"


def limits(item: Item) -> list[str]:
    promised = plain.limit(item.promised_limit) + (
        f"（{item.promised_limit.note}）" if item.promised_limit.note else "")
    return [f"承诺：{promised}", f"法律规定最长：{plain.limit(item.legal_limit)}"]


# From the first move of the words out of the screens (house, issue 12).
PRINTING_TITLE = "正在打印办事指南"
PRINTING = "请稍候，打印好后请从出纸口取走。"
PRINTED_TITLE = "打印好了"
PRINTED = "请从出纸口取走您的办事指南，材料清单在上面，可逐项打勾。"
NOT_PRINTED_TITLE = "没有打印出来"
CANNOT_PRINT_TITLE = "暂时不能打印"
NO_RECEIPT_PRINTER = "凭条打印机暂时无法使用，" + SORRY
PRINTER_UNAVAILABLE = "打印机暂时无法使用，" + SORRY
PRINTER_TROUBLE = "打印机出了点问题，" + SORRY
