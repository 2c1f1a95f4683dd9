"""From the hidden corner gesture to the panel: PIN pad first, then the panel in its place
(so 返回 from the panel can never land on a PIN pad that still holds typed digits)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.maintenance.backend import MaintenanceBackend
from screens.maint.panel import MaintenancePanel
from screens.maint.pinpad import PinPad

if TYPE_CHECKING:
    from screens.app import App


def open_maintenance(app: App, backend: Callable[[], MaintenanceBackend]) -> None:
    """`backend` is a factory: nothing device-side is touched until the PIN was right."""
    if any(isinstance(s, PinPad | MaintenancePanel) for s, _ in app.stack):
        return   # the gesture again while already open

    def accepted() -> None:
        app.pop(screen=pad)
        app.push(MaintenancePanel(app, backend()))

    pad = PinPad(app, accepted)
    app.push(pad)
