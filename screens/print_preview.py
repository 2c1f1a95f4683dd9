"""The A4 preview before printing, shared by forms and copies: the page as it will come out,
page buttons for longer documents, the printer's state BEFORE the citizen starts (缺纸 …,
with 打印 greyed out until it is fixed), a copies stepper (1 to max_copies) and 打印.

Rendering and every printer call run on a worker; the page shows "正在加载…" meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from devices.document_printer.cups import CupsPrinter, PrinterStatus
from devices.outcome import JobOutcome
from devices.status import StatusUpdate
from kiosk.errors import citizen_message_of
from screens.busy import Busy, run_busy
from screens.chrome import Header
from screens.fonts import fontset
from screens.messages.common import SORRY
from screens.messages.printing import NO_PRINTER, PRINTER_TROUBLE, ZOOM_HINT, ZOOM_OUT_HINT
from screens.screen import Screen
from screens.text import draw_wrapped, text_height
from screens.widgets.button import Button
from screens.widgets.pdfpage import (
    FORM_PAGES,
    PageView,
    Rendered,
    page_key,
    render_page,
    to_surface,
)
from screens.widgets.stepper import Stepper

if TYPE_CHECKING:
    from screens.app import App

ZOOM = 2.0            # a tap on the page shows it this much larger
ZOOM_ELDER = 2.5      # larger in elder mode, where the page on screen is smaller



@dataclass(frozen=True)
class PrintJob:
    """What a preview prints and what it tells the citizen."""

    title: str                                   # the header
    heading: str                                 # above the page: what this is
    pdf: Path
    run: Callable[[int], JobOutcome]             # copies → outcome (runs on a worker)
    busy_text: str = "请稍候，打印好后请到A4打印机出纸口取走。"
    done_title: str = "打印好了"
    done_text: str = "请到A4打印机出纸口取走表格。"
    cache: bool = True                           # False for scans: nothing kept after
    # One-page previews may offer other ways forward beside 打印 (an ID copy: 重扫正面 /
    # 重扫背面 — one crooked side is scanned again, not both).
    extra: tuple[tuple[str, Callable[[], None]], ...] = ()


def status_line(status: PrinterStatus | None, printer: CupsPrinter | None) -> tuple[str, bool]:
    """(what to say about the printer, whether that is a warning)."""
    if printer is None:
        return NO_PRINTER, True
    if status is None:
        return "正在查看打印机状态…", False
    if not status.ready:
        return status.citizen_message or NO_PRINTER, True
    if status.citizen_message:
        return f"可以打印。{status.citizen_message}", True
    return "A4打印机正常，可以打印。", False


class PrintPreview(Screen[None]):
    def __init__(self, app: App, printer: CupsPrinter | None, job: PrintJob,
                 on_printed: Callable[[JobOutcome, int], None] | None = None,
                 on_back: Callable[[], None] | None = None) -> None:
        super().__init__(app)
        self.printer = printer
        self.job = job
        self.personal = not job.cache      # a scan: covered by the idle warning
        self.on_printed = on_printed
        self.on_back = on_back
        self.index = 0
        self.pages: int | None = None
        self.copies = 1
        self.status: PrinterStatus | None = None
        self.printing = False
        self.page_text = pygame.Rect(0, 0, 0, 0)
        self.status_rect = pygame.Rect(0, 0, 0, 0)
        self.heading_rect = pygame.Rect(0, 0, 0, 0)

    # ---- life cycle ------------------------------------------------------------------------
    def on_enter(self) -> None:
        super().on_enter()
        self.load()
        self.refresh_status()

    def on_exit(self) -> None:
        super().on_exit()
        self.view.unzoom()
        if not self.job.cache:
            self.view.show(None, "")   # the scan's pixels go with the screen

    def on_resume(self) -> None:
        self.refresh_status()

    def on_message(self, message: object) -> None:
        if isinstance(message, StatusUpdate) and message.device == "document_printer":
            self.refresh_status()

    # ---- layout ----------------------------------------------------------------------------
    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, self.job.title)
        if self.on_back is not None:
            header.back.on_tap = self.on_back
        top = header.rect.bottom + t.gap
        if w > h:   # landscape: the page on the left, the controls in a column on the right
            view_h = h - t.margin - top
            view_w = min((w - 3 * t.margin) * 3 // 5, round(view_h * 210 / 297) + t.mm(10))
            col_w = w - 3 * t.margin - view_w
            view = pygame.Rect(t.margin, top, view_w, view_h)
            self._controls(pygame.Rect(view.right + t.margin, top, col_w, h - t.margin - top))
        else:
            ctl_h = self._controls_height(w - 2 * t.margin)
            view = pygame.Rect(t.margin, top, w - 2 * t.margin, h - t.margin - ctl_h - top)
            self._controls(pygame.Rect(t.margin, view.bottom + t.gap, w - 2 * t.margin,
                                       ctl_h - t.gap))
        old = getattr(self, "view", None)
        self.view = PageView(view, on_zoom=self.zoom)
        if old is not None and old.box == self.view.box:
            self.view.show(old.surface, old.text)
        elif old is not None:
            self.load()
        self.widgets = [*header.parts(), self.view, self.prev, self.next, *self.extra,
                        self.stepper, self.print_button]
        self._sync()

    def _controls_height(self, width: int) -> int:
        t = self.theme
        return (self._heading_h(width) + t.button_h + self._status_h(width) + t.button_h
                + t.big_button_h + 5 * t.gap)

    def _heading_h(self, width: int) -> int:
        return min(2 * fontset(True).line_height(self.theme.body),
                   text_height(fontset(True), self.job.heading, self.theme.body, width))

    def _status_h(self, width: int) -> int:
        return 2 * fontset().line_height(self.theme.body) + self.theme.gap

    def _controls(self, box: pygame.Rect) -> None:
        t = self.theme
        y = box.top
        self.heading_rect = pygame.Rect(box.left, y, box.width, self._heading_h(box.width))
        y = self.heading_rect.bottom + t.gap
        bw = min(box.width // 3, t.mm(60))
        self.prev = Button((box.left, y, bw, t.button_h), "上一页", lambda: self.turn(-1),
                           style="secondary")
        self.next = Button((box.right - bw, y, bw, t.button_h), "下一页", lambda: self.turn(1),
                           style="secondary")
        self.page_text = pygame.Rect(box.left + bw, y, box.width - 2 * bw, t.button_h)
        n = len(self.job.extra)
        ew = (box.width - t.gap * (n - 1)) // n if n else 0
        self.extra = [Button((box.left + i * (ew + t.gap), y, ew, t.button_h), label, fn,
                             style="secondary") for i, (label, fn) in enumerate(self.job.extra)]
        y += t.button_h + t.gap
        self.status_rect = pygame.Rect(box.left, y, box.width, self._status_h(box.width))
        y = self.status_rect.bottom + t.gap
        label_w = fontset(True).width("打印份数", t.body) + t.gap * 2
        self.copies_label = pygame.Rect(box.left, y, label_w, t.button_h)
        self.stepper = Stepper((box.left + label_w, y, box.width - label_w, t.button_h), t,
                               self.app.cfg.document_printer.max_copies, self.copies,
                               on_change=self._copies_changed)
        y += t.button_h + t.gap
        self.print_button = Button((box.left, y, box.width, t.big_button_h), "打印",
                                   self.print, size=t.title)

    def _copies_changed(self, n: int) -> None:
        self.copies = n

    def _sync(self) -> None:
        many = (self.pages or 1) > 1
        self.prev.visible = self.next.visible = many
        for b in self.extra:                 # the page row's other use: one page only
            b.visible = not many
            b.enabled = not self.printing
        self.prev.enabled = self.index > 0
        self.next.enabled = self.pages is not None and self.index < self.pages - 1
        ready = self.printer is not None and self.status is not None and self.status.ready
        can = ready and not self.printing
        self.print_button.enabled = can
        self.print_button.sublabel = "" if can else (
            "正在打印…" if self.printing else "暂时不能打印，原因见上方")
        self.stepper.set_enabled(not self.printing)
        self.app.invalidate()

    # ---- the page --------------------------------------------------------------------------
    def turn(self, delta: int) -> None:
        if self.pages is None:
            return
        self.view.unzoom()
        index = min(max(0, self.index + delta), self.pages - 1)
        if index != self.index:
            self.index = index
            self.load()
            self._sync()

    def load(self) -> None:
        box, index, pdf = self.view.box, self.index, self.job.pdf
        key = page_key(pdf, index, box)
        hit = FORM_PAGES.get(key) if self.job.cache else None
        if hit is not None:
            self.pages = hit[0]
            self.view.show(hit[1])
            self._sync()
            return
        self.view.show(None, "正在加载…")

        def shown(r: Rendered) -> None:
            surface = to_surface(r.page)
            if self.job.cache:
                FORM_PAGES.put(key, r.pages, surface)
            if (self.index, self.view.box) == (index, box):
                self.pages = r.pages
                self.view.show(surface)
                self._sync()

        def failed(exc: BaseException) -> None:
            self.view.show(None, "这一页暂时无法预览，您仍可以直接打印。")
            self.app.invalidate()

        self.run_worker(lambda: render_page(pdf, index, box), shown, failed)

    def zoom(self, x: int, y: int) -> None:
        """A tap on the page: render it larger (2×, 2.5× in elder mode) and show the part
        tapped; drag to move, tap again to see the whole page."""
        factor = ZOOM_ELDER if self.theme.elder else ZOOM
        w, h = self.view.box
        box, index, pdf = (round(w * factor), round(h * factor)), self.index, self.job.pdf

        def shown(r: Rendered) -> None:
            if self.index == index:
                self.view.zoom_to(to_surface(r.page), (x, y))
                self.app.invalidate()

        self.run_worker(lambda: render_page(pdf, index, box), shown, lambda exc: None)

    # ---- the printer -----------------------------------------------------------------------
    def refresh_status(self) -> None:
        printer = self.printer
        if printer is None or self.printing:
            self._sync()
            return

        def got(status: PrinterStatus) -> None:
            self.status = status
            self._sync()

        self.run_worker(printer.status, got, lambda exc: None)

    def print(self) -> None:
        if self.printing or not self.print_button.enabled:
            return
        self.printing = True
        self._sync()
        busy = Busy(self.app, "正在打印", self.job.busy_text)
        copies, run = self.copies, self.job.run

        def done(outcome: JobOutcome) -> None:
            self._finished()
            if self.on_printed is not None:
                self.on_printed(outcome, copies)
            elif outcome.ok:
                self.app.notice(self.job.done_title, self.job.done_text)
            else:
                self.app.notice("没有打印出来", f"{outcome.message}{SORRY}")

        def failed(exc: BaseException) -> None:
            self._finished()
            said = citizen_message_of(exc, PRINTER_TROUBLE)
            self.app.notice("没有打印出来", f"{said}{SORRY}")

        # Owned by this preview: once it has gone (the visit timed out while printing) the
        # next citizen never gets the last one's result.
        run_busy(self, busy, lambda: run(copies), done, failed)

    def _finished(self) -> None:
        self.printing = False
        self.refresh_status()

    # ---- drawing ---------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        c = t.colors
        surface.fill(c.bg)
        draw_wrapped(surface, fontset(True), self.job.heading, t.body, self.heading_rect,
                     c.text, max_lines=2)
        if self.pages is not None and not any(b.visible for b in self.extra):
            lh = fontset().line_height(t.body)
            where = (f"第 {self.index + 1} 页，共 {self.pages} 页" if self.pages > 1
                     else "共 1 页")
            where += ZOOM_OUT_HINT if self.view.is_zoomed else ZOOM_HINT
            draw_wrapped(surface, fontset(), where,
                         t.body, pygame.Rect(self.page_text.left, self.page_text.centery - lh // 2,
                                             self.page_text.width, lh), c.text, center=True)
        text, warn = status_line(self.status, self.printer)
        if warn:
            pygame.draw.rect(surface, c.warn_bg, self.status_rect, border_radius=t.radius)
        inner = self.status_rect.inflate(-2 * t.gap, -t.gap)
        draw_wrapped(surface, fontset(warn), text, t.body, inner,
                     c.warn_text if warn else c.muted, max_lines=2)
        lh = fontset(True).line_height(t.body)
        draw_wrapped(surface, fontset(True), "打印份数", t.body,
                     pygame.Rect(self.copies_label.left, self.copies_label.centery - lh // 2,
                                 self.copies_label.width, lh), c.text, max_lines=1)
        self.draw_widgets(surface)
