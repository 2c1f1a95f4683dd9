"""上一页 / 下一页 under a scroll view, for those who do not drag. Each greys out when its
direction has nothing more to show."""

from __future__ import annotations

import pygame

from screens.theme import Theme
from screens.widgets.button import Button
from screens.widgets.scroll import ScrollView


class PageButton(Button):
    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int], view: ScrollView,
                 direction: int) -> None:
        label = "▲ 上一页" if direction < 0 else "▼ 下一页"
        super().__init__(rect, label, lambda: view.page(direction), style="secondary")
        self.view = view
        self.direction = direction

    @property
    def enabled(self) -> bool:
        v = self.view
        return not (v.at_top if self.direction < 0 else v.at_bottom)

    @enabled.setter
    def enabled(self, _value: bool) -> None:
        """Ignored: whether paging makes sense follows from the view."""


def page_buttons(view: ScrollView, theme: Theme, left: int, top: int, width: int
                 ) -> list[Button]:
    bw = (width - theme.gap) // 2
    return [PageButton((left, top, bw, theme.button_h), view, -1),
            PageButton((left + bw + theme.gap, top, bw, theme.button_h), view, 1)]
