"""排队取号: every line the queue flow shows (the queue's own refusals are in
kiosk/queue/messages.py, shared with the command line)."""

from __future__ import annotations

import datetime as dt

from kiosk.queue.model import Ticket, TicketState
from kiosk.queue.service import ServiceStatus

TITLE = "排队取号"
NOT_CONNECTED = "未连接"
CHOOSE = "请选择要办理的业务"
LOADING = "正在查询排队人数…"
NONE_OPEN = "暂时没有可以取号的业务，请到服务台咨询。"
QUEUE_DOWN_TITLE = "暂时不能取号"
QUEUE_DOWN = "排队系统暂时无法使用，请到服务台咨询，给您添麻烦了。"
NOT_TAKEN_TITLE = "取号没有成功"
NOT_TAKEN = "抱歉，暂时无法取号，请到服务台找工作人员。"
NO_CARD_TITLE = "没有读到身份证"
PRINTING_TITLE = "正在打印号票"
PRINTING = "请稍候，打印好后请从出纸口取走。"
CONFIRM_TITLE = "确认取号"
CONFIRM_YES = "确认取号"
PRIORITY_TITLE = "优先照顾"
PRIORITY_ASK = "请选择您的情况。取号后请向工作人员出示相关证件，由工作人员核验。"
PRIORITY_NONE = "不需要"
PRIORITY_BUTTON = "需要优先照顾？（老年人、残疾人等）"
CLOSED_TITLE = "现在不能取这个号"
CHECKING_TITLE = "正在查询"
CHECKING = "正在查看您今天是否已经取过这项业务的号，请稍候…"
HOLDING_TITLE = "您已经取过号了"
REPRINT_HINT = "号票丢失了也不要紧，请到服务台请工作人员补打，号码不变。"
# the ticket on screen
TAKE_SLIP = "请取走您的号票"
INCOMPLETE_TITLE = "小票可能没有打全"
TAKE_CARD = "请取回您的身份证"
TAKE_CARD_HINT = "身份证还在感应区上，请拿走。"
TAKE_CARD_SPOKEN = "请取回您的身份证。"
KEEP_SLIP = "请保管好号票。过号或号票丢失，请到服务台找工作人员补打。"
DONE = "完成"


def printer_down(words: str) -> str:
    """The receipt printer cannot print a ticket: said before anyone chooses a service."""
    why = "没纸了" if "纸" in words else "暂时无法使用"
    return (f"号票打印机{why}，现在不能在这里取号，给您添麻烦了。"
            f"请到服务台请工作人员帮您取号。")


def printer_down_sub() -> str:
    return "暂时不能出号票，请到服务台取号"


def sublabel(s: ServiceStatus) -> str:
    if not s.available:
        return s.note or f"办理时间 {s.hours_text}"
    card = "，需带身份证" if s.requires_id else ""
    return f"等候 {s.waiting} 人，{s.wait_text}{card}"


def next_opening(hours_text: str, now: dt.datetime) -> str | None:
    """'14:00' — the next start of an opening period later today, else None."""
    hhmm = now.strftime("%H:%M")
    starts = [p.split("-")[0].strip() for p in hours_text.split("、") if "-" in p]
    later = sorted(s.zfill(5) for s in starts if s.zfill(5) > hhmm)
    return later[0].lstrip("0") if later else None


def closed_text(s: ServiceStatus, now: dt.datetime) -> str:
    """Why a greyed service cannot be taken now, and when it can."""
    if s.is_open:                         # open but no numbers left
        return f"{s.name}今天的号已经取完了，请明天再来，或到服务台咨询。"
    if s.note and "暂停" in s.note:
        return f"{s.name}今天暂停取号，请到服务台咨询。"
    nxt = next_opening(s.hours_text, now)
    starts = [p.split("-")[0].strip().lstrip("0") for p in s.hours_text.split("、") if "-" in p]
    if nxt:
        return f"现在不是{s.name}的办理时间，请在 {nxt} 以后取号。（办理时间：{s.hours_text}）"
    first = starts[0] if starts else ""
    tomorrow = f"请明天 {first} 以后再来取号。" if first else "请改天再来取号。"
    return f"今天{s.name}的办理时间已过，{tomorrow}（办理时间：{s.hours_text}）"


def confirm_text(s: ServiceStatus, holder: str, declared: str) -> str:
    who = f"\n持证人：{holder}" if holder else ""
    pri = f"\n优先：{declared}（待工作人员核验）" if declared else ""
    return f"业务：{s.prefix} {s.name}\n前面等候：{s.waiting} 人，{s.wait_text}{who}{pri}"


def card_purpose(name: str) -> str:
    return f"{name} 取号"


def needs_card(name: str) -> str:
    return f"办理{name}需要身份证。您可以再试一次，或到服务台咨询工作人员。"


def holding_text(name: str, t: Ticket, wait_text: str, where: str) -> str:
    """Said before 确认 to a person who already holds this service's number: which one, how
    many are ahead of it now (not counting the person), and that staff reprint a lost slip."""
    head = f"您已经取过{name}的号，号码是 {t.number}。"
    if t.state in (TicketState.CALLED, TicketState.SERVING):
        window = f"{t.window}号窗口" if t.window else "窗口"
        return f"{head}\n已经叫到您的号了，请到{window}办理。"
    if t.people_ahead:
        ahead = f"现在前面还有 {t.people_ahead} 人，预计等候{wait_text}。"
    else:
        ahead = "现在前面没有人等候，请留意叫号。"
    place = f"请到{where}等候叫号。" if where else ""
    return f"{head}\n{ahead}{place}\n{REPRINT_HINT}"


def chosen_priority(declared: str) -> str:
    return f"已选：{declared}优先（取号后请向工作人员出示证件）"


def ticket_lines(name: str, ahead: int, wait_text: str, priority: str, where: str) -> list[str]:
    head = f"前面还有 {ahead} 人，预计等候{wait_text}" if ahead else "前面没有人等候，请留意叫号"
    out = [name, head]
    if priority:
        out.append(priority)
    if where:
        out.append(f"请到{where}等候叫号")
    out.append(KEEP_SLIP)
    return out


def back_home_in(seconds: int) -> str:
    return f"{seconds} 秒后自动回到首页"


def home_closed(hours: str, phone: str) -> str:
    """What the home screen says when no service takes numbers now."""
    return f"排队取号现在不是办理时间。办理时间：{hours}；咨询电话：{phone}"
