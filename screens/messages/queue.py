"""The queue flow's screens (what the queue itself answers is kiosk/queue/messages.py)."""

from __future__ import annotations

from screens.messages.common import SORRY

CHOOSE = "请选择要办理的业务"
LOADING = "正在查询排队人数…"
NONE_OPEN = "暂时没有可以取号的业务，请到服务窗口咨询。"
CANNOT_TAKE_TITLE = "暂时不能取号"
QUEUE_UNAVAILABLE = "排队系统暂时无法使用，" + SORRY
CARD_NOT_READ_TITLE = "没有读到身份证"
CARD_NEEDED = "办理{service}需要身份证。您可以再试一次，或到服务窗口咨询工作人员。"
TAKE_FAILED_TITLE = "取号没有成功"
TAKE_FAILED = "抱歉，暂时无法取号，请联系大厅工作人员。"
KEEP_TICKET = "请保管好号票，过号请到窗口咨询。"
