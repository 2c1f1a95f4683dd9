"""The pages the hall service serves (issue 15) and the 好差评 API behind them.

    /            a list of the pages            /window    窗口叫号 (staff)
    /manager     大厅管理 (hall manager)         /display   the TV hall display (read-only)
    /rate/{ticket}?k=CODE   the rating page a slip's QR code opens on a phone
    /static/…    the pages' CSS and JavaScript (no build step, no CDN: the hall LAN is offline)

    POST /api/ratings                 the evaluator at a window (an enrolled device's token)
    GET|POST /api/rate/{ticket}?k=    the phone (the slip's code is the key)
    GET /api/ratings[?day=]           manager: the day's ratings, summary and open 差评 alerts
    POST /api/ratings/{id}/ack        manager: a 差评 was followed up
    GET /api/ratings.csv[?day=]       manager: CSV for the provincial 好差评 system

The hall service mounts `routes()`; handlers find the HallApi at `request.app.state.hall`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from hall import ratings
from hall.ratings_report import summary, to_csv
from hall.web import ratelink
from hall.web.ratelink import check_code
from kiosk.calls.rating import CAUSES, REASONS, Rating, RatingError

STATIC = Path(__file__).resolve().parent / "static"
PAGES = {"window": "窗口叫号", "manager": "大厅管理", "display": "叫号显示"}
EVENT_TYPES = ("ticket.issued,ticket.printed,ticket.verify,ticket.called,ticket.recalled,"
               "ticket.serving,ticket.no_show,ticket.transferred,ticket.done,ticket.void,"
               "window.opened,window.paused,window.resumed,window.closed,service.override,"
               "queue.reset,rating.created,rating.acknowledged")
Handler = Callable[[Request], Awaitable[Any]]


def mount(service: Any) -> None:
    """Make the HallApi reachable from these routes (`request.app.state.hall`)."""
    service.app.state.hall = service.api


def routes() -> list[BaseRoute]:
    return [
        Route("/", index),
        Route("/window", partial(page, name="window")),
        Route("/manager", partial(page, name="manager")),
        Route("/display", partial(page, name="display")),
        Route("/rate/{ticket_id}", rate_page),
        Mount("/static", StaticFiles(directory=STATIC), name="hall-static"),
        Route("/api/ratings", endpoint(post_rating), methods=["POST"]),
        Route("/api/ratings", endpoint(list_ratings), methods=["GET"]),
        Route("/api/ratings.csv", endpoint(ratings_csv), methods=["GET"]),
        Route("/api/ratings/{rating_id}/ack", endpoint(ack_rating), methods=["POST"]),
        Route("/api/rate/{ticket_id}", endpoint(rate_info), methods=["GET"]),
        Route("/api/rate/{ticket_id}", endpoint(rate_post), methods=["POST"]),
    ]


# ---- pages ------------------------------------------------------------------------------------

def _template(name: str, data: dict[str, str]) -> HTMLResponse:
    text = (STATIC / f"{name}.html").read_text(encoding="utf-8")
    attrs = " ".join(f'data-{k}="{html.escape(v, quote=True)}"' for k, v in data.items())
    body = text.replace("{static}", "/static").replace("{data}", attrs)
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


def _hall_name(request: Request) -> str:
    api = getattr(request.app.state, "hall", None)
    return str(api.store.settings.hall.name) if api is not None else ""


def _checks(request: Request) -> str:
    """What a window checks for each declared priority class (hall.toml [[priority]].check)."""
    api = getattr(request.app.state, "hall", None)
    rules = api.store.settings.priority if api is not None else []
    return json.dumps({r.name: r.check for r in rules if r.source == "declared" and r.check},
                      ensure_ascii=False)


async def page(request: Request, name: str) -> Response:
    return _template(name, {"hall-name": _hall_name(request), "snapshot": "/api/state",
                            "stream": "/api/events", "event-types": EVENT_TYPES,
                            "stale-ms": "6000", "speak-max-age": "30",
                            "checks": _checks(request)})


async def index(request: Request) -> Response:
    links = "".join(f'<li><a class="button" href="/{k}">{v}</a></li>' for k, v in PAGES.items())
    name = html.escape(_hall_name(request))
    return HTMLResponse(
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{name} 叫号系统</title><link rel="stylesheet" href="/static/hall.css"></head>'
        f'<body><header class="band">{name} · 叫号系统</header><main><ul class="card" '
        f'style="list-style:none;display:flex;gap:1em">{links}</ul></main></body></html>')


async def rate_page(request: Request) -> Response:
    return _template("rate", {"ticket": request.path_params["ticket_id"],
                              "code": request.query_params.get("k", ""),
                              "reasons": json.dumps(REASONS, ensure_ascii=False),
                              "causes": json.dumps(CAUSES, ensure_ascii=False)})


# ---- the API ----------------------------------------------------------------------------------

def endpoint(fn: Handler) -> Handler:
    async def wrapped(request: Request) -> Response:
        api = request.app.state.hall
        try:
            result = await fn(request)
        except ratings.RatingRefused as exc:
            return JSONResponse({"error": exc.code, "message": exc.message, "detail": str(exc)},
                                status_code=exc.status)
        except RatingError as exc:
            return JSONResponse({"error": "bad_request", "message": exc.citizen_message,
                                 "detail": str(exc)}, status_code=400)
        except Exception as exc:
            from hall.api import error_response

            del api
            return error_response(exc)
        return result if isinstance(result, Response) else JSONResponse(result)

    return wrapped


def _api(request: Request) -> Any:
    return request.app.state.hall


async def _body(request: Request) -> dict[str, Any]:
    from hall.api import body_of

    data: dict[str, Any] = await body_of(request)
    return data


async def _manager(request: Request) -> str:
    from hall import messages
    from hall.api import Refuse
    from protocol.queue import ErrorCode

    s = await _api(request).session(request)
    if s.role != "manager":
        raise Refuse(403, ErrorCode.FORBIDDEN, messages.FORBIDDEN_ROLE,
                     f"staff {s.staff} is not a hall manager")
    return str(s.staff)


def link_key(api: Any) -> bytes:
    """The key of the slips' rating codes, derived from the hall's secret (so the key that
    hashes ID numbers is never used for anything else)."""
    from kiosk.queue.secret import load_or_create_secret

    settings = api.store.settings
    return ratelink.link_key(load_or_create_secret(settings.path(settings.queue.secret_file)))


def _check_link(request: Request) -> str:
    ticket_id = request.path_params["ticket_id"]
    if not check_code(link_key(_api(request)), ticket_id, request.query_params.get("k", "")):
        raise ratings.RatingRefused("forbidden", "这个评价链接不对，请扫描小票上的二维码。",
                                    f"bad rating code for ticket {ticket_id!r}")
    return str(ticket_id)


async def _record(request: Request, rating: Rating) -> dict[str, Any]:
    api = _api(request)
    now = api.clock()

    def run(tx: Any) -> tuple[Any, bool]:
        row, new = ratings.record(tx, rating, now)
        if new:
            _emit(tx, "rating.created", row, now)
        return row, new

    row, new = await api.run(api.store.transact, "rating", run)
    return {"rating": row.to_json(), "new": new}


def _emit(tx: Any, kind: str, row: Any, now: Any) -> None:
    """The rating's event in the same transaction, when the hall's event vocabulary has it."""
    from kiosk.queue.sql import events

    try:
        from protocol.queue import EventType

        etype = EventType(kind)
    except ValueError:
        return
    tx.emit(events.pending(etype, now, api_day(row), ticket_id=row.ticket_id, number=row.number,
                           window=row.window, staff=row.staff,
                           data={"rating_id": row.rating_id, "level": row.level,
                                 "bad": row.bad}))


def api_day(row: Any) -> Any:
    from datetime import date

    return date.fromisoformat(row.day)


async def post_rating(request: Request) -> dict[str, Any]:
    """The evaluator: an enrolled device (its kiosk token) rates the ticket just finished."""
    await _api(request).kiosk(request)
    data = await _body(request)
    rating = Rating.from_json({**data, "channel": "evaluator"})
    if rating.window is None:
        raise RatingError("the evaluator names its window")
    return await _record(request, rating)


async def rate_info(request: Request) -> dict[str, Any]:
    ticket_id = _check_link(request)
    api = _api(request)

    def read(tx: Any) -> dict[str, Any]:
        facts = ratings.ticket_facts(tx, ticket_id)
        if facts is None:
            raise ratings.RatingRefused("not_found", "没有找到这张号。", ticket_id)
        return {"facts": facts, "rated": ratings.existing(tx, ticket_id) is not None}

    found = await api.run(api.store.query, read)
    facts = found["facts"]
    names = {s.prefix: s.name for s in api.store.settings.services}
    return {"hall": api.store.settings.hall.name, "number": facts["number"],
            "window": facts["window"], "service_name": names.get(facts["service"], ""),
            "rated": found["rated"], "ratable": facts["state"] == "done"}


async def rate_post(request: Request) -> dict[str, Any]:
    ticket_id = _check_link(request)
    data = await _body(request)
    return await _record(request, Rating.from_json(
        {**data, "ticket_id": ticket_id, "channel": "phone", "window": None}))


def _day(request: Request) -> str:
    from hall.api import day_param

    day = day_param(request)
    return day.isoformat() if day else _api(request).store.day().isoformat()


async def list_ratings(request: Request) -> dict[str, Any]:
    await _manager(request)
    api, day = _api(request), _day(request)
    rows = await api.run(api.store.query, lambda tx: ratings.of_day(tx, day))
    alerts = await api.run(api.store.query, ratings.open_alerts)
    return {"day": day, "summary": summary(rows), "ratings": [r.to_json() for r in rows],
            "open_alerts": [r.to_json() for r in alerts]}


async def ack_rating(request: Request) -> dict[str, Any]:
    staff = await _manager(request)
    api = _api(request)
    now = api.clock()
    rating_id = request.path_params["rating_id"]

    def run(tx: Any) -> Any:
        row = ratings.acknowledge(tx, rating_id, staff, now)
        _emit(tx, "rating.acknowledged", row, now)
        return row

    row = await api.run(api.store.transact, "rating-ack", run)
    return {"rating": row.to_json()}


async def ratings_csv(request: Request) -> Response:
    await _manager(request)
    api, day = _api(request), _day(request)
    rows = await api.run(api.store.query, lambda tx: ratings.of_day(tx, day))
    settings = api.store.settings
    text = to_csv(rows, getattr(settings.hall, "region_code", ""), settings.hall.name)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="haochaping-{day}.csv"'})
