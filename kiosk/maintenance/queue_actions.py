"""The queue's part of maintenance mode (kiosk.maintenance.backend.MaintenanceBackend): reprint,
void, reset, and open/close a service for the day. Each returns an ActionResult in plain
Chinese for hall staff and never raises for an expected failure (unknown number, printer out
of paper, store locked); the screens call these from a worker thread."""

from __future__ import annotations

import logging

from kiosk.errors import QueueError
from kiosk.maintenance.backend import ActionResult, ServiceToggle
from kiosk.queue import messages
from kiosk.queue.service import QueueService

log = logging.getLogger(__name__)


class QueueStaffActions:
    def __init__(self, queue: QueueService) -> None:
        self.queue = queue

    def reprint_ticket(self, number: str) -> ActionResult:
        try:
            result = self.queue.reprint(number)
        except QueueError as exc:
            return ActionResult(False, f"{number.upper()}：{exc.citizen_message}")
        if not result.ok:
            return ActionResult(False, f"{number.upper()}：{result.message}")
        return ActionResult(True, f"{number.upper()} 已补打，请取走号票。")

    def void_ticket(self, number: str) -> ActionResult:
        try:
            ticket = self.queue.void(number)
        except QueueError as exc:
            return ActionResult(False, f"{number.upper()}：{exc.citizen_message}")
        return ActionResult(True, f"{ticket.number} 已作废。")

    def reset_queue(self) -> ActionResult:
        try:
            voided = self.queue.reset_today()
        except QueueError as exc:
            return ActionResult(False, exc.citizen_message)
        return ActionResult(True, f"已作废今天仍在等候的 {len(voided)} 张号票；号码继续往后编，"
                                  f"不会重复。")

    def services(self) -> list[ServiceToggle]:
        overrides = self.queue.overrides()
        return [ServiceToggle(prefix=s.prefix, name=s.name, open_now=s.is_open,
                              override=overrides.get(s.prefix), hours=s.hours_text)
                for s in self.queue.overview()]

    def set_service_open(self, prefix: str, open_: bool | None) -> ActionResult:
        try:
            svc = self.queue.service(prefix)
            self.queue.set_service_open(prefix, open_)
        except QueueError as exc:
            return ActionResult(False, exc.citizen_message)
        word = {True: "今天开放取号", False: messages.PAUSED_NOTE,
                None: f"按办理时间（{messages.hours_text(svc)}）取号"}[open_]
        return ActionResult(True, f"{svc.prefix} {svc.name}：{word}。")
