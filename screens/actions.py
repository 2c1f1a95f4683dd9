"""Hooks the other flows plug into: printing a guide or forms, taking a ticket, copying,
maintenance. The UI calls these; until a flow exists the citizen gets a polite message
instead of a dead button. A flow subclasses Actions (or sets attributes) and is passed to
the App; `self.app` is set when the App starts, so a hook can push screens and run workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screens.messages.common import NOT_YET

if TYPE_CHECKING:
    from screens.app import App



class Actions:
    def __init__(self) -> None:
        self.app: App | None = None

    def bind(self, app: App) -> None:
        self.app = app

    def _not_yet(self, title: str) -> None:
        if self.app is not None:
            self.app.notice(title, NOT_YET)

    def print_guide(self, code: str) -> None:
        """Print the guide of item `code` on the receipt printer."""
        self._not_yet("打印办事指南")

    def print_forms(self, code: str) -> None:
        """Print the blank forms of item `code` on the A4 printer."""
        self._not_yet("打印表格")

    def forms(self) -> None:
        """Home screen 表格打印: pick and print forms."""
        self._not_yet("表格打印")

    def take_ticket(self) -> None:
        """Home screen 排队取号."""
        self._not_yet("排队取号")

    def print_bundle(self, bundle_id: str) -> None:
        """Print a 一件事 bundle's combined checklist on the receipt printer."""
        self._not_yet("打印合并清单")

    def queue_for(self, code: str) -> tuple[str, str, str] | None:
        """(service letter, service name, window) of the queue service that serves item
        `code` — the guide's 去取号 — or None."""
        return None

    def take_ticket_for(self, prefix: str) -> None:
        """去取号 on a guide: the queue flow, straight at that service."""
        self.take_ticket()

    def receipt_trouble(self) -> str:
        """The receipt printer's trouble in plain words ("缺纸，请装纸"), "" when it can print:
        打印办事指南 says so before it is tapped."""
        return ""

    def guide_viewed(self, code: str) -> None:
        """A guide was opened (counted per day for staff and the county)."""

    def queue_note(self) -> str:
        """Runs on a worker: "" while tickets can be taken, else what the home screen says
        under 排队取号 (no service open now: the hours and the phone)."""
        return ""

    def say(self, text: str) -> bool:
        """Say a reminder aloud as well (请取回您的身份证); False when this kiosk has no voice.
        Returns at once: the sound plays on its own thread."""
        return False

    def copy(self) -> None:
        """Home screen 复印."""
        self._not_yet("复印")

    def open_maintenance(self) -> None:
        """The hidden corner gesture was made: ask for the staff PIN (maintenance issue)."""
        if self.app is not None:
            from screens.maintenance import MaintenancePlaceholder

            self.app.push(MaintenancePlaceholder(self.app))
