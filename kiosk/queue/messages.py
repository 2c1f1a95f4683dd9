"""Every line the queue says to a citizen, in one place: plain, polite Simplified Chinese."""

from __future__ import annotations

from kiosk.queue.model import Priority, Refusal, ServiceView, Ticket

GENERIC = "抱歉，暂时无法取号，请联系大厅工作人员。"
STORE_UNAVAILABLE = "取号系统暂时无法使用，请联系大厅工作人员。"
TICKET_NOT_FOUND = "没有找到这张号票，请联系大厅工作人员。"
NUMBER_NOT_FOUND = "没有找到这个号，请核对号码。"
NOT_NOW = "这个操作现在不能办理，请刷新后再试。"
CANNOT_VOID = "这个号不能作废。"
CANNOT_REPRINT = "这个号已失效，不能补打。"
UNKNOWN_SERVICE = "没有这项业务，请返回重新选择。"
BUSY = "正在为您出票，请稍候。"
TAKE_SLIP = "请取走您的号票。"
FULL_NOTE = "今日号已取完"
PAUSED_NOTE = "今日暂停取号"


def hours_text(svc: ServiceView) -> str:
    return "、".join(svc.hours)


def closed_note(svc: ServiceView) -> str:
    if svc.override is False:
        return PAUSED_NOTE
    return f"办理时间 {hours_text(svc)}"


def needs_card(svc: ServiceView) -> str:
    return f"办理{svc.name}需要身份证，请将身份证放在感应区后再取号。"


def refusal(reason: Refusal, svc: ServiceView) -> str:
    n = svc.name
    texts = {
        Refusal.PAUSED: f"{n}今天暂停取号，请咨询大厅工作人员。",
        Refusal.CLOSED: f"{n}现在不能取号（办理时间 {hours_text(svc)}），请在办理时间内再来。",
        Refusal.DAILY_LIMIT: f"{n}今天的号已经取完了，请明天再来，或咨询大厅工作人员。",
        Refusal.NUMBERS_EXHAUSTED: f"{n}今天的号已经取完了，请明天再来，或咨询大厅工作人员。",
        Refusal.PERSON_WAITING: f"您已经取过{n}的号，还在等候中，请留意叫号。",
        Refusal.PERSON_DAILY_LIMIT: f"您今天取{n}的号已达到上限（{svc.per_person_daily_limit}"
                                    f"次），如有需要请咨询大厅工作人员。",
        Refusal.NEEDS_CARD: needs_card(svc),
    }
    return texts.get(reason, GENERIC)


ASK_STAFF = "，请联系大厅工作人员。"


def _head(printer_message: str) -> str:
    """The printer's own reason; its messages end by asking for staff too: said once."""
    head = printer_message or "打印机暂时无法出票。"
    if head.endswith(ASK_STAFF):
        head = head[:-len(ASK_STAFF)] + "。"
    return head


def print_failed(printer_message: str, voided: bool = True) -> str:
    """Nothing came out of the printer: the reason, then what happened to the number."""
    tail = ("这次取号没有成功，号码已作废，请联系大厅工作人员。" if voided
            else "这次没有打印出来，请联系大厅工作人员。")
    return f"{_head(printer_message)}{tail}"


def priority_label(ticket: Ticket) -> str:
    if ticket.priority is Priority.AGE:
        return f"{ticket.declared or '老年人'}优先"
    if ticket.priority is Priority.DECLARED:
        return f"{ticket.declared}优先（待工作人员核验）"
    return ""


KEEP_SLIP = "如果小票已经打出，请保留并告诉工作人员。"


def slip_may_exist(cause: str, number: str) -> str:
    """The print failed after the number was sent: the number stays valid."""
    head = "打印机没纸了" if "REC_EMPTY" in cause else "打印机出了点问题"
    return f"{head}，小票可能没有打全。您的号码 {number} 仍然有效，请记下号码。{KEEP_SLIP}"
