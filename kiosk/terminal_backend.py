"""MaintenanceBackend over the running Terminal: what the staff panel's buttons do.

Every method runs on a worker thread and returns a plain-Chinese ActionResult; expected
failures (no paper, no card, a wrong ticket number, a bad catalog file) are results, not
exceptions. Card data read for a test is shown masked and dropped at once.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from devices.id_reader.record import CARD_TYPE_NAMES
from devices.status import DeviceState
from kiosk.config import Config
from kiosk.errors import CatalogValidationError, KioskError
from kiosk.maintenance.backend import ActionResult, ServiceToggle
from kiosk.maintenance.queue_actions import QueueStaffActions
from kiosk.maintenance.status import DeviceReport, StatusReport, collect
from kiosk.maintenance.usb import MOUNT_ROOTS, CatalogCandidate, find_catalogs
from kiosk.status_sources import catalog_info, probe_scanner, tickets_today
from kiosk.terminal import Terminal

log = logging.getLogger("kiosk.maintenance")

SCANNER_PROBE_EVERY_S = 120.0


NO_QUEUE = ActionResult(False, "排队系统没有打开，请重启程序或联系技术人员。")


def _outcome(ok: bool, done: str, message: str) -> ActionResult:
    return ActionResult(ok, done if ok else message)


class TerminalBackend:
    def __init__(self, terminal: Terminal,
                 on_catalog_changed: Callable[[], None] | None = None,
                 usb_roots: tuple[Path, ...] = MOUNT_ROOTS) -> None:
        self.t = terminal
        self.usb_roots = usb_roots
        self.cfg: Config = terminal.cfg
        self.on_catalog_changed = on_catalog_changed
        self._scanner: DeviceReport | None = None
        self._scanner_at = 0.0

    # ---- status -------------------------------------------------------------------------------
    def _scanner_report(self) -> DeviceReport:
        if self._scanner is None or time.monotonic() - self._scanner_at > SCANNER_PROBE_EVERY_S:
            self._scanner = probe_scanner(self.cfg)
            self._scanner_at = time.monotonic()
        return self._scanner

    def status(self) -> StatusReport:
        known = {r.device: r for r in self.t.reports()}
        known["scanner"] = self._scanner_report()
        probes = {name: (lambda _c, r=rep: r) for name, rep in known.items()}
        report = collect(self.cfg, probes, catalog_info, tickets_today, use_snapshot=False,
                         usage=lambda _c: self.t.usage.today())
        return dataclasses.replace(report, uptime_s=time.time() - self.t.started_at)

    # ---- printers -----------------------------------------------------------------------------
    def print_receipt_test(self) -> ActionResult:
        from kiosk.receipts.service import print_test_page

        if self.t.receipt is None:
            return ActionResult(False, "凭条打印机没有打开，请查看上面的状态。")
        out = print_test_page(self.t.receipt, self.cfg)
        log.info("receipt test page: %s", "printed" if out.ok else out.detail)
        return _outcome(out.ok, "凭条测试页已打印，请查看出纸口。",
                        f"没有打印出来：{out.message}")

    def print_a4_test(self) -> ActionResult:
        if self.t.a4 is None:
            return ActionResult(False, "本机没有可用的A4打印机。")
        from kiosk.forms.layout import parse_layout
        from kiosk.forms.pdfgen import render_pdf

        now = datetime.now().strftime("%Y-%m-%d %H:%M")
        layout = parse_layout({"id": "A4-TEST", "title": "A4打印机测试页", "kind": "blank",
                               "pages": [{"blocks": [
                                   {"type": "heading", "text": "A4打印机测试页"},
                                   {"type": "paragraph", "text": f"{self.cfg.hall.name}。"
                                    f"打印时间 {now}，打印队列 {self.t.a4.queue}。"},
                                   {"type": "paragraph", "text": "如果这一页的文字清楚、表格线"
                                    "完整、四边没有被裁掉，打印机工作正常。"},
                                   {"type": "fields", "rows": [
                                       [{"label": "测试项目", "span": 1, "value": "中文字体"},
                                        {"label": "结果", "span": 1, "value": ""}],
                                       [{"label": "测试项目", "span": 1, "value": "表格线"},
                                        {"label": "结果", "span": 1, "value": ""}]]},
                                   {"type": "signature", "labels": ["检查人", "日期"]}]}]},
                              "A4 test page")
        with tempfile.TemporaryDirectory(prefix="kiosk-a4test-") as tmp:
            pdf = Path(tmp) / "a4-test.pdf"
            pdf.write_bytes(render_pdf(layout))
            out = self.t.a4.print_file(pdf, 1, "A4打印机测试页")
        log.info("A4 test page: %s", "printed" if out.ok else out.detail)
        return _outcome(out.ok, "A4测试页已打印。", f"没有打印出来：{out.message}")

    # ---- card ---------------------------------------------------------------------------------
    def test_read_card(self, timeout_s: float) -> ActionResult:
        if self.t.reader is None:
            return ActionResult(False, "本机没有启用身份证阅读器。")
        if self.t.reader.status().state != DeviceState.ONLINE:
            return ActionResult(False, "身份证阅读器未连接，请查看上面的状态。")
        record = self.t.reader.read_once(timeout_s)
        if record is None:
            return ActionResult(False, f"{int(timeout_s)}秒内没有读到身份证，请重新放好后再试。")
        shown = record.masked_dict()
        kind = CARD_TYPE_NAMES[record.card_type]
        check = "" if shown["id_number_valid"] else "（号码校验位不对，请核对证件）"
        del record   # nothing of the card is kept beyond this message
        log.info("maintenance test read: a %s card was read", shown["card_type"])
        return ActionResult(True, f"读卡正常：{kind}，{shown['name']}，{shown['id_number']}"
                                  f"{check}，有效期至 {shown['valid_to']}")

    # ---- queue (kiosk.maintenance.queue_actions does the work) --------------------------------
    def _staff(self) -> QueueStaffActions | None:
        return QueueStaffActions(self.t.queue) if self.t.queue is not None else None

    def reprint_ticket(self, number: str) -> ActionResult:
        staff = self._staff()
        return staff.reprint_ticket(number) if staff else NO_QUEUE

    def void_ticket(self, number: str) -> ActionResult:
        staff = self._staff()
        return staff.void_ticket(number) if staff else NO_QUEUE

    def reset_queue(self) -> ActionResult:
        staff = self._staff()
        return staff.reset_queue() if staff else NO_QUEUE

    def number_prefixes(self) -> list[str]:
        return self.t.queue.number_prefixes() if self.t.queue is not None else []

    def services(self) -> list[ServiceToggle]:
        staff = self._staff()
        return staff.services() if staff else []

    def set_service_open(self, prefix: str, open_: bool | None) -> ActionResult:
        staff = self._staff()
        return staff.set_service_open(prefix, open_) if staff else NO_QUEUE

    # ---- catalog --------------------------------------------------------------------------------
    def usb_catalogs(self) -> list[CatalogCandidate]:
        return find_catalogs(self.usb_roots)

    def import_catalog(self, path: Path, allow_empty: bool = False) -> ActionResult:
        """Validate, copy its forms, import atomically: a bad file changes nothing. A file
        with no items over a catalog with items needs staff to confirm (allow_empty)."""
        from kiosk.catalog import import_catalog
        from kiosk.errors import EmptyCatalogRefused

        try:
            report, forms = import_catalog(self.cfg, path, allow_empty=allow_empty)
        except EmptyCatalogRefused as exc:
            return ActionResult(False, "没有导入，仍在使用原来的目录。",
                                confirm=f"{path.name} 里一项业务也没有。导入后自助终端将查不到任何"
                                        f"业务（现在的目录 {exc.current_version} 有 "
                                        f"{exc.current_items} 项）。确定要导入吗？")
        except CatalogValidationError as exc:
            first = exc.problems[0] if exc.problems else str(exc)
            return ActionResult(False, f"这个目录文件有 {len(exc.problems)} 处错误，没有导入，"
                                       f"仍在使用原来的目录。第一处：{first}")
        except (OSError, KioskError) as exc:
            return ActionResult(False, f"没有导入，仍在使用原来的目录：{exc}")
        log.info("catalog imported from %s (%d form files)", path.name, forms)
        if self.on_catalog_changed is not None:
            self.on_catalog_changed()
        before = f"（原来是 {report.previous_version}）" if report.previous_version else ""
        return ActionResult(True, f"已导入目录版本 {report.catalog_version}{before}，"
                                  f"共 {report.items} 项，表格 {forms} 份。")
