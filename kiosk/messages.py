"""What the kiosk's own errors tell a citizen (kiosk/errors.py and the errors beside the
catalog, forms and devices setup). The queue's answers are in kiosk/queue/messages.py, the
screens' words per flow in screens/messages/, the devices' in devices/messages.py."""

from __future__ import annotations

STAFF = "请联系大厅工作人员。"

GENERIC = "抱歉，系统暂时无法办理，" + STAFF
ITEM_NOT_FOUND = "没有找到这项业务，请换个词查询或咨询工作人员。"
FORM_NO_PREVIEW = "这份表格暂时无法预览，" + STAFF
FORM_NOT_PRINTABLE = "这份表格暂时无法打印，请到服务台领取。"
NO_A4_PRINTER = "本机没有配备A4打印机，请到服务台办理。"
NO_SCANNER = "本机没有配备扫描仪，请到服务台复印。"
