"""Receipt printer errors (see devices/errors.py for the tree). The driver turns them into a
JobOutcome instead of raising them at its callers; they travel inside the driver only."""

from __future__ import annotations

from devices.errors import PrinterError


class PrinterOffline(PrinterError):
    """No connection, or the connection broke (cable pulled, power cycled, network gone)."""

    citizen_message = "打印机暂时无法连接，请联系大厅工作人员。"


class PaperOut(PrinterError):
    citizen_message = "打印机缺纸，请联系大厅工作人员。"


class CoverOpen(PrinterError):
    citizen_message = "打印机盖没有关好，请联系大厅工作人员。"
