"""What the hall service says to people (staff at a window, a kiosk's citizen), in plain
Chinese; the engineer-facing `detail` travels beside it."""

from __future__ import annotations

from typing import Any

from kiosk.queue.model import Refusal

CONFLICT = {
    "window_busy": "还有一位（{number}）没有办完，请先完成或过号。",
    "nobody_waiting": "现在没有人等候。",
    "too_soon": "刚刚呼叫过，请{retry_after_s}秒后再重呼。",
    "window_in_use": "这个窗口已由工号 {holder} 登录，请先在那里退出。",
    "staff_elsewhere": "您已在{window}号窗口登录，请先在那里退出。",
    "window_paused": "窗口已暂停，请先恢复服务。",
    "no_ticket": "当前没有正在办理的号。",
    "forbidden": "您没有在这个窗口登录，不能操作。",
    "bad_request": "这个操作不能办理，请核对后再试。",
    "conflict": "这个号的状态已经变了，请刷新后再试。",
}

REFUSAL = {
    Refusal.CLOSED: "现在不是这项业务的办理时间。",
    Refusal.PAUSED: "这项业务今天暂停取号。",
    Refusal.DAILY_LIMIT: "这项业务今天的号已经取完了。",
    Refusal.NUMBERS_EXHAUSTED: "这项业务今天的号已经取完了。",
    Refusal.PERSON_WAITING: "您已经取过这项业务的号，还在等候中。",
    Refusal.PERSON_DAILY_LIMIT: "您今天取这项业务的号已达到上限。",
    Refusal.NEEDS_CARD: "这项业务需要身份证。",
}

UNAVAILABLE = "叫号系统暂时连不上数据库，请稍候再试；已经取到的号都有效。"
NOT_FOUND = "没有找到，请核对后再试。"
BAD_REQUEST = "请求不完整，请刷新页面后再试。"
FORBIDDEN_ROLE = "这个操作需要大厅负责人登录。"


def conflict(code: str, info: dict[str, Any]) -> str:
    text = CONFLICT.get(code, CONFLICT["conflict"])
    try:
        return text.format(**info)
    except (KeyError, IndexError):
        return CONFLICT["conflict"]
