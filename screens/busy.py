"""A plain "please wait" card over the current screen while a worker prints or reads. It has
no button on purpose: the job cannot be undone halfway, and a second tap must not start a
second job.

`run_busy(owner, busy, work, on_done, on_error)` is the whole Busy → worker → result pattern:
it shows the card, runs `work` on a worker owned by `owner` (so nothing comes back once that
screen has gone — the visit ended), closes the card, then hands over the result or the error.
`busy.say(text)` (thread-safe) changes what the card says while the work goes on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import pygame

from devices.status import JobProgress
from screens.fonts import fontset
from screens.messages.busy import progress_text
from screens.screen import Screen
from screens.text import draw_wrapped, text_height
from screens.workers import Worker

if TYPE_CHECKING:
    from screens.app import App

T = TypeVar("T")


class Busy(Screen[None]):
    opaque = False

    def __init__(self, app: App, title: str, message: str = "请稍候…") -> None:
        super().__init__(app)
        self.title = title
        self.message = message
        self.card = pygame.Rect(0, 0, 0, 0)

    def layout(self) -> None:
        t, (w, h) = self.theme, self.app.size
        cw = min(w - 2 * t.margin, t.mm(200))
        inner = cw - 2 * t.margin
        ch = (t.margin * 3 + text_height(fontset(True), self.title, t.title, inner)
              + text_height(fontset(), self.message, t.body, inner))
        self.card = pygame.Rect((w - cw) // 2, (h - ch) // 2, cw, ch)

    def handle_key(self, ev: object) -> None:
        """Escape does not close it: the job is running."""

    def on_message(self, message: object) -> None:
        """A device says why the job is slow (the printer does not answer): say it too."""
        if isinstance(message, JobProgress):
            text = progress_text(message)
            if text is not None:
                self._say(text)

    def say(self, message: str) -> None:
        """Thread-safe: the worker says what is happening now (e.g. 正在连接打印机…)."""
        self.app.post(lambda: self._say(message))

    def _say(self, message: str) -> None:
        if message != self.message:
            self.message = message
            self.layout()
            self.app.invalidate()

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        shade = pygame.Surface(self.app.size, pygame.SRCALPHA)
        shade.fill(t.colors.shade)
        surface.blit(shade, (0, 0))
        pygame.draw.rect(surface, t.colors.surface, self.card, border_radius=t.radius * 2)
        inner = self.card.inflate(-2 * t.margin, -2 * t.margin)
        used = draw_wrapped(surface, fontset(True), self.title, t.title, inner, t.colors.text,
                            center=True)
        draw_wrapped(surface, fontset(), self.message, t.body,
                     pygame.Rect(inner.left, inner.top + used + t.margin, inner.width,
                                 inner.height), t.colors.text, center=True)


def run_busy(owner: Screen[Any], busy: Busy, work: Callable[[], T], on_done: Callable[[T], None],
             on_error: Callable[[BaseException], None]) -> Worker[T]:
    """Show `busy` over `owner`, run `work` on a worker owned by `owner`, then close the card
    and call `on_done(result)` or `on_error(exc)` on the UI thread. If `owner` leaves the stack
    first (the visit timed out, 首页), neither is called: the card went with it."""
    app = owner.app
    app.push(busy)

    def done(result: T) -> None:
        app.pop(screen=busy)
        on_done(result)

    def failed(exc: BaseException) -> None:
        app.pop(screen=busy)
        on_error(exc)

    return owner.run_worker(work, done, failed)
