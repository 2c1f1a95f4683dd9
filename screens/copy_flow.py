"""复印: 身份证复印 (front, then back, both at true size on one A4 page) or 文件复印 (one page
after another, up to MAX_PAGES) → preview → copies → printed on the A4 printer.

The scans are personal data. CopyFlow owns the CopyJob and sits in session.extra, so the end
of the visit wipes it (Session.end calls wipe()); the flow also wipes it when the copy is
printed, when the citizen cancels, and when the copy menu leaves the stack (首页, 返回).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pygame

from devices.document_printer.cups import PrinterStatus
from devices.outcome import JobOutcome
from devices.scanner.sane import ScanCancelled
from devices.status import StatusUpdate
from kiosk.bootstrap import scanner
from kiosk.copies.service import CopyJob
from kiosk.errors import KioskError, citizen_message_of
from kiosk.terminal import Terminal
from screens.busy import Busy, run_busy
from screens.chrome import Header
from screens.copy_drawing import draw_glass
from screens.fonts import fontset
from screens.messages import copy as msg
from screens.messages.copy import PRIVACY, TAKE_BACK, TITLES
from screens.messages.printing import NO_PRINTER
from screens.print_preview import PrintJob, PrintPreview, status_line
from screens.screen import Screen
from screens.text import draw_wrapped, text_height
from screens.widgets.button import Button
from screens.workers import cancelled

if TYPE_CHECKING:
    from screens.app import App

KEY = "copy"
MAX_PAGES = 10
Kind = Literal["idcard", "document"]


class CopyFlow:
    """One citizen's copying: the scanner (opened on the first scan) and the job."""

    def __init__(self, app: App, terminal: Terminal) -> None:
        self.app = app
        self.terminal = terminal
        self.job: CopyJob | None = None

    def ensure_job(self) -> CopyJob:
        """Worker side: the job, opening the scanner the first time — not once the screen
        that started this worker has gone (the flow was closed meanwhile)."""
        if cancelled():
            raise ScanCancelled("copy flow closed before the scan started")
        if self.job is None:
            printer = self.terminal.a4
            if printer is None:
                raise KioskError("the A4 printer is not open")
            scan = scanner(self.terminal.cfg, self.terminal.events).open()   # events: its state
            self.job = CopyJob(self.terminal.cfg, scan, printer)
        return self.job

    def kept(self, path: Path) -> Path:
        """Worker side, after the scanner or the PDF builder worked: if the screen that asked
        has gone meanwhile (the visit ended), nobody will use or wipe what was just made, so
        wipe it now and stop."""
        if cancelled():
            self.wipe()
            raise ScanCancelled("copy screen closed while the scanner worked")
        return path

    def preview_pdf(self, pdf: bytes) -> Path:
        """Worker side: the page to preview, in the scanner's private folder (shredded with
        the scans)."""
        job = self.ensure_job()
        assert job.scanner.folder is not None
        path = job.scanner.folder / "preview.pdf"
        path.write_bytes(pdf)
        return path

    def wipe(self) -> None:
        """Shred every scan and close the scanner (its private folder goes too)."""
        job, self.job = self.job, None
        if job is not None:
            job.wipe()
            job.scanner.close()

    def close(self) -> None:
        self.wipe()
        if self.app.session.extra.get(KEY) is self:
            del self.app.session.extra[KEY]


def failure_text(exc: BaseException) -> str:
    return citizen_message_of(exc, msg.SCANNER_TROUBLE)


