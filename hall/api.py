"""The hall service's HTTP API (JSON; docs/hall.md lists every route with its body and reply).

Reads of the hall's public state (services, windows, queues, the event stream) need no login —
a display is read-only and nothing in them is personal. Issuing needs an enrolled kiosk's
token; window actions a staff session bound to that window; reports and queue-wide actions a
hall manager (or a kiosk's maintenance mode). Every command carries a `request_id`: the same
id again returns the first result and acts once.

The store is synchronous (sqlite3 / psycopg): handlers run it in Starlette's thread pool.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from hall import messages
from hall.auth import Auth, AuthError, Session, secret_b64
from hall.stream import EventHub, wire
from kiosk.queue.model import IssueRequest
from kiosk.queue.sql.engine import SqlHallStore
from kiosk.queue.store import (
    AllocationRefused,
    BadRequest,
    QueueStoreError,
    StoreConflict,
    TicketNotFound,
)
from protocol.queue import API_VERSION, ErrorCode

log = logging.getLogger("hall.api")
PERSON_HASH = re.compile(r"[A-Z2-7]{8,64}")
"""Base32 has no 0, 1, 8 or 9: no ID number (18 digits, or 17 and X) can pass for a hash."""
T = TypeVar("T")


class Refuse(Exception):
    def __init__(self, status: int, code: str, message: str, detail: str = "",
                 **extra: Any) -> None:
        super().__init__(detail or message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def error_response(exc: Exception) -> JSONResponse:
    """One place that turns a failure into its HTTP status and JSON body."""
    status, code, message, extra = _classify(exc)
    body = {"error": code, "message": message, "detail": str(exc), **extra}
    headers = {"Retry-After": str(extra["retry_after_s"])} if extra.get("retry_after_s") else None
    return JSONResponse(body, status_code=status, headers=headers)


def _classify(exc: Exception) -> tuple[int, str, str, dict[str, Any]]:
    if isinstance(exc, Refuse):
        return exc.status, exc.code, exc.message, exc.extra
    if isinstance(exc, AllocationRefused):
        return 409, ErrorCode.REFUSED, messages.REFUSAL.get(exc.reason, ""), {
            "refusal": exc.reason.value}
    if isinstance(exc, StoreConflict):
        return 409, exc.code, messages.conflict(exc.code, exc.info), dict(exc.info)
    if isinstance(exc, TicketNotFound):
        return 404, ErrorCode.NOT_FOUND, messages.NOT_FOUND, {}
    if isinstance(exc, BadRequest):
        return 400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST, {}
    if isinstance(exc, AuthError):
        status = {"unauthorized": 401, "forbidden": 403, "locked": 423,
                  "rate_limited": 429}.get(exc.code, 401)
        extra = {"retry_after_s": exc.retry_after_s} if exc.retry_after_s else {}
        return status, exc.code, exc.citizen_message, extra
    if isinstance(exc, QueueStoreError):
        return 503, ErrorCode.UNAVAILABLE, messages.UNAVAILABLE, {}
    raise exc


async def body_of(request: Request) -> dict[str, Any]:
    try:
        data = await request.json() if await request.body() else {}
    except json.JSONDecodeError as exc:
        raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST, f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST, "expected a JSON object")
    return data


def field(data: dict[str, Any], name: str, kind: type[T], default: T | None = None) -> T:
    value = data.get(name, default)
    if value is None or not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST,
                     f"{name}: expected {kind.__name__}, got {value!r}")
    return value


def request_id(data: dict[str, Any]) -> str:
    rid = field(data, "request_id", str)
    if not 8 <= len(rid) <= 80:
        raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST,
                     "request_id: 8 to 80 characters, the same on every retry")
    return rid


def address(request: Request) -> str:
    return request.client.host if request.client else "?"


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


class HallApi:
    def __init__(self, store: SqlHallStore, auth: Auth, hub: EventHub,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.store = store
        self.auth = auth
        self.hub = hub
        self.clock = clock

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(fn, *args, **kwargs)

    def endpoint(self, fn: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def wrapped(request: Request) -> Response:
            try:
                result = await fn(request)
            except Exception as exc:   # mapped; anything unexpected is raised again
                return error_response(exc)
            return result if isinstance(result, Response) else JSONResponse(result)

        return wrapped

    # -- who is asking -------------------------------------------------------------------------

    async def kiosk(self, request: Request) -> str:
        name: str = await self.run(self.auth.kiosk, bearer(request), address(request))
        return name

    async def session(self, request: Request) -> Session:
        found: Session = await self.run(self.auth.session, bearer(request), address(request))
        return found

    async def kiosk_or_session(self, request: Request) -> str | Session:
        found: str | Session = await self.run(self.auth.kiosk_or_session, bearer(request),
                                              address(request))
        return found

    async def kiosk_or_manager(self, request: Request) -> str:
        """A kiosk (its maintenance mode) or a hall manager: who, for the event log."""
        who = await self.kiosk_or_session(request)
        if isinstance(who, str):
            return "kiosk:" + who
        if who.role != "manager":
            raise Refuse(403, ErrorCode.FORBIDDEN, messages.FORBIDDEN_ROLE,
                         f"staff {who.staff} is not a hall manager")
        return who.staff

    # -- the handlers that need this machinery (the rest: hall/api_routes.py) -------------------

    async def health(self, request: Request) -> Response:
        try:
            last = await self.run(self.store.last_event_id)
        except QueueStoreError as exc:
            return JSONResponse({"ok": False, "api": API_VERSION, "store": str(exc),
                                 "message": messages.UNAVAILABLE}, status_code=503)
        return JSONResponse({"ok": True, "api": API_VERSION, "store": "ok",
                             "last_event_id": last, "events": self.hub.healthy,
                             "now": self.clock().astimezone().isoformat(timespec="seconds")})

    async def events(self, request: Request) -> Response:
        after_text = request.headers.get("last-event-id") or request.query_params.get("after")
        if after_text is None:
            after = await self.run(self.store.last_event_id)
        elif after_text.isdigit():
            after = int(after_text)
        else:
            raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST,
                         f"Last-Event-ID/after: expected an event id, got {after_text!r}")
        return StreamingResponse(self.hub.stream(after), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store",
                                          "X-Accel-Buffering": "no"})

    async def issue(self, request: Request) -> dict[str, Any]:
        kiosk = await self.kiosk(request)
        data = await body_of(request)
        age = data.get("age")
        if age is not None and (not isinstance(age, int) or isinstance(age, bool)
                                or not 0 <= age <= 150):
            raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST,
                         f"age: expected whole years, got {age!r}")
        person = data.get("person_hash")
        if person is not None and not (isinstance(person, str)
                                       and PERSON_HASH.fullmatch(person)):
            raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST,
                         "person_hash: expected the kiosk's Base32 hash (A-Z, 2-7)")
        req = IssueRequest(service=field(data, "service", str), request_id=request_id(data),
                           person_hash=person, age=age,
                           declared=field(data, "declared", str, ""),
                           owner=field(data, "owner", str, ""), kiosk=kiosk)
        ticket = await self.run(self.store.issue, req)
        return {"ticket": ticket.to_dict()}

    async def settle(self, request: Request) -> dict[str, Any]:
        kiosk = await self.kiosk(request)
        data = await body_of(request)
        tid, action = request.path_params["ticket_id"], request.path_params["action"]
        rid = request_id(data)
        if action == "printed":
            t = await self.run(self.store.printed, tid, rid)
        elif action == "verify":
            t = await self.run(self.store.verify, tid, field(data, "reason", str, "")[:200], rid)
        else:
            t = await self.run(self.store.void, tid, field(data, "reason", str, "")[:200], rid,
                               f"kiosk:{kiosk}")
        return {"ticket": t.to_dict()}

    async def join(self, request: Request) -> dict[str, Any]:
        data = await body_of(request)
        joined = await self.run(self.auth.join, field(data, "code", str), address(request))
        return {"name": joined.name, "token": joined.token, "secret": secret_b64(joined.secret),
                "hall": self.store.settings.hall.name}

    async def snapshot(self, request: Request) -> dict[str, Any]:
        """Everything a display needs to start: then the stream from `last_event_id`."""
        def read() -> dict[str, Any]:
            last = self.store.last_event_id()
            day = self.store.day()
            recent = [wire(e) for e in self.store.events_of_day(day)
                      if e.type.value in ("ticket.called", "ticket.recalled")][-10:]
            return {"last_event_id": last, "day": day.isoformat(),
                    "now": self.clock().astimezone().isoformat(timespec="seconds"),
                    "hall": self.store.settings.hall.name,
                    "windows": [w.to_dict() for w in self.store.windows()],
                    "services": [s.to_dict() for s in self.store.services()],
                    "recent_calls": recent}

        snap: dict[str, Any] = await self.run(read)
        return snap


def day_param(request: Request) -> date | None:
    text = request.query_params.get("day")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refuse(400, ErrorCode.BAD_REQUEST, messages.BAD_REQUEST,
                     f"day: expected YYYY-MM-DD, got {text!r}") from None
