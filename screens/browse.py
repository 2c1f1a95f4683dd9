"""Browse: by theme (自然人 / 法人 topics), by life event, by department — each with its count —
then the items of one category. A big search bar on top leads to the keyboard search."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from kiosk.catalog.bundles import Bundle
from kiosk.catalog.catalog import CategoryKind, ItemSummary
from screens.chrome import Header
from screens.messages import bundle as bmsg
from screens.screen import Screen
from screens.widgets.button import Button
from screens.widgets.listview import Row, RowList
from screens.widgets.pager import page_buttons
from screens.widgets.scroll import ScrollView

if TYPE_CHECKING:
    from screens.app import App

# The catalog's 自然人 / 法人 are the government's words. Under every personal topic "个人办理"
# said nothing (issue 17): only the topics for companies say whom they are for.
AUDIENCE_PLAIN = bmsg.AUDIENCE
TABS: list[tuple[CategoryKind, str]] = [("theme", "按主题"), ("life_event", "按人生大事"),
                                        ("department", "按部门")]


def pager(screen: Screen[Any], view: ScrollView, top: int) -> list[Button]:
    t, (w, _) = screen.theme, screen.app.size
    return page_buttons(view, t, t.margin, top, w - 2 * t.margin)


def visits_label(s: ItemSummary) -> str:
    """零跑动 / 最多跑一次 said plainly: how many times you come to the hall."""
    return bmsg.visits(s.visits)


def item_rows(items: list[ItemSummary]) -> list[Row]:
    return [Row(s.name, s.department, visits_label(s), s.code) for s in items]


def open_guide(app: App, code: str) -> None:
    from screens.guide import GuideScreen

    app.push(GuideScreen(app, code))


class BrowseScreen(Screen[None]):
    def __init__(self, app: App, kind: CategoryKind = "theme") -> None:
        super().__init__(app)
        self.kind: CategoryKind = kind

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, "办事指南查询")
        y = header.rect.bottom + t.margin
        search = Button((t.margin, y, w - 2 * t.margin, t.big_button_h),
                        "查找：输入名称或拼音首字母", self._search, style="secondary", size=t.title,
                        sublabel="例如：低保 或 DB")
        y = search.rect.bottom + t.gap * 2
        tw = (w - 2 * t.margin - 2 * t.gap) // 3
        self.tabs = []
        for i, (kind, label) in enumerate(TABS):
            b = Button((t.margin + i * (tw + t.gap), y, tw, t.button_h), label,
                       partial(self.show, kind), style="secondary")
            b.selected = kind == self.kind
            self.tabs.append(b)
        y += t.button_h + t.gap
        bottom = h - t.margin - t.button_h
        self.view = ScrollView((t.margin, y, w - 2 * t.margin, bottom - t.gap - y),
                               self._content(), t)
        self.widgets = [*header.parts(), search, *self.tabs, self.view,
                        *pager(self, self.view, bottom)]

    def _content(self) -> RowList:
        kind, catalog = self.kind, self.app.catalog
        cats = self.app.cached(f"categories:{kind}", lambda: catalog.categories(kind))
        rows = [Row(c.name, AUDIENCE_PLAIN.get(c.audience, ""), f"{c.count}项", c)
                for c in cats]
        return RowList(rows, self.theme, self._open, empty_text="暂无分类", title_lines=1)

    def show(self, kind: CategoryKind) -> None:
        self.kind = kind
        for b, (k, _) in zip(self.tabs, TABS, strict=True):
            b.selected = k == kind
        self.view.set_content(self._content())
        self.app.invalidate()

    def _open(self, row: Row) -> None:
        self.app.push(CategoryScreen(self.app, self.kind, row.data.name))

    def _search(self) -> None:
        from screens.search import SearchScreen

        self.app.push(SearchScreen(self.app))


class CategoryScreen(Screen[None]):
    """The items of one category, most asked-for first; under a life event, its 一件事
    bundles first (身后事 → 身后一件事: the errands in order, one checklist)."""

    def __init__(self, app: App, kind: CategoryKind, name: str) -> None:
        super().__init__(app)
        self.kind, self.name = kind, name
        self.items = app.catalog.in_category(kind, name)
        self.bundles = [b for b in app.catalog.meta.bundles
                        if kind == "life_event" and b.life_event == name]

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        header = Header(self.app, f"{self.name}（{len(self.items)}项）")
        y = header.rect.bottom + t.margin
        bottom = h - t.margin - t.button_h
        rows = [Row(bmsg.row_title(b.name), b.summary, bmsg.row_right(len(b.steps)), b)
                for b in self.bundles] + item_rows(self.items)
        content = RowList(rows, t, self._open)
        self.view = ScrollView((t.margin, y, w - 2 * t.margin, bottom - t.gap - y), content, t)
        self.widgets = [*header.parts(), self.view, *pager(self, self.view, bottom)]

    def _open(self, row: Row) -> None:
        if isinstance(row.data, Bundle):
            from screens.bundle import BundleScreen

            self.app.push(BundleScreen(self.app, row.data.id))
        else:
            open_guide(self.app, row.data)

