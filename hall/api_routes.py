"""The routes of the hall API: reads, the kiosks' commands, staff login and the window actions.
(hall/api.py has the machinery: errors, bodies, who is asking.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.routing import Route

from hall import messages
from hall.api import Refuse, bearer, body_of, day_param, field, request_id
from kiosk.queue.store import TicketNotFound
from protocol.queue import ErrorCode

if TYPE_CHECKING:
    from hall.api import HallApi

WINDOW_ACTIONS = ("next", "recall", "start", "no-show", "transfer", "finish", "pause", "resume")


def routes(api: HallApi) -> list[Route]:
    return Handlers(api).routes()


class Handlers:
    """One method per route; `routes()` lists them."""

    def __init__(self, api: HallApi) -> None:
        self.api = api
        self.store = api.store
        self.auth = api.auth


    # -- reads (no login: nothing here is personal) --------------------------------------------

    async def hall_info(self, request: Request) -> dict[str, Any]:
        views = await self.api.run(self.store.services)
        s = self.store.settings
        return {"name": s.hall.name, "day": (await self.api.run(self.store.day)).isoformat(),
                "services": [v.to_dict() for v in views],
                "windows": [{"number": w.number, "name": w.label, "services": w.services}
                            for w in s.windows],
                "declared": self.store.declared_classes(), "reset_hour": s.queue.reset_hour,
                "recall_interval_s": s.queue.recall_interval_s}

    async def services(self, request: Request) -> dict[str, Any]:
        views = await self.api.run(self.store.services)
        return {"services": [v.to_dict() for v in views], "declared": self.store.declared_classes(),
                "day": (await self.api.run(self.store.day)).isoformat()}

    async def queue(self, request: Request) -> dict[str, Any]:
        tickets = await self.api.run(self.store.queue, request.path_params["service"])
        return {"service": request.path_params["service"].upper(),
                "tickets": [t.to_dict() for t in tickets]}

    async def windows(self, request: Request) -> dict[str, Any]:
        return {"windows": [w.to_dict() for w in await self.api.run(self.store.windows)]}

    async def window(self, request: Request) -> dict[str, Any]:
        view = await self.api.run(self.store.window, int(request.path_params["number"]))
        return {"window": view.to_dict()}

    async def event_log(self, request: Request) -> dict[str, Any]:
        """The log as JSON (catch-up clients and tests; live subscribers use /api/events)."""
        after, limit = request.query_params.get("after", "0"), request.query_params.get(
            "limit", "500")
        if not (after.isdigit() and limit.isdigit()):
            raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST,
                         "after, limit: expected whole numbers")
        events = await self.api.run(self.store.events_after, int(after), min(int(limit), 1000))
        return {"events": [ev.to_dict() for ev in events]}

    async def ticket(self, request: Request) -> dict[str, Any]:
        t = await self.api.run(self.store.get, request.path_params["ticket_id"])
        if t is None:
            raise TicketNotFound(f"no ticket with id {request.path_params['ticket_id']!r}")
        return {"ticket": t.to_dict()}

    # -- kiosks (and, for lists, staff) --------------------------------------------------------

    async def tickets(self, request: Request) -> dict[str, Any]:
        await self.api.kiosk_or_session(request)
        number = request.query_params.get("number")
        day = day_param(request)
        if number:
            found = await self.api.run(self.store.find, number, day)
            return {"tickets": [found.to_dict()] if found else []}
        return {"tickets": [t.to_dict() for t in await self.api.run(self.store.tickets, day)]}

    async def recover(self, request: Request) -> dict[str, Any]:
        kiosk = await self.api.kiosk(request)
        data = await body_of(request)
        settled = await self.api.run(self.store.recover, field(data, "owner", str, ""), kiosk)
        return {"tickets": [t.to_dict() for t in settled]}

    async def issued_by(self, request: Request) -> dict[str, Any]:
        """What an issue of this kiosk's with this request id made (null: nothing committed) —
        asked by a kiosk whose issue got no reply; acts on nothing."""
        kiosk = await self.api.kiosk(request)
        t = await self.api.run(self.store.issued_by, request.path_params["request_id"])
        return {"ticket": t.to_dict() if t is not None and t.kiosk == kiosk else None}

    async def holding(self, request: Request) -> dict[str, Any]:
        await self.api.kiosk(request)
        data = await body_of(request)
        t = await self.api.run(self.store.holding, field(data, "service", str),
                          field(data, "person_hash", str))
        return {"ticket": t.to_dict() if t else None}

    async def set_open(self, request: Request) -> dict[str, Any]:
        who = await self.api.kiosk_or_manager(request)
        data = await body_of(request)
        value = data.get("is_open")
        if value is not None and not isinstance(value, bool):
            raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST,
                         "is_open: expected true, false or null")
        await self.api.run(self.store.set_service_open, request.path_params["service"], value,
                      request_id(data), who)
        return {"ok": True}

    async def reset(self, request: Request) -> dict[str, Any]:
        who = await self.api.kiosk_or_manager(request)
        data = await body_of(request)
        voided = await self.api.run(self.store.reset, field(data, "reason", str, "reset"),
                               request_id(data), who)
        return {"tickets": [t.to_dict() for t in voided]}

    # -- staff ---------------------------------------------------------------------------------

    async def login(self, request: Request) -> dict[str, Any]:
        data = await body_of(request)
        staff_no, pin = field(data, "staff", str), field(data, "pin", str)
        number = data.get("window")
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST,
                         "window: expected a window number")
        staff = await self.api.run(self.auth.check_pin, staff_no, pin, request.client.host
                              if request.client else "?")
        view = None
        if number is not None:
            view = await self.api.run(self.store.login_window, number, staff.staff_no,
                                      request_id(data))
        token = await self.api.run(self.auth.open_session, staff, number)
        return {"token": token, "staff": staff.staff_no, "name": staff.name,
                "role": staff.role, "window": view.to_dict() if view else None}

    async def logout(self, request: Request) -> dict[str, Any]:
        s = await self.api.session(request)
        data = await body_of(request)
        if s.window is not None:
            await self.api.run(self.store.logout_window, s.window, s.staff, request_id(data))
        await self.api.run(self.auth.close_session, bearer(request))
        return {"ok": True}

    async def act(self, request: Request) -> dict[str, Any]:
        s = await self.api.session(request)
        number, action = int(request.path_params["number"]), request.path_params["action"]
        if s.window != number:
            raise Refuse(403, ErrorCode.FORBIDDEN, messages.CONFLICT["forbidden"],
                         f"session of staff {s.staff} is for window {s.window}, not {number}")
        data = await body_of(request)
        return await window_action(self.api, action, number, s.staff, data)

    async def report(self, request: Request) -> dict[str, Any]:
        from hall.report import report as build

        s = await self.api.session(request)
        if s.role != "manager":
            raise Refuse(403, ErrorCode.FORBIDDEN, messages.FORBIDDEN_ROLE,
                         f"staff {s.staff} is not a hall manager")
        day = day_param(request) or await self.api.run(self.store.day)
        events = await self.api.run(self.store.events_of_day, day)
        return build(day, events, self.store.settings)

    def routes(self) -> list[Route]:
        e = self.api.endpoint
        return [
            Route("/api/health", self.api.health),
            Route("/api/hall", e(self.hall_info)),
            Route("/api/services", e(self.services)),
            Route("/api/state", e(self.api.snapshot)),
            Route("/api/queue/{service}", e(self.queue)),
            Route("/api/events", e(self.api.events)),
            Route("/api/events/log", e(self.event_log)),
            Route("/api/windows", e(self.windows)),
            Route("/api/windows/{number:int}", e(self.window)),
            Route("/api/tickets", e(self.api.issue), methods=["POST"]),
            Route("/api/tickets", e(self.tickets), methods=["GET"]),
            Route("/api/tickets/{ticket_id}", e(self.ticket)),
            Route("/api/tickets/{ticket_id}/{action:str}", e(self.api.settle), methods=["POST"]),
            Route("/api/recover", e(self.recover), methods=["POST"]),
            Route("/api/requests/{request_id}", e(self.issued_by)),
            Route("/api/holding", e(self.holding), methods=["POST"]),
            Route("/api/services/{service}/open", e(self.set_open), methods=["POST"]),
            Route("/api/reset", e(self.reset), methods=["POST"]),
            Route("/api/join", e(self.api.join), methods=["POST"]),
            Route("/api/staff/login", e(self.login), methods=["POST"]),
            Route("/api/staff/logout", e(self.logout), methods=["POST"]),
            Route("/api/windows/{number:int}/{action:str}", e(self.act), methods=["POST"]),
            Route("/api/report", e(self.report)),
        ]


async def window_action(api: HallApi, action: str, number: int, staff: str,
                        data: dict[str, Any]) -> dict[str, Any]:
    store, rid = api.store, request_id(data)
    if action not in WINDOW_ACTIONS:
        raise Refuse(404, ErrorCode.NOT_FOUND, messages.NOT_FOUND,
                     f"no window action {action!r}; expected one of {', '.join(WINDOW_ACTIONS)}")
    if action in ("pause", "resume"):
        view = (await api.run(store.pause, number, staff, field(data, "reason", str, "")[:100],
                              rid) if action == "pause"
                else await api.run(store.resume, number, staff, rid))
        return {"window": view.to_dict()}
    calls = {
        "next": lambda: store.call_next(number, staff, rid, field(data, "close_open", str, "")),
        "recall": lambda: store.recall(number, staff, rid),
        "start": lambda: store.start(number, staff, rid),
        "no-show": lambda: store.no_show(number, staff, rid),
        "finish": lambda: store.finish(number, staff, field(data, "case_no", str, "")[:64], rid),
        "transfer": lambda: store.transfer(number, staff, field(data, "service", str, ""),
                                           _int_or_none(data.get("window")), rid),
    }
    t = await api.run(calls[action])
    return {"ticket": t.to_dict()}


def _int_or_none(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST,
                     f"window: expected a window number, got {value!r}")
    return value
