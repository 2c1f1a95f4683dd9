"""Search: an on-screen keyboard, results on every key with the matched characters lit (and,
for a hit found only through a colloquial word, one line saying why: "因为：过世 → 注销户口"),
candidate words the catalog knows for the letters typed so far, and — when nothing is found —
the closest items ("您是不是要找"), the popular items and the categories, so a citizen is never
left at a dead end."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import pygame

from kiosk.catalog.catalog import Category, ItemSummary
from kiosk.errors import ItemNotFound
from kiosk.search.results import Hit, SearchResult, Suggestions
from screens.browse import CategoryScreen, item_rows, open_guide, visits_label
from screens.chrome import Header
from screens.fonts import fontset
from screens.input import Key
from screens.messages.search import SEARCH_FAILED
from screens.screen import Screen
from screens.text import draw_wrapped
from screens.widgets.base import Widget
from screens.widgets.button import Button
from screens.widgets.keyboard import keyboard_height, make_keyboard, square_keyboard_height
from screens.widgets.listview import Row, RowList
from screens.widgets.scroll import ScrollView

if TYPE_CHECKING:
    from screens.app import App
    from screens.theme import Theme

MAX_QUERY = 24
# Named as the browse screen's tabs name them (按主题 / 按人生大事 / 按部门).
CATEGORY_KIND_ZH = {"theme": "主题", "life_event": "人生大事", "department": "部门"}
HELP = ("怎么输入：每个字的拼音首字母，例如“低保”输入 DB；也可以输入完整拼音，例如 dibao。"
        "输入后点左边的事项查看办事指南，点上方的词可以直接查找。")
CAND_HELP = "输入字母后，这里会出现可以直接点的词"
HINT = "请输入事项名称的拼音首字母，如“低保”输入 DB"
POPULAR_BELOW = "下面是大家常办的事项和分类："
LOOKUP = "lookup"   # the search screen's worker group


class QueryField(Widget):
    """The typed text, or a hint when empty."""

    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int]) -> None:
        super().__init__(rect)
        self.text = ""
        self.note = ""

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        c = theme.colors
        pygame.draw.rect(surface, c.surface, self.rect, border_radius=theme.radius)
        pygame.draw.rect(surface, c.primary, self.rect, width=max(2, theme.mm(0.6)),
                         border_radius=theme.radius)
        inner = self.rect.inflate(-2 * theme.mm(3), 0)
        if self.text:
            px, color, text, fonts = theme.title, c.text, self.text.upper() + " |", fontset(True)
        else:
            px, color, text, fonts = theme.small, c.muted, HINT, fontset()
        lh = fonts.line_height(px)
        draw_wrapped(surface, fonts, text, px,
                     pygame.Rect(inner.left, self.rect.centery - lh // 2, inner.width, lh),
                     color, max_lines=1)
        if self.note:
            nw = fontset().width(self.note, theme.small)
            fontset().draw(surface, inner.right - nw,
                           self.rect.centery - fontset().line_height(theme.small) // 2,
                           self.note, c.muted, theme.small)


class Label(Widget):
    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int], text: str = "") -> None:
        super().__init__(rect)
        self.text = text

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        draw_wrapped(surface, fontset(True), self.text, theme.body, self.rect,
                     theme.colors.text, max_lines=2)


class Help(Widget):
    """How to type: in landscape the column's spare room between the candidates and the
    keyboard; in portrait one line in the candidate strip while it has no words."""

    def __init__(self, rect: pygame.Rect | tuple[int, int, int, int], text: str) -> None:
        super().__init__(rect)
        self.text = text

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        lh = fontset().line_height(theme.body)
        lines = self.rect.height // lh
        if lines == 1:   # the candidate strip: the line centred in it
            r = pygame.Rect(self.rect.left, self.rect.centery - lh // 2, self.rect.width, lh)
            draw_wrapped(surface, fontset(), self.text, theme.body, r, theme.colors.muted,
                         max_lines=1)
        elif lines > 1:
            draw_wrapped(surface, fontset(), self.text, theme.body, self.rect,
                         theme.colors.muted, max_lines=lines)


class SearchScreen(Screen[None]):
    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.query = app.session.query
        self.result: SearchResult | None = None
        self.candidates: list[Button] = []
        self._cand_cache: dict[tuple[str, int, int, bool], Button] = {}

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        self.header = Header(self.app, "查找办事指南")
        top = self.header.rect.bottom + t.margin
        kb_h = keyboard_height(t)
        if t.landscape:
            split = w * 11 // 20
            left = pygame.Rect(t.margin, top, split - 2 * t.margin, h - top - t.margin)
            right = pygame.Rect(split, top, w - split - t.margin, h - top - t.margin)
            self.field = QueryField((right.left, right.top, right.width, t.button_h))
            self.cand_rect = pygame.Rect(right.left, self.field.rect.bottom + t.gap,
                                         right.width, t.button_h)
            # Keys as tall as they are wide while there is room: the column is otherwise
            # an empty gap between the candidates and a keyboard pinned to the bottom.
            room = right.bottom - (self.cand_rect.bottom + t.gap)
            kb_h = max(kb_h, min(room, square_keyboard_height(t, right.width)))
            kb = pygame.Rect(right.left, right.bottom - kb_h, right.width, kb_h)
            help_top = self.cand_rect.bottom + 2 * t.gap
            self.help = Help((right.left, help_top, right.width, kb.top - t.gap - help_top),
                             HELP)
            list_rect = left
        else:
            self.field = QueryField((t.margin, top, w - 2 * t.margin, t.button_h))
            kb = pygame.Rect(t.margin, h - t.margin - kb_h, w - 2 * t.margin, kb_h)
            self.cand_rect = pygame.Rect(t.margin, kb.top - t.gap - t.button_h,
                                         w - 2 * t.margin, t.button_h)
            list_top = self.field.rect.bottom + t.gap
            list_rect = pygame.Rect(t.margin, list_top, w - 2 * t.margin,
                                    self.cand_rect.top - t.gap - list_top)
        lh = fontset(True).line_height(t.body)
        if not t.landscape:
            self.help = Help(self.cand_rect, CAND_HELP)
        self.label = Label((list_rect.left, list_rect.top, list_rect.width, lh))
        self.view = ScrollView((list_rect.left, list_rect.top + lh + t.gap, list_rect.width,
                                list_rect.height - lh - t.gap),
                               RowList([], t, self._tap), t)
        self.keys = make_keyboard(kb, t, self.type_char, self.backspace, self.clear)
        self.refresh()

    def _rebuild_widgets(self) -> None:
        self.widgets = [*self.header.parts(), self.field, self.help, self.label, self.view,
                        *self.candidates, *self.keys]

    # ---- typing ----------------------------------------------------------------------------
    def type_char(self, ch: str) -> None:
        if len(self.query) < MAX_QUERY:
            self.set_query(self.query + ch)

    def backspace(self) -> None:
        self.set_query(self.query[:-1])

    def clear(self) -> None:
        self.set_query("")

    def set_query(self, text: str) -> None:
        self.query = text
        self.app.session.query = text
        self.refresh()

    def handle_key(self, ev: Key) -> None:
        if ev.text and (ev.text.isalnum() or not ev.text.isascii()):
            self.set_query((self.query + ev.text.lower())[:MAX_QUERY])
        elif ev.key == pygame.K_BACKSPACE:
            self.backspace()
        else:
            super().handle_key(ev)

    # ---- results ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the query now; look it up off the UI thread (runs on every key). Each lookup
        is an exclusive worker: a newer key replaces the lookup before it (its result is
        dropped) and waits for a running one to return, so a fast typist never queues a
        backlog of searches and never sees an older query's results."""
        self.field.text = self.query
        self.app.invalidate()
        if not self.query.strip():
            self.cancel_workers(LOOKUP)
            self._show("", None, [])
            return
        if not self.app.searcher.ready:
            self.label.text = "正在准备查找，请稍候…"
        self._lookup()

    def _lookup(self) -> None:
        q = self.query
        searcher, limit = self.app.searcher, self.app.cfg.search.limit

        def work() -> tuple[SearchResult, list[str]]:
            return searcher.search(q, limit), searcher.complete(q, 8)

        self.run_worker(work, partial(self._arrived, q), self._failed, group=LOOKUP,
                        exclusive=True)

    def _arrived(self, q: str, found: tuple[SearchResult, list[str]]) -> None:
        self._show(q, *found)

    def _failed(self, exc: BaseException) -> None:
        self.label.text = SEARCH_FAILED
        self.app.invalidate()

    def _show(self, q: str, result: SearchResult | None, words: list[str]) -> None:
        self.result = result
        hits = list(result.hits) if result is not None else []
        suggestions = result.suggestions if result is not None else None
        if result is not None and hits:
            total = result.total
            self.label.text = (f"找到 {total} 项" + (f"，先列出最相关的 {len(hits)} 项"
                                                  if total > len(hits) else ""))
            rows = [self._hit_row(hit) for hit in hits]
        elif suggestions is not None and suggestions.closest:
            self.label.text = suggestions.message      # 没有找到…完全相符的事项。您是不是要找：
            rows = [*item_rows(suggestions.closest), Row(POPULAR_BELOW),
                    *self._fallback_rows(suggestions)]
        else:
            self.label.text = (f"没有找到“{q.upper()}”，您可以看看大家常办的事项和分类："
                               if q.strip() else "大家常办的事项：")
            rows = self._fallback_rows(suggestions)
        self.view.set_content(RowList(rows, self.theme, self._tap))
        self._candidates(words)
        self._rebuild_widgets()
        self.app.invalidate()

    def _hit_row(self, hit: Hit) -> Row:
        # Any match on the name's own text lights characters: a substring, the characters
        # that typed pinyin/initials stood for, or the official word a colloquial one means.
        spans = [s for m in hit.matches if m.text == hit.name for s in m.spans]
        try:
            s = self.app.catalog.summary(hit.code)
            sub, right = s.department, visits_label(s)
        except ItemNotFound:
            sub, right = "", ""
        if hit.because is not None:
            sub = hit.because.line()     # 因为：过世 → 注销户口 (why a hit came up)
        return Row(hit.name, sub, right, hit.code, spans)

    def _fallback_rows(self, suggestions: Suggestions | None = None) -> list[Row]:
        """Popular items, then categories: the index's suggestions when it gives them."""
        cat, n = self.app.catalog, self.app.cfg.search.popular
        popular: list[ItemSummary] = (suggestions.popular if suggestions else []) or \
            self.app.cached(f"popular:{n}", lambda: cat.popular(n))
        cats: list[Category] = (suggestions.categories if suggestions else []) or \
            self.app.cached(
            "categories:life_event+theme",
            lambda: cat.categories("life_event") + cat.categories("theme"))
        rows = item_rows(list(popular))
        for c in cats:
            kind = CATEGORY_KIND_ZH.get(c.kind, "分类")
            rows.append(Row(f"{kind}：{c.name}", "点这里查看这一类的全部事项", f"{c.count}项", c))
        return rows

    def _candidates(self, words: list[str]) -> None:
        t = self.theme
        self.candidates = []
        x = self.cand_rect.left
        for word in words:
            bw = fontset(True).width(word, t.body) + 2 * t.mm(4)
            bw = max(bw, t.target)
            if x + bw > self.cand_rect.right:
                break
            self.candidates.append(self._candidate(word, x, bw))
            x += bw + t.gap
        if not t.landscape:
            self.help.visible = not self.candidates

    def _candidate(self, word: str, x: int, width: int) -> Button:
        """A candidate button, reused while the same word stays in the same place: typing
        one more letter often keeps the first candidates, and their faces stay rendered."""
        key = (word, x, width, self.theme.elder)
        b = self._cand_cache.pop(key, None)
        if b is None:
            b = Button((x, self.cand_rect.top, width, self.cand_rect.height), word,
                       partial(self.set_query, word), style="secondary")
        b.pressed = False
        self._cand_cache[key] = b
        while len(self._cand_cache) > 64:
            self._cand_cache.pop(next(iter(self._cand_cache)))
        return b

    def _tap(self, row: Row) -> None:
        if row.data is None:
            return               # the line between the closest items and the popular ones
        if isinstance(row.data, Category):
            self.app.push(CategoryScreen(self.app, row.data.kind, row.data.name))
        else:
            open_guide(self.app, row.data)
