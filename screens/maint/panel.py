"""The maintenance panel: every device's state at a glance with the last error in plain
words, today's tickets, the catalog, disk, uptime and version — and the staff actions.

Everything that touches a device or the disk goes through the MaintenanceBackend on a worker
thread; the panel refreshes the status every few seconds while it is showing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import pygame

from kiosk.maintenance.backend import ActionResult, MaintenanceBackend, ServiceToggle
from kiosk.maintenance.power import RESTART_EXIT_CODE
from kiosk.maintenance.status import VERIFY_NOTE, StatusReport, usage_line
from kiosk.maintenance.usb import CatalogCandidate
from kiosk.sync.state import signature_lines
from screens.chrome import Header
from screens.dialog import Confirm
from screens.fonts import fontset
from screens.maint.common import StaffScreen
from screens.maint.pickers import ChoiceScreen, TicketNumberPad
from screens.text import draw_wrapped
from screens.widgets.button import Button

if TYPE_CHECKING:
    from screens.app import App

EXIT_TO_DESKTOP_CODE = 65     # deploy/kiosk.service: RestartPreventExitStatus=65
REFRESH_S = 5.0


def tickets_lines(rows: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    """Per service today, and the numbers that failed or were voided, with why."""
    out = []
    for t in rows:
        out.append((f"今日 {t['prefix']} {t['name']}：已发 {t['issued']} 张，"
                     f"等候 {t['waiting']} 人", True))
        if t.get("void_numbers"):
            out.append((f"　作废 {t['void']} 张：{'、'.join(t['void_numbers'])}", False))
        if t.get("verify_numbers"):
            out.append((f"　待核对 {len(t['verify_numbers'])} 张：{'、'.join(t['verify_numbers'])}"
                        f"（{VERIFY_NOTE}）", False))
    return out


def status_lines(report: StatusReport | None) -> list[tuple[str, bool]]:
    """(line, ok) pairs for the panel; pure so tests can read what staff read."""
    if report is None:
        return [("正在读取设备状态…", True)]
    lines: list[tuple[str, bool]] = []
    for d in report.devices:
        lines.append((f"{'✓' if d.ok else '×'} {d.name_zh}：{d.words}{d.error_note()}", d.ok))
    lines += tickets_lines(report.tickets_today)
    if report.usage_today:
        lines.append((usage_line(report.usage_today), True))
    cat = report.catalog
    if cat:
        lines.append((f"办事指南目录：版本 {cat.get('version', '?')}，共 {cat.get('items', 0)} 项",
                      True))
        lines += [(line, not cat.get("expired") and cat.get("update_outcome") != "refused")
                  for line in signature_lines(cat)]
    if report.disk is not None:
        free_mb = report.disk.free_bytes // 2**20
        lines.append((f"磁盘剩余：{free_mb} MB" + ("" if report.disk.writable else "，无法写入"),
                      report.disk.writable and not report.disk.low))
    up = report.uptime_s
    if up is not None:
        lines.append((f"已运行：{int(up // 3600)} 小时 {int(up % 3600 // 60)} 分", True))
    lines.append((f"程序版本：{report.version}", True))
    lines += [(f"！{p}", False) for p in report.problems
              if not any(p.endswith(d.words) for d in report.devices)]
    return lines


class MaintenancePanel(StaffScreen[None]):
    def __init__(self, app: App, backend: MaintenanceBackend) -> None:
        super().__init__(app)
        self.backend = backend
        self.report: StatusReport | None = None
        self.result: ActionResult | None = None
        self.working = ""
        self._next_refresh = 0.0

    # ---- layout ---------------------------------------------------------------------------
    def actions(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("打印凭条测试页", partial(self.run, "正在打印凭条测试页…",
                                        self.backend.print_receipt_test)),
            ("打印A4测试页", partial(self.run, "正在打印A4测试页…", self.backend.print_a4_test)),
            ("测试读身份证", partial(self.run, "请把身份证放在感应区（20秒内）…",
                                     lambda: self.backend.test_read_card(20.0))),
            ("补打号票", partial(self.ask_number, "补打号票", self.backend.reprint_ticket)),
            ("作废号票", partial(self.ask_number, "作废号票", self.backend.void_ticket)),
            ("清空今日排队", self.ask_reset),
            ("从U盘导入目录", self.pick_usb),
            ("业务开放/暂停", self.pick_service),
            ("重启程序", partial(self.quit, RESTART_EXIT_CODE, "重启程序")),
            ("退出到桌面", partial(self.quit, EXIT_TO_DESKTOP_CODE, "退出到桌面")),
        ]

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, "维护模式", back=False)
        header.home.label = "退出维护"
        header.home.rect.width = fontset(True).width("退出维护", t.body) + t.mm(8)
        header.home.rect.right = w - (t.header_h - t.target) // 2
        header.home.on_tap = self.leave
        cols = 3 if t.landscape else 2
        acts = self.actions()
        rows = (len(acts) + cols - 1) // cols
        bw = (w - 2 * t.margin - (cols - 1) * t.gap) // cols
        grid_top = h - t.margin - rows * t.button_h - (rows - 1) * t.gap
        self.buttons: list[Button] = []
        for i, (label, fn) in enumerate(acts):
            r, c = divmod(i, cols)
            self.buttons.append(Button((t.margin + c * (bw + t.gap),
                                        grid_top + r * (t.button_h + t.gap), bw, t.button_h),
                                       label, fn, style="secondary"))
        self.status_rect = pygame.Rect(t.margin, header.rect.bottom + t.margin,
                                       w - 2 * t.margin,
                                       grid_top - header.rect.bottom - 2 * t.margin)
        self.widgets = [*header.parts(), *self.buttons]

    def on_enter(self) -> None:
        super().on_enter()
        self.refresh()

    # ---- status -----------------------------------------------------------------------------
    def refresh(self) -> None:
        self._next_refresh = time.monotonic() + REFRESH_S
        self.run_worker(self.backend.status, self.got_status, self.status_failed)

    def got_status(self, report: StatusReport) -> None:
        self.report = report
        self.app.invalidate()

    def status_failed(self, exc: BaseException) -> None:
        self.result = ActionResult(False, f"读取状态失败：{type(exc).__name__}")
        self.app.invalidate()

    def update(self, dt: float) -> bool:
        if time.monotonic() >= self._next_refresh and self.app.top is self:
            self.refresh()
        return super().update(dt)

    # ---- actions ------------------------------------------------------------------------------
    def run(self, working: str, fn: Callable[[], ActionResult],
            then: Callable[[ActionResult], None] | None = None) -> None:
        if self.working:
            return   # one action at a time: a second tap must not print twice
        self.working = working
        self.result = None
        for b in self.buttons:
            b.enabled = False
        self.app.invalidate()
        done = then or self.done
        self.run_worker(fn, done, lambda e: done(
            ActionResult(False, f"操作失败：{type(e).__name__}: {e}")))

    def done(self, result: ActionResult) -> None:
        self.working = ""
        self.result = result
        for b in self.buttons:
            b.enabled = True
        self.refresh()
        self.app.invalidate()

    def ask_number(self, title: str, fn: Callable[[str], ActionResult]) -> None:
        prefixes = self.backend.number_prefixes()

        def chosen(number: str | None) -> None:
            if number:
                self.run(f"{title} {number}…", partial(fn, number))

        self.app.push(TicketNumberPad(self.app, title, prefixes), on_result=chosen)

    def ask_reset(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.run("正在清空今日排队…", self.backend.reset_queue)

        self.app.push(Confirm(self.app, "清空今日排队",
                              "今天所有还在等候的号票都将作废（已用过的号码不会再发）。确定吗？",
                              yes="确定清空"), on_result=answered)

    def pick_usb(self) -> None:
        self.run_worker(self.backend.usb_catalogs, self._usb_found)

    def _usb_found(self, found: list[CatalogCandidate]) -> None:
        options = [(c.path.name, f"版本 {c.catalog_version or '未知'}，{c.size // 1024} KB，"
                    f"{c.path.parent}", c) for c in found[:6]]

        def chosen(c: CatalogCandidate | None) -> None:
            if c is not None:
                self.import_catalog(c)

        self.app.push(ChoiceScreen(self.app, "从U盘导入目录", options,
                                   "没有在U盘上找到目录文件。请插入U盘后再试。"),
                      on_result=chosen)

    def import_catalog(self, c: CatalogCandidate, allow_empty: bool = False) -> None:
        """Import; a catalog with no items asks staff first (the backend says so)."""
        def answered(result: ActionResult) -> None:
            self.done(result)
            if result.confirm and not allow_empty:
                self.app.push(Confirm(self.app, "导入空目录", result.confirm, yes="仍然导入"),
                              on_result=lambda yes: self.import_catalog(c, True) if yes else None)

        self.run(f"正在导入 {c.path.name}…",
                 partial(self.backend.import_catalog, c.path, allow_empty), answered)

    def pick_service(self) -> None:
        self.run_worker(self.backend.services, self._services_found)

    def _services_found(self, services: list[ServiceToggle]) -> None:
        def state(s: ServiceToggle) -> str:
            how = {True: "今日开放", False: "今日暂停", None: "按时间开放"}[s.override]
            return f"{how}（{s.hours}）{'，现在开放' if s.open_now else '，现在不开放'}"

        options = [(f"{s.prefix} {s.name}", state(s), s) for s in services]
        self.app.push(ChoiceScreen(self.app, "选择业务", options), on_result=self._pick_state)

    def _pick_state(self, s: ServiceToggle | None) -> None:
        if s is None:
            return
        options: list[tuple[str, str, bool | str]] = [
            ("今日开放", "不论时间，今天都可以取号", True),
            ("今日暂停", "今天不再发号", False),
            ("按时间开放", "恢复按设置的时间开放", "hours"),
        ]

        def chosen(v: bool | str | None) -> None:
            if v is not None:
                choice = None if v == "hours" else bool(v)
                self.run(f"正在设置 {s.name}…",
                         partial(self.backend.set_service_open, s.prefix, choice))

        self.app.push(ChoiceScreen(self.app, f"{s.prefix} {s.name}", options), on_result=chosen)

    def quit(self, code: int, what: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.app.exit_code = code
                self.app.running = False

        self.app.push(Confirm(self.app, what, f"确定要{what}吗？", yes=what), on_result=answered)

    # ---- drawing ------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.colors.bg)
        pygame.draw.rect(surface, t.colors.surface, self.status_rect, border_radius=t.radius)
        inner = self.status_rect.inflate(-2 * t.gap, -2 * t.gap)
        y = inner.top
        for line, ok in status_lines(self.report):
            if y >= inner.bottom - t.body:
                break
            y += draw_wrapped(surface, fontset(not ok), line, t.body,
                              pygame.Rect(inner.left, y, inner.width, inner.bottom - y),
                              t.colors.text if ok else t.colors.warn_text, max_lines=2)
        note = self.working or (self.result.message if self.result else "")
        if note:
            color = t.colors.text if (self.working or (self.result and self.result.ok)) \
                else t.colors.warn_text
            box = pygame.Rect(inner.left, inner.bottom - fontset().line_height(t.body) * 2,
                              inner.width, fontset().line_height(t.body) * 2)
            pygame.draw.rect(surface, t.colors.warn_bg, box, border_radius=t.radius)
            draw_wrapped(surface, fontset(True), note, t.body, box.inflate(-t.gap, 0), color,
                         max_lines=2)
        self.draw_widgets(surface)
