"""The procedure guide: everything about one item, scrolling smoothly, with 打印办事指南 and
打印表格 at the bottom (they call the Actions hooks the printing work plugs into)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

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
            self.app.notice(msg.ITEM_GONE_TITLE, msg.ITEM_GONE)
            return
        if self.code not in self.app.session.viewed:
            self.app.session.viewed.append(self.code)
        super().on_enter()

    def layout(self) -> None:
        if self.missing:
            return
        t = self.theme
        header = Header(self.app, "办事指南")
        a = self.app.actions
        self.print_guide = Button((0, 0, 0, 0), "打印办事指南", lambda: a.print_guide(self.code),
                                  size=t.title, sublabel="带走材料清单")
        self.print_forms = Button((0, 0, 0, 0), "打印表格", lambda: a.print_forms(self.code),
                                  size=t.title, sublabel=f"共{len(self.item.forms)}份"
                                  if self.item.forms else "本事项无需表格")
        self.print_forms.enabled = bool(self.item.forms)
        if t.landscape:
            self._layout_side(header.rect.bottom + t.margin)
        else:
            self._layout_bottom(header.rect.bottom + t.margin)
        self.widgets = [*header.parts(), self.view, self.print_guide, self.print_forms,
                        *self.pages]

    def _layout_bottom(self, y: int) -> None:
        """Portrait: the guide full width, print buttons and paging underneath."""
        t, (w, h) = self.theme, self.app.size
        pages_top = h - t.margin - t.button_h
        print_top = pages_top - t.gap - t.big_button_h
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
