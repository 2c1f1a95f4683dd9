"""The visit's own words: home, the idle warning, 结束办理."""

from __future__ import annotations

import datetime as dt

HOME_CHOICES = (("办事指南查询", "查找要带的材料和办理流程"),
                ("排队取号", "取一张排队小票"),
                ("表格打印", "打印空白申请表"),
                ("复印", "复印证件和材料"))
ELDER_OFF = "长者模式 / 大字"
ELDER_OFF_SUB = "字更大，按钮更大"
ELDER_ON = "长者模式（大字）已开启"
ELDER_ON_SHORT = "大字已开启"
ELDER_ON_SUB = "再点一次恢复普通字号"
END_VISIT = "结束办理"
QUEUE_CLOSED_SUB = "现在不是取号时间"
END_VISIT_SUB = "清除我的信息，回到开始"
ENDED_TITLE = "本次办理已结束"
ENDED = "您的信息已经清除。欢迎下次再来！"
IDLE_ASK = "您还在使用吗？"
IDLE_MESSAGE = "后回到首页，并清除本次信息。"
IDLE_CONTINUE = "继续使用"
IDLE_HIDDEN = "为保护您的信息，屏幕内容已暂时遮住。"


WEEKDAYS = "一二三四五六日"


def date_text(now: dt.datetime) -> str:
    """'2026年11月23日 星期一'"""
    return f"{now.year}年{now.month}月{now.day}日 星期{WEEKDAYS[now.weekday()]}"


def idle_seconds(n: int) -> str:
    return f"{n} 秒"
