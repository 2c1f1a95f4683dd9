"""打印办事指南: the guide screen's print button. The printer is asked on a worker thread; the
citizen sees 正在打印 at once, then what happened in plain words. A second tap while a guide
is printing does nothing (the double-tap lock a queue system learnt it needs)."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from devices.outcome import JobOutcome
from screens.dialog import Notice

if TYPE_CHECKING:
    from devices.receipt_printer.printer import ReceiptPrinter
    from screens.app import App

log = logging.getLogger(__name__)

PRINTED = ("办事指南已打印", "请在出纸口取走办事指南，材料清单可以逐项打勾。")
NOT_PRINTED = "没有打印出来"
TRY_COUNTER = "请到服务窗口咨询工作人员，给您添麻烦了。"


class GuidePrinting:
    def __init__(self, app: App) -> None:
        self.app = app
        self._printer: ReceiptPrinter | None = None
        self._printer_lock = threading.Lock()
        self._busy = False

    def start(self, code: str) -> None:
        if self._busy:
            return
        self._busy = True
        progress = Notice(self.app, "正在打印", "正在打印办事指南，请稍候……")
        self.app.push(progress)
        self.app.run_in_worker(lambda: self._print(code),
                               lambda outcome: self._done(progress, outcome),
                               lambda exc: self._failed(progress, exc))

    def close(self) -> None:
        with self._printer_lock:
            if self._printer is not None:
                self._printer.close()
                self._printer = None

    def _print(self, code: str) -> JobOutcome:
        """Worker thread: the item, the printer (opened on first use, then kept), the job."""
        from kiosk.receipts.service import open_receipt_printer, print_guide

        item = self.app.catalog.get(code)
        with self._printer_lock:
            if self._printer is None:
                self._printer = open_receipt_printer(self.app.cfg)
            printer = self._printer
        return print_guide(printer, item, self.app.cfg)

    def _done(self, progress: Notice, outcome: JobOutcome) -> None:
        self._busy = False
        self.app.pop(None, screen=progress)
        if outcome.ok:
            self.app.notice(*PRINTED)
        else:
            log.warning("guide not printed: %s", outcome.cause)
            self.app.notice(NOT_PRINTED, outcome.citizen_message or TRY_COUNTER)

    def _failed(self, progress: Notice, exc: BaseException) -> None:
        self._busy = False
        self.app.pop(None, screen=progress)
        log.warning("guide printing failed: %s", type(exc).__name__)
        self.app.notice(NOT_PRINTED, TRY_COUNTER)
