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
Kind = Literal["idcard", "card", "hukou", "document"]
CARDS = ("idcard", "card")     # both sides of an ID-1 card (85.6×54 mm) on one A4 page


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
        cols = 2 if t.landscape else 1       # 身份证, 银行卡/社保卡, 户口簿, 文件
        bw = (w - 2 * t.margin - (cols - 1) * t.gap) // cols
        bh = t.big_button_h * 3 // 2 if cols == 1 else t.big_button_h * 5 // 4
        for i, (kind, label, sub) in enumerate(msg.MENU):
            r, c = divmod(i, cols)
            b = Button((t.margin + c * (bw + t.gap), y + r * (bh + t.gap * 2), bw, bh), label,
                       partial(self.start, kind), size=t.title,
                       sublabel=sub.format(n=MAX_PAGES))
            b.enabled = ready
            self.choices.append(b)
        y = self.choices[-1].rect.bottom + t.gap * 2
        self.privacy_top = y + t.gap
        self.widgets = [*header.parts(), *self.choices]

    def start(self, kind: str) -> None:
        self.app.push(ScanScreen(self.app, self.flow, kind_of(kind)))

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
        self.redo = False            # a card side scanned again from the preview
        self.thumbs: list[pygame.Surface] = []   # small pictures of the pages (personal)
        self.thumb_rect = pygame.Rect(0, 0, 0, 0)
        self.personal = True         # scans on screen: the idle warning covers them
        self.text_rect = pygame.Rect(0, 0, 0, 0)
        self.picture = pygame.Rect(0, 0, 0, 0)

    # ---- what to say -----------------------------------------------------------------------
    def step_title(self) -> str:
        if self.kind in CARDS:
            return msg.card_step(self.kind, self.side)
        if self.kind == "hukou":
            return msg.hukou_step(self.pages)
        return msg.document_step(self.pages)

    def instruction(self) -> str:
        if self.kind in CARDS:
            return msg.card_instruction(self.kind, self.side)
        if self.kind == "hukou":
            return msg.hukou_instruction(self.pages, MAX_PAGES)
        return msg.document_instruction(self.pages, MAX_PAGES)

    # ---- layout ----------------------------------------------------------------------------
    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, msg.HEADERS[self.kind])
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
        if self.thumbs_shown():                 # the pages so far, above the buttons
            buttons_top -= self.thumb_h() + t.gap
            self.thumb_rect = pygame.Rect(col.left, buttons_top + t.gap, col.width,
                                          self.thumb_h())
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
        cancel = Button((col.left, bottom, col.width, t.button_h), msg.CANCEL, self.cancel,
                        style="secondary")
        top_btn = bottom - t.gap - t.big_button_h
        if self.kind not in CARDS and self.pages:
            half = (col.width - t.gap) // 2
            more = Button((col.left, top_btn, half, t.big_button_h), msg.NEXT_PAGE, self.scan,
                          style="secondary", size=t.title)
            more.enabled = self.pages < MAX_PAGES
            done = Button((col.left + half + t.gap, top_btn, half, t.big_button_h),
                          msg.SCAN_DONE, self.preview)
            actions = [more, done]
        else:
            actions = [Button((col.left, top_btn, col.width, t.big_button_h), msg.START,
                              self.scan, size=t.title)]
        self.widgets = [*header.parts(), *actions, cancel]
        return top_btn

    # ---- the flow --------------------------------------------------------------------------
    def on_exit(self) -> None:
        super().on_exit()
        self.thumbs.clear()  # the pages' pixels go with the screen
        self.flow.wipe()   # however it is left (返回, 取消, Esc, printed): no scan stays

    def cancel(self) -> None:
        self.finish(None)

    def scan(self) -> None:
        flow, kind, side = self.flow, self.kind, self.side

        def work() -> Path:
            job = flow.ensure_job()
            return flow.kept(job.scan_card("front" if side == "front" else "back")
                             if kind in CARDS else job.scan_page())

        def done(path: Path) -> None:
            if self.kind in CARDS and (self.side == "back" or self.redo):
                self.redo = False
                self.preview()         # both sides there (or the one redone): the preview
                return
            if self.kind in CARDS:
                self.side = "back"
            else:
                self.pages += 1
                self.thumbs.append(page_thumb(path, self.thumb_h()))
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
            return flow.kept(flow.preview_pdf(job.idcard_pdf() if kind in CARDS
                                              else job.document_pdf()))

        def failed(exc: BaseException) -> None:
            self.app.notice("没有做好预览", failure_text(exc))

        run_busy(self, Busy(self.app, "正在准备预览"), build, self._show, failed)

    def _show(self, path: Path) -> None:
        flow, kind = self.flow, self.kind
        heading = msg.preview_heading(kind, self.pages)
        extra = ((msg.REDO_FRONT, partial(self.redo_side, "front")),
                 (msg.REDO_BACK, partial(self.redo_side, "back"))) if kind in CARDS else ()

        def run(copies: int) -> JobOutcome:
            return flow.ensure_job().print_pdf(path.read_bytes(), copies, TITLES[kind])

        job = PrintJob(title="复印预览", heading=heading, pdf=path, run=run,
                       busy_text="请稍候，复印好后请到A4打印机出纸口取走。",
                       done_title="复印好了", done_text=TAKE_BACK[kind], cache=False,
                       extra=extra)
        self.app.push(PrintPreview(self.app, flow.terminal.a4, job, self._printed,
                                   on_back=self._back_from_preview))

    def redo_side(self, side: str) -> None:
        """重扫正面 / 重扫背面 from the preview: that side only, then the preview again."""
        self.app.pop()         # the preview (its page pixels go with it)
        self.side, self.redo = side, True
        self.layout()
        self.app.invalidate()

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
        self.app.notice(msg.COPIED_TITLE, msg.copied(copies, self.kind))

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.colors.bg)
        r = self.text_rect
        used = draw_wrapped(surface, fontset(True), self.step_title(), t.title, r,
                            t.colors.text, max_lines=1)
        draw_wrapped(surface, fontset(), self.instruction(), t.body,
                     pygame.Rect(r.left, r.top + used + t.gap, r.width, r.height), t.colors.text)
        what = self.side if self.kind in CARDS else "page"
        draw_glass(surface, t, self.picture, what)
        if self.thumbs_shown():
            self._draw_thumbs(surface)
        self.draw_widgets(surface)

    # ---- the pages so far: small pictures, so "扫下一页" is never a guess -------------------
    def thumbs_shown(self) -> bool:
        return self.kind not in CARDS and bool(self.thumbs) and not self.theme.landscape

    def thumb_h(self) -> int:
        return self.theme.mm(45)

    def _draw_thumbs(self, surface: pygame.Surface) -> None:
        t = self.theme
        x = self.thumb_rect.left
        for n, thumb in enumerate(self.thumbs, 1):
            if x + thumb.get_width() > self.thumb_rect.right:
                break
            surface.blit(thumb, (x, self.thumb_rect.top))
            pygame.draw.rect(surface, t.colors.line, (x, self.thumb_rect.top,
                                                      thumb.get_width(), thumb.get_height()), 1)
            draw_wrapped(surface, fontset(True), msg.page_label(n), t.small,
                         pygame.Rect(x, self.thumb_rect.top, thumb.get_width(), t.small * 2),
                         t.colors.accent, max_lines=1, center=True)
            x += thumb.get_width() + t.gap


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


def page_thumb(path: Path, height: int) -> pygame.Surface:
    """A small picture of a scanned page (UI thread; the file is the scanner's private one)."""
    image = pygame.image.load(str(path))
    w, h = image.get_size()
    return pygame.transform.smoothscale(image, (max(1, round(w * height / h)), height))


def kind_of(name: str) -> Kind:
    for k in ("idcard", "card", "hukou", "document"):
        if name == k:
            return k
    raise ValueError(f"no copy kind {name!r}")