class CopyMenu(Screen[None]):
    """身份证复印 or 文件复印, under the printer's state (no scanning for nothing)."""

    def __init__(self, app: App, terminal: Terminal, flow: CopyFlow) -> None:
        super().__init__(app)
        self.terminal = terminal
        self.flow = flow
        self.status: PrinterStatus | None = None

    def on_enter(self) -> None:
        super().on_enter()
        self.refresh()

    def on_resume(self) -> None:
        self.refresh()

    def on_exit(self) -> None:
        super().on_exit()
        self.flow.close()

    def on_message(self, message: object) -> None:
        if isinstance(message, StatusUpdate) and message.device == "document_printer":
            self.refresh()

    def refresh(self) -> None:
        printer = self.terminal.a4
        if printer is None:
            return

        def got(status: PrinterStatus) -> None:
            self.status = status
            self.layout()
            self.app.invalidate()

        self.run_worker(printer.status, got, lambda exc: None)

    def layout(self) -> None:
        t, (w, _h) = self.theme, self.app.size
        header = Header(self.app, "复印")
        y = header.rect.bottom + t.margin
        self.status_rect = pygame.Rect(t.margin, y, w - 2 * t.margin,
                                       2 * fontset().line_height(t.body) + t.gap)
        y = self.status_rect.bottom + t.margin
        ready = self.status is not None and self.status.ready
        self.choices = []
        for kind, label, sub in (("idcard", "身份证复印", "正反两面复印在同一张A4纸上"),
                                 ("document", "文件复印", f"一次最多{MAX_PAGES}页，每页一张A4纸")):
            b = Button((t.margin, y, w - 2 * t.margin, t.big_button_h * 3 // 2), label,
                       partial(self.start, kind), size=t.title, sublabel=sub)
            b.enabled = ready
            self.choices.append(b)
            y += b.rect.height + t.gap * 2
        self.privacy_top = y + t.gap
        self.widgets = [*header.parts(), *self.choices]

    def start(self, kind: str) -> None:
        self.app.push(ScanScreen(self.app, self.flow, "idcard" if kind == "idcard"
                                 else "document"))

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.colors.bg)
        text, warn = status_line(self.status, self.terminal.a4)
        if self.status is not None and self.status.ready and not warn:
            text = "请选择要复印的内容。复印前会先给您看预览。"
        elif self.status is not None and not self.status.ready:
            text = f"暂时不能复印：{text}"
        if warn:
            pygame.draw.rect(surface, t.colors.warn_bg, self.status_rect, border_radius=t.radius)
        draw_wrapped(surface, fontset(warn), text, t.body,
                     self.status_rect.inflate(-2 * t.gap, -t.gap),
                     t.colors.warn_text if warn else t.colors.text, max_lines=2)
        w = self.app.size[0]
        draw_wrapped(surface, fontset(), PRIVACY, t.body,
                     pygame.Rect(t.margin, self.privacy_top, w - 2 * t.margin, t.body * 4),
                     t.colors.muted)
        self.draw_widgets(surface)


class Scanning(Busy):
    """"正在扫描" with 取消扫描: a scan, unlike a print, can be stopped halfway."""

    def __init__(self, app: App, flow: CopyFlow) -> None:
        super().__init__(app, "正在扫描", "请不要打开扫描仪的盖子，稍等片刻…")
        self.flow = flow

    def layout(self) -> None:
        super().layout()
        t = self.theme
        self.card.height += t.button_h + t.margin
        self.stop = Button((self.card.left + t.margin, self.card.bottom - t.margin - t.button_h,
                            self.card.width - 2 * t.margin, t.button_h), "取消扫描",
                           self.cancel, style="secondary")
        self.widgets = [self.stop]

    def cancel(self) -> None:
        self.stop.enabled = False
        job = self.flow.job
        if job is not None:   # cancel() waits for scanimage to stop: not on the UI thread
            self.run_worker(job.scanner.cancel, lambda _r: None, lambda _e: None)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        self.draw_widgets(surface)


