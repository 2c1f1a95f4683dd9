"""表格打印: the items that have forms (home) → one item's forms, blank (空白表格) and filled-in
samples (示例样表) → the preview, with copies and the printer's state → printed on the A4
printer through CUPS. From a guide the flow starts at that item's forms, and an item with a
single form goes straight to its preview.

Which items have forms, and how many of each kind, is in the catalog's summaries
(kiosk/forms/index.py), so the list shows at once: no worker, no loading step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from devices.outcome import JobOutcome
from kiosk.catalog.model import Form, Item
from kiosk.errors import KioskError
from kiosk.forms.index import forms_index, kind_label
from kiosk.forms.service import form_pdf, print_form
from kiosk.terminal import Terminal
from screens.chrome import Header
from screens.fonts import fontset
from screens.print_preview import PrintJob, PrintPreview
from screens.screen import Screen
from screens.text import draw_wrapped, text_height
from screens.widgets.listview import Row, RowList
from screens.widgets.pager import page_buttons
from screens.widgets.scroll import ScrollView

if TYPE_CHECKING:
    from screens.app import App

TITLE = "表格打印"


class ListScreen(Screen[None]):
    """A header, a line of guidance, and a scrolling list with 上一页/下一页 under it."""

    title = TITLE
    heading = ""      # a bold line above the guidance (the item's name)
    intro = ""

    def empty_text(self) -> str:
        return ""

    def rows(self) -> list[Row]:
        return []

    def chosen(self, row: Row) -> None:
        """A row was tapped."""

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, self.title)
        inner = w - 2 * t.margin
        self.heading_rect = pygame.Rect(t.margin, header.rect.bottom + t.margin, inner,
                                        text_height(fontset(True), self.heading, t.title, inner)
                                        if self.heading else 0)
        self.intro_rect = pygame.Rect(t.margin, self.heading_rect.bottom + (
            t.gap if self.heading else 0), inner, text_height(fontset(), self.intro, t.body,
                                                              inner))
        y = self.intro_rect.bottom + t.margin
        bottom = h - t.margin - t.button_h
        self.view = ScrollView((t.margin, y, w - 2 * t.margin, bottom - t.gap - y),
                               RowList(self.rows(), t, self.chosen,
                                       empty_text=self.empty_text()), t)
        self.widgets = [*header.parts(), self.view,
                        *page_buttons(self.view, t, t.margin, bottom, w - 2 * t.margin)]

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.theme.colors.bg)
        if self.heading:
            draw_wrapped(surface, fontset(True), self.heading, self.theme.title,
                         self.heading_rect, self.theme.colors.text)
        draw_wrapped(surface, fontset(), self.intro, self.theme.body, self.intro_rect,
                     self.theme.colors.text)
        self.draw_widgets(surface)


class FormItemsScreen(ListScreen):
    """Every item with forms, most asked-for first."""

    intro = "请选择您要办理的事项，可以打印空白表格，也可以打印填好的示例样表作参考。"

    def __init__(self, app: App, terminal: Terminal) -> None:
        super().__init__(app)
        self.terminal = terminal
        self.entries = forms_index(app.catalog)   # from the summaries in memory: a few ms

    def empty_text(self) -> str:
        return "暂时没有可以打印的表格。"

    def rows(self) -> list[Row]:
        return [Row(e.summary.name, f"{e.summary.department}  {e.counts_text}",
                    "", e.summary.code) for e in self.entries]

    def chosen(self, row: Row) -> None:
        open_item_forms(self.app, self.terminal, str(row.data))


class ItemFormsScreen(ListScreen):
    """One item's forms: what each is, and how many pages."""

    def __init__(self, app: App, terminal: Terminal, item: Item) -> None:
        super().__init__(app)
        self.terminal = terminal
        self.item = item
        self.heading = item.name
        self.intro = "请选择要打印的表格，先看预览，再打印。示例样表是填好的样子，供您参照填写。"

    def rows(self) -> list[Row]:
        return [Row(f.title, form_subtitle(f), kind_label(f), f) for f in self.item.forms]

    def chosen(self, row: Row) -> None:
        open_preview(self.app, self.terminal, self.item, row.data)


def form_subtitle(form: Form) -> str:
    what = "填写示范，仅供参考" if form.kind == "sample" else "打印后手写填好"
    return f"{what}，共 {form.pages} 页" if form.pages else what


def open_forms(app: App, terminal: Terminal) -> None:
    """Home screen 表格打印."""
    app.push(FormItemsScreen(app, terminal))


def open_item_forms(app: App, terminal: Terminal, code: str) -> None:
    """One item's forms (a guide's 打印表格); a single form opens its preview at once."""
    try:
        item = app.catalog.get(code)
    except KioskError as exc:
        app.notice("暂时无法打印表格", exc.citizen_message)
        return
    if not item.forms:
        app.notice("没有可打印的表格", "这个事项没有需要填写的表格，请按办事指南准备材料。")
    elif len(item.forms) == 1:
        open_preview(app, terminal, item, item.forms[0])
    else:
        app.push(ItemFormsScreen(app, terminal, item))


def open_preview(app: App, terminal: Terminal, item: Item, form: Form) -> None:
    try:
        form, path = form_pdf(app.cfg, item, form.id)
    except KioskError as exc:
        app.notice("暂时无法打印", exc.citizen_message)
        return
    printer, cfg = terminal.a4, app.cfg

    def run(copies: int) -> JobOutcome:
        if printer is None:
            raise KioskError("the A4 printer is not open")
        return print_form(cfg, printer, item, form.id, copies)

    job = PrintJob(title=f"{kind_label(form)}预览", heading=form.title, pdf=path,
                   run=run,
                   done_text="请到A4打印机出纸口取走表格。")
    app.push(PrintPreview(app, printer, job))
