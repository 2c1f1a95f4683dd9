"""The ID card prompt."""

from __future__ import annotations

PROMPT = "请将身份证放在感应区"
HINT = "身份证平放在下方的感应区上，读好之前请不要拿开。如果已经放上了，请拿起来再放一次。"
OFFLINE_TITLE = "暂时不能读取身份证"
UNAVAILABLE = "身份证阅读器暂时无法使用，请到服务窗口办理，给您添麻烦了。"
RETRY = "没有读出来，请把身份证拿起来，再平放一次。"