class ScanScreen(Screen[None]):
    """Where to put the card or page (a picture), 开始扫描; for documents 再扫一页 / 扫描完成
    with the count. 返回 and 取消 drop every scan of this copy."""

    def __init__(self, app: App, flow: CopyFlow, kind: Kind) -> None:
        super().__init__(app)
        self.flow = flow
        self.kind: Kind = kind
        self.side = "front"          # ID card: front, then back
        self.pages = 0               # document: pages scanned so far
        self.text_rect = pygame.Rect(0, 0, 0, 0)
        self.picture = pygame.Rect(0, 0, 0, 0)

    # ---- what to say -----------------------------------------------------------------------
    def step_title(self) -> str:
        if self.kind == "idcard":
            return "第1步（共2步）：扫描身份证正面" if self.side == "front" else \
                "第2步（共2步）：扫描身份证背面"
        return f"已扫描 {self.pages} 页" if self.pages else "扫描文件"

    def instruction(self) -> str:
        if self.kind == "idcard":
            if self.side == "front":
                return "请把身份证有照片的一面朝下，放在扫描仪玻璃板的左上角，盖好盖子。"
            return "请把身份证翻过来，有国徽的一面朝下，放在同一位置，盖好盖子。"
        if not self.pages:
            return "请把文件第一页正面朝下，放在扫描仪玻璃板上，对齐左上角，盖好盖子。"
        if self.pages >= MAX_PAGES:
            return f"一次最多复印{MAX_PAGES}页，请点“扫描完成”查看预览。"
        return "还有下一页吗？请换上下一页，盖好盖子后点“再扫一页”；全部扫好了请点“扫描完成”。"

    # ---- layout ----------------------------------------------------------------------------
    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, "身份证复印" if self.kind == "idcard" else "文件复印")
        header.back.on_tap = self.cancel
        top = header.rect.bottom + t.margin
        if w > h:   # landscape: words and buttons on the left, the picture on the right
            col = pygame.Rect(t.margin, top, (w - 3 * t.margin) // 2, h - t.margin - top)
            self._column(col, header)
            self.picture = pygame.Rect(col.right + t.margin, top + self.label_h(),
                                       w - col.right - 2 * t.margin,
                                       col.height - 2 * self.label_h())
            return
        col = pygame.Rect(t.margin, top, w - 2 * t.margin, h - t.margin - top)
        buttons_top = self._column(col, header)
        pic_top = self.text_rect.bottom + t.margin + self.label_h()
        self.picture = pygame.Rect(col.left, pic_top, col.width,
                                   buttons_top - t.margin - self.label_h() - pic_top)

    def label_h(self) -> int:
        """Room above and below the glass for its labels (对齐左上角, the card's side)."""
        return fontset(True).line_height(self.theme.body) * 2

    def _column(self, col: pygame.Rect, header: Header) -> int:
        """The words at the top of `col`, the buttons at its bottom; returns the buttons' top."""
        t = self.theme
        title_h = fontset(True).line_height(t.title)
        self.text_rect = pygame.Rect(col.left, col.top, col.width, title_h + t.gap + text_height(
            fontset(), self.instruction(), t.body, col.width))
        bottom = col.bottom - t.button_h
        cancel = Button((col.left, bottom, col.width, t.button_h), "取消", self.cancel,
                        style="secondary")
        top_btn = bottom - t.gap - t.big_button_h
        if self.kind == "document" and self.pages:
            half = (col.width - t.gap) // 2
            more = Button((col.left, top_btn, half, t.big_button_h), "再扫一页", self.scan,
                          style="secondary", size=t.title)
            more.enabled = self.pages < MAX_PAGES
            done = Button((col.left + half + t.gap, top_btn, half, t.big_button_h),
                          "扫描完成", self.preview, size=t.title)
            actions = [more, done]
        else:
            actions = [Button((col.left, top_btn, col.width, t.big_button_h), "开始扫描",
                              self.scan, size=t.title)]
        self.widgets = [*header.parts(), *actions, cancel]
        return top_btn

    # ---- the flow --------------------------------------------------------------------------
    def on_exit(self) -> None:
        super().on_exit()
        self.flow.wipe()   # however it is left (返回, 取消, Esc, printed): no scan stays

    def cancel(self) -> None:
        self.finish(None)

    def scan(self) -> None:
        flow, kind, side = self.flow, self.kind, self.side

        def work() -> Path:
            job = flow.ensure_job()
            return flow.kept(job.scan_card("front" if side == "front" else "back")
                             if kind == "idcard" else job.scan_page())

        def done(_path: Path) -> None:
            if self.kind == "idcard" and self.side == "front":
                self.side = "back"
            elif self.kind == "idcard":
                self.preview()
                return
            else:
                self.pages += 1
            self.layout()
            self.app.invalidate()

        def failed(exc: BaseException) -> None:
            self.app.notice("没有扫描成功" if not isinstance(exc, ScanCancelled)
                            else "已取消扫描", failure_text(exc))

        # Owned by this screen: if the visit ends while the scanner works, nothing comes back
        # (and on_exit has wiped the scans).
        run_busy(self, Scanning(self.app, self.flow), work, done, failed)

    def preview(self) -> None:
        flow, kind = self.flow, self.kind

        def build() -> Path:
            job = flow.ensure_job()
            return flow.kept(flow.preview_pdf(job.idcard_pdf() if kind == "idcard"
                                              else job.document_pdf()))

        def failed(exc: BaseException) -> None:
            self.app.notice("没有做好预览", failure_text(exc))

        run_busy(self, Busy(self.app, "正在准备预览"), build, self._show, failed)

    def _show(self, path: Path) -> None:
        flow, kind = self.flow, self.kind
        heading = ("身份证正反面按原大小（85.6×54毫米）排在一张A4纸上" if kind == "idcard"
                   else f"共 {self.pages} 页，每页按原大小复印在一张A4纸上")

        def run(copies: int) -> JobOutcome:
            return flow.ensure_job().print_pdf(path.read_bytes(), copies, TITLES[kind])

        job = PrintJob(title="复印预览", heading=heading, pdf=path, run=run,
                       busy_text="请稍候，复印好后请到A4打印机出纸口取走。",
                       done_title="复印好了", done_text=TAKE_BACK[kind], cache=False)
        self.app.push(PrintPreview(self.app, flow.terminal.a4, job, self._printed,
                                   on_back=self._back_from_preview))

    def _back_from_preview(self) -> None:
        self.app.pop()         # the preview
        self.cancel()          # and this copy: the scans are shredded

    def _printed(self, outcome: JobOutcome, copies: int) -> None:
        if not outcome.ok:
            self.app.notice(msg.NOT_COPIED_TITLE, msg.NOT_COPIED.format(said=outcome.message))
            return
        self.flow.wipe()
        self.app.pop()          # the preview
        self.finish(None)       # back to the copy menu
        self.app.notice("复印好了", f"已复印 {copies} 份。{TAKE_BACK[self.kind]}")

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.colors.bg)
        r = self.text_rect
        used = draw_wrapped(surface, fontset(True), self.step_title(), t.title, r,
                            t.colors.text, max_lines=1)
        draw_wrapped(surface, fontset(), self.instruction(), t.body,
                     pygame.Rect(r.left, r.top + used + t.gap, r.width, r.height), t.colors.text)
        what = "page" if self.kind == "document" else self.side
        draw_glass(surface, t, self.picture, what)
        self.draw_widgets(surface)


def open_copy(app: App, terminal: Terminal) -> None:
    """Home screen 复印."""
    if not terminal.cfg.scanner.enabled:
        app.notice(msg.CANNOT_COPY_TITLE, msg.NO_SCANNER)
        return
    if terminal.a4 is None:
        app.notice(msg.CANNOT_COPY_TITLE, NO_PRINTER)
        return
    old = app.session.extra.get(KEY)
    if isinstance(old, CopyFlow):
        old.close()
    flow = CopyFlow(app, terminal)
    app.session.extra[KEY] = flow
    app.push(CopyMenu(app, terminal, flow))
