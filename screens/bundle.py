"""一件事 on screen: the errands of one life event in the order to do them (each opens its own
guide), one combined, de-duplicated checklist (kiosk/catalog/bundles.py), and 打印合并清单 —
all of it on one slip (kiosk/receipts/bundle.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.catalog.bundles import Bundle, combined_checklist
from kiosk.catalog.model import Item
from screens.browse import open_guide, pager
from screens.chrome import Header
from screens.guide_content import GuideContent, Para
from screens.messages import bundle as msg
from screens.screen import Screen
from screens.theme import Theme
from screens.widgets.button import Button
from screens.widgets.scroll import ScrollView

if TYPE_CHECKING:
    from screens.app import App


def find_bundle(app: App, bundle_id: str) -> Bundle | None:
    return next((b for b in app.catalog.meta.bundles if b.id == bundle_id), None)


class BundleContent(GuideContent):
    """The guide's paragraph column, built from a bundle instead of one item."""

    def __init__(self, app: App, bundle: Bundle, items: list[Item], theme: Theme,
                 width: int) -> None:
        self.app = app
        self.bundle = bundle
        self.items = items
        super().__init__(items[0], theme, width)

    def _build(self) -> list[Para]:
        t, b = self.theme, self.bundle
        c = t.colors
        out = [Para(b.name, t.title, c.text, bold=True, bottom_pad=t.gap)]
        if b.summary:
            out.append(Para(b.summary, t.body, c.accent, bold=True, bottom_pad=t.gap))
        out += self._heading(msg.ORDER)
        for n, (step, item) in enumerate(zip(b.steps, self.items, strict=True), 1):
            lines = [(msg.step_line(n, item.name), True)]
            if step.note:
                lines.append((step.note, False))
            if item.location:
                lines.append((msg.where(item.location), False))
            card = self._card(lines, muted_from=1)
            for p in card[:-1]:
                p.tap = lambda code=item.code: open_guide(self.app, code)
            out += card
        entries = combined_checklist(b, self.items)
        out += self._heading(msg.BRING)
        for e in (e for e in entries if not e.given_by):
            out += self._card([(msg.material(e.name, e.conditional), True), (e.detail, False)])
        given = [e for e in entries if e.given_by]
        if given:
            out += self._section(msg.GIVEN, [msg.given(e.name, e.detail) for e in given])
        return out


class BundleScreen(Screen[None]):
    def __init__(self, app: App, bundle_id: str) -> None:
        super().__init__(app)
        self.bundle = find_bundle(app, bundle_id)
        self.items = [app.catalog.get(code) for code in self.bundle.codes] \
            if self.bundle is not None and all(c in app.catalog for c in self.bundle.codes) \
            else []

    def on_enter(self) -> None:
        if self.bundle is None or not self.items:
            self.app.pop(screen=self)
            self.app.notice(msg.GONE_TITLE, msg.GONE)
            return
        super().on_enter()

    def layout(self) -> None:
        if self.bundle is None or not self.items:
            return
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, self.bundle.name)
        y = header.rect.bottom + t.margin
        pages_top = h - t.margin - t.button_h
        print_top = pages_top - t.gap - t.big_button_h
        bundle_id = self.bundle.id
        self.print = Button((t.margin, print_top, w - 2 * t.margin, t.big_button_h), msg.PRINT,
                            lambda: self.app.actions.print_bundle(bundle_id), size=t.title,
                            sublabel=msg.PRINT_SUB)
        rect = pygame.Rect(t.margin, y, w - 2 * t.margin, print_top - t.gap - y)
        self.view = ScrollView(rect, BundleContent(self.app, self.bundle, self.items, t,
                                                   rect.width), t)
        self.widgets = [*header.parts(), self.view, self.print,
                        *pager(self, self.view, pages_top)]
