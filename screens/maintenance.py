"""Placeholder for maintenance mode (another issue builds it: PIN entry, device status).
The hidden corner gesture lands here through `Actions.open_maintenance`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from screens.dialog import Dialog

if TYPE_CHECKING:
    from screens.app import App


class MaintenancePlaceholder(Dialog[None]):
    def __init__(self, app: App) -> None:
        super().__init__(app, "维护模式", "维护功能尚未接入。", [("退出", None)])
