"""What a device's errors tell a citizen, in one place (each exception's `citizen_message`
comes from here; the A4 printer's IPP reasons have their own table in
devices/document_printer/reasons.py). devices/ cannot import the kiosk's message modules, so
its words live here; engineer visit reviews the wording of every flow, these included."""

from __future__ import annotations

STAFF = "请联系大厅工作人员。"

DEVICE = "设备暂时无法使用，" + STAFF
PRINTER = "打印机暂时无法使用，" + STAFF
READER = "身份证阅读器暂时无法使用，" + STAFF
SCANNER = "扫描仪暂时无法使用，" + STAFF

# the receipt printer
RECEIPT_OFFLINE = "打印机暂时无法连接，" + STAFF
RECEIPT_PAPER_OUT = "打印机缺纸，" + STAFF
RECEIPT_COVER_OPEN = "打印机盖没有关好，" + STAFF
RECEIPT_FAULT = "打印机出现故障，" + STAFF
RECEIPT_INCOMPLETE = "小票没有打印完整，" + STAFF

# the scanner
SCANNER_ABSENT = "没有找到扫描仪，暂时无法复印，" + STAFF
SCANNER_BUSY = "扫描仪正在使用中，请稍等一会儿再试。"
SCAN_CANCELLED = "扫描已取消。"
SCANNER_JAMMED = "扫描仪卡纸了，" + STAFF
SCANNER_COVER_OPEN = "扫描仪的盖子没有盖好，请盖好后再试。"
SCAN_FAILED = "扫描没有成功，请重试；如仍不行，" + STAFF
