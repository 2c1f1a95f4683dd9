"""What every maintenance screen shares: its own idle timer (staff walk away; a citizen must
never find the staff pages open), which also keeps the citizen idle warning from popping up
over a technician who is reading the status."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from kiosk.maintenance.mode import IdleTimer
from screens.input import Key, Pointer
from screens.screen import Screen

if TYPE_CHECKING:
    from screens.app import App

R = TypeVar("R")


class StaffScreen(Screen[R]):
    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.idle = IdleTimer(app.cfg.maintenance.idle_timeout_s, app.clock)

    def handle(self, ev: Pointer | Key | object) -> None:
        if isinstance(ev, Pointer | Key):
            self.idle.touch()
        super().handle(ev)

    def update(self, dt: float) -> bool:
        if self.idle.expired():
            self.leave()
            return False
        self.app.session.touch()   # our timer rules here, not the citizen's
        return super().update(dt)

    def leave(self) -> None:
        """Close every staff screen: back to the attract screen with a fresh visit."""
        self.app.end_session()
