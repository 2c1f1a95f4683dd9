"""The guide screen and printing a guide on the receipt printer."""

from __future__ import annotations

from screens.messages.common import SORRY

ITEM_GONE_TITLE = "没有找到这个事项"
ITEM_GONE = "这个事项可能已经调整，请重新查找，或到服务窗口咨询工作人员。"
PRINTING_TITLE = "正在打印办事指南"
PRINTING = "请稍候，打印好后请从出纸口取走。"
PRINTED_TITLE = "打印好了"
PRINTED = "请从出纸口取走您的办事指南，材料清单在上面，可逐项打勾。"
NOT_PRINTED_TITLE = "没有打印出来"
CANNOT_PRINT_TITLE = "暂时不能打印"
NO_RECEIPT_PRINTER = "凭条打印机暂时无法使用，" + SORRY
PRINTER_UNAVAILABLE = "打印机暂时无法使用，" + SORRY
PRINTER_TROUBLE = "打印机出了点问题，" + SORRY
