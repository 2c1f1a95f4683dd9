"""The procedure guide: everything about one item, scrolling smoothly, with 打印办事指南 and
打印表格 at the bottom (they call the Actions hooks the printing work plugs into), and 去取号
when a queue service serves the window the guide names (kiosk/guide_queue.py). A receipt
printer without paper is said on 打印办事指南 before it is tapped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from devices.status import StatusUpdate
from kiosk.errors import ItemNotFound
from screens.browse import pager
from screens.chrome import Header
from screens.guide_content import GuideContent
from screens.messages import guide as msg
from screens.screen import Screen
from screens.widgets.button import Button
from screens.widgets.pager import page_buttons
from screens.widgets.scroll import ScrollView

if TYPE_CHECKING:
    from screens.app import App


class GuideScreen(Screen[None]):
    def __init__(self, app: App, code: str) -> None:
        super().__init__(app)
        self.code = code
        self.basis_open = False
        self.missing = False
        try:
            self.item = app.catalog.get(code)
        except ItemNotFound:
            self.missing = True

    def on_enter(self) -> None:
        if self.missing:
            self.app.pop(screen=self)
            self.app.notice(msg.MISSING_TITLE, msg.MISSING)
            return
        if self.code not in self.app.session.viewed:
            self.app.session.viewed.append(self.code)
        self.app.actions.guide_viewed(self.code)
        super().on_enter()

    def on_message(self, message: object) -> None:
        printer = isinstance(message, StatusUpdate) and message.device == "receipt_printer"
        if printer and self.app.actions.receipt_trouble() != self.trouble:
            self.layout()
            self.app.invalidate()

    def layout(self) -> None:
        if self.missing:
            return
        t = self.theme
        header = Header(self.app, msg.TITLE)
        a = self.app.actions
        self.trouble = a.receipt_trouble()
        self.print_guide = Button((0, 0, 0, 0), msg.PRINT_GUIDE, self._print_guide,
                                  size=t.title, style="secondary" if self.trouble else "primary",
                                  sublabel=msg.RECEIPT_DOWN_SUB if self.trouble
                                  else msg.PRINT_GUIDE_SUB)
        self.print_forms = Button((0, 0, 0, 0), msg.PRINT_FORMS, lambda: a.print_forms(self.code),
                                  size=t.title, sublabel=msg.forms_sub(len(self.item.forms))
                                  if self.item.forms else msg.NO_FORMS)
        self.print_forms.enabled = bool(self.item.forms)
        queue = a.queue_for(self.code)
        where = "" if queue is None else msg.take_ticket_sub(queue[1], queue[2])
        self.ticket = None if queue is None else Button(   # portrait: one short row
            (0, 0, 0, 0), msg.TAKE_TICKET if t.landscape else msg.take_ticket_row(where),
            lambda: a.take_ticket_for(queue[0]), style="secondary",
            sublabel=where if t.landscape else "")
        if t.landscape:
            self._layout_side(header.rect.bottom + t.margin)
        else:
            self._layout_bottom(header.rect.bottom + t.margin)
        self.widgets = [*header.parts(), self.view, self.print_guide, self.print_forms,
                        *([self.ticket] if self.ticket is not None else []), *self.pages]

    def _print_guide(self) -> None:
        if self.trouble:           # said before printing: no Busy card for nothing
            self.app.notice(msg.RECEIPT_DOWN_TITLE, msg.receipt_down(self.trouble))
            return
        self.app.actions.print_guide(self.code)

    def _layout_bottom(self, y: int) -> None:
        """Portrait: the guide full width, print buttons and paging underneath."""
        t, (w, h) = self.theme, self.app.size
        pages_top = h - t.margin - t.button_h
        print_top = pages_top - t.gap - t.big_button_h
        if self.ticket is not None:            # 去取号: a row of its own above the prints
            print_top -= t.button_h + t.gap
            self.ticket.rect = pygame.Rect(t.margin, print_top + t.big_button_h + t.gap,
                                           w - 2 * t.margin, t.button_h)
        bw = (w - 2 * t.margin - t.gap) // 2
        self.print_guide.rect = pygame.Rect(t.margin, print_top, bw, t.big_button_h)
        self.print_forms.rect = pygame.Rect(t.margin + bw + t.gap, print_top, bw,
                                            t.big_button_h)
        self._make_view(pygame.Rect(t.margin, y, w - 2 * t.margin, print_top - t.gap - y))
        self.pages = pager(self, self.view, pages_top)

    def _layout_side(self, y: int) -> None:
        """Landscape: the guide on the left at a readable line length, buttons on the right,
        all four in one group at the top: page buttons pinned to the bottom left a gap as
        tall as the screen's middle between them and the print buttons."""
        t, (w, h) = self.theme, self.app.size
        side = max(t.mm(75), w // 4)
        x = w - t.margin - side
        self.print_guide.rect = pygame.Rect(x, y, side, t.big_button_h)
        self.print_forms.rect = pygame.Rect(x, y + t.big_button_h + t.gap, side, t.big_button_h)
        self._make_view(pygame.Rect(t.margin, y, x - 2 * t.margin, h - t.margin - y))
        top = self.print_forms.rect.bottom + 2 * t.margin
        if self.ticket is not None:
            self.ticket.rect = pygame.Rect(x, self.print_forms.rect.bottom + t.gap, side,
                                           t.big_button_h)
            top = self.ticket.rect.bottom + 2 * t.margin
        page_h = min(t.big_button_h, (h - t.margin - top - t.gap) // 2)
        self.pages = page_buttons(self.view, t, x, top, side)
        self.pages[0].rect = pygame.Rect(x, top, side, page_h)
        self.pages[1].rect = pygame.Rect(x, top + page_h + t.gap, side, page_h)

    def _make_view(self, rect: pygame.Rect) -> None:
        old: ScrollView | None = getattr(self, "view", None)
        offset = old.offset if old is not None else 0.0
        self.view = ScrollView(rect, self._content(rect.width), self.theme)
        self.view.offset = self.view._clamp(offset)

    def _content(self, width: int) -> GuideContent:
        return GuideContent(self.item, self.theme, width, self.basis_open, self._toggle_basis,
                            updated=self.app.catalog.meta.published)

    def _toggle_basis(self) -> None:
        self.basis_open = not self.basis_open
        self.view.set_content(self._content(self.view.rect.width), keep_offset=True)
        if self.basis_open:
            self.view.scroll_to(self.view.max_offset)
        self.app.invalidate()
