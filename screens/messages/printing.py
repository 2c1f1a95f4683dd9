"""The A4 preview and printing forms."""

from __future__ import annotations

from screens.messages.common import SORRY

NO_PRINTER = "A4打印机暂时无法使用，" + SORRY
PRINTER_TROUBLE = "打印机出了点问题，"
ZOOM_HINT = "，点页面放大"
ZOOM_OUT_HINT = "，点一下看整页"
