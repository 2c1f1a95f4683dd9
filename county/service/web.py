"""The county service over HTTP (Starlette): the fleet API kiosks and halls call, the update
repository, and the dashboard.

    POST /api/fleet/v1/messages      a signed batch (kiosk or hall) → acks and commands
    POST /api/fleet/v1/enrol         one-time code + public key → the id
    GET  /repo/…                     the TUF update repository (metadata/, targets/)
    GET  /                           dashboard: every hall and kiosk, alerts (login needed)
    GET  /kiosks/ID                  one kiosk: devices, catalog, today, alerts, history
    POST /alerts/ID/ack, /kiosks/ID/screenshot, GET /screenshots/N.png
    GET  /api/v1/overview            the dashboard's data as JSON (login needed)
    GET  /api/v1/timing[?last=N]     the messages endpoint's handling times (login needed)
    GET  /healthz                    the database answers

The database work is synchronous psycopg, run in Starlette's thread pool.
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from county.service import auth, enrol, fleetview, pages
from county.service.db import Database
from county.service.receive import Receiver, Refused
from protocol.fleet import ENROL_PATH, MESSAGES_PATH

log = logging.getLogger(__name__)
MAX_BATCH_BYTES = 16 * 1024 * 1024
ENROL_FAILURES = 10          # wrong codes per client per ENROL_WINDOW_S before 429
ENROL_WINDOW_S = 600.0


class Timing:
    """Handling time of each messages request (the bench reads it)."""

    def __init__(self, samples: deque[float]) -> None:
        self.samples = samples

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)


class _Limiter:
    def __init__(self) -> None:
        self.failures: dict[str, deque[float]] = {}

    def blocked(self, who: str) -> bool:
        q = self.failures.get(who, deque())
        now = time.monotonic()
        while q and now - q[0] > ENROL_WINDOW_S:
            q.popleft()
        return len(q) >= ENROL_FAILURES

    def fail(self, who: str) -> None:
        self.failures.setdefault(who, deque()).append(time.monotonic())


class _Handlers:
    """The endpoints, sharing the database, the receiver and the sessions."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.receiver = Receiver(db)
        self.sessions = auth.Sessions(db)
        self.limiter = _Limiter()
        self.timing = Timing(deque(maxlen=100_000))

    def operator(self, request: Request) -> str | None:
        return self.sessions.who(request.cookies.get(auth.COOKIE))

    def need_login(self, request: Request) -> str | Response:
        name = self.operator(request)
        return name if name else RedirectResponse("/login", 303)

    async def messages(self, request: Request) -> Response:
        start = time.perf_counter()
        body = await request.body()
        if len(body) > MAX_BATCH_BYTES:
            return JSONResponse({"error": "batch too large"}, 413)
        try:
            batch = json.loads(body)
        except ValueError:
            return JSONResponse({"error": "not JSON"}, 400)
        if not isinstance(batch, dict):
            return JSONResponse({"error": "expected an object"}, 400)
        try:
            out = await run_in_threadpool(self.receiver.receive, batch)
        except Refused as exc:
            log.warning("fleet batch refused (%s): %s", request.client, exc)
            return JSONResponse({"error": str(exc)}, exc.status)
        self.timing.add(time.perf_counter() - start)
        return JSONResponse(out.reply())

    async def enrol(self, request: Request) -> Response:
        who = request.client.host if request.client else "?"
        if self.limiter.blocked(who):
            return JSONResponse({"error": "too many wrong codes; wait ten minutes"}, 429)
        try:
            data = json.loads(await request.body())
            got = await run_in_threadpool(enrol.redeem, self.db, str(data.get("code", "")),
                                          str(data.get("public_key", "")),
                                          str(data.get("role", "kiosk")))
        except (ValueError, AttributeError):
            return JSONResponse({"error": "expected {code, public_key, role}"}, 400)
        except enrol.EnrolError as exc:
            self.limiter.fail(who)
            log.warning("enrolment refused from %s: %s", who, exc)
            return JSONResponse({"error": str(exc)}, 403)
        self.receiver.forget_keys()
        log.info("enrolled %s %s (%s)", got.id, got.name, got.hall)
        return JSONResponse({"id": got.id, "name": got.name, "hall": got.hall})

    async def overview(self, request: Request) -> Response:
        who = self.need_login(request)
        if isinstance(who, Response):
            return who
        view = await run_in_threadpool(fleetview.overview, self.db)
        return HTMLResponse(pages.overview_page(view, who))

    async def overview_json(self, request: Request) -> Response:
        if not self.operator(request):
            return JSONResponse({"error": "login needed"}, 401)
        view = await run_in_threadpool(fleetview.overview, self.db)
        return Response(json.dumps(view, ensure_ascii=False, default=str),
                        media_type="application/json")

    async def kiosk(self, request: Request) -> Response:
        who = self.need_login(request)
        if isinstance(who, Response):
            return who
        view = await run_in_threadpool(fleetview.kiosk_page, self.db,
                                       request.path_params["kid"])
        if view is None:
            return HTMLResponse(pages.page("没有这台终端", "<p>没有这台终端。</p>", who), 404)
        return HTMLResponse(pages.kiosk_page(view, who))

    async def ack(self, request: Request) -> Response:
        who = self.need_login(request)
        if isinstance(who, Response):
            return who
        await run_in_threadpool(_ack, self.db, int(request.path_params["aid"]), who)
        return RedirectResponse(request.headers.get("referer") or "/", 303)

    async def screenshot(self, request: Request) -> Response:
        who = self.need_login(request)
        if isinstance(who, Response):
            return who
        kid = request.path_params["kid"]
        await run_in_threadpool(_ask_screenshot, self.db, kid, who)
        return RedirectResponse(f"/kiosks/{kid}", 303)

    async def screenshot_png(self, request: Request) -> Response:
        if not self.operator(request):
            return Response(status_code=401)
        row = await run_in_threadpool(self.db.one,
                                      "SELECT png FROM screenshots WHERE command_id = %s",
                                      (int(request.path_params["cid"]),))
        if row is None:
            return Response(status_code=404)
        return Response(bytes(row["png"]), media_type="image/png")

    async def login_form(self, request: Request) -> Response:
        return HTMLResponse(pages.login_page())

    async def login(self, request: Request) -> Response:
        body = (await request.body()).decode("utf-8", errors="replace")
        f = {k: v[0] for k, v in parse_qs(body).items()}
        name = f.get("name", "")
        if not await run_in_threadpool(auth.login, self.db, name, f.get("password", "")):
            log.warning("dashboard login refused for %r from %s", name, request.client)
            return HTMLResponse(pages.login_page("用户名或密码不对"), 401)
        resp = RedirectResponse("/", 303)
        resp.set_cookie(auth.COOKIE, self.sessions.issue(name),
                        max_age=auth.SESSION_H * 3600, httponly=True, samesite="strict")
        return resp

    async def logout(self, request: Request) -> Response:
        resp = RedirectResponse("/login", 303)
        resp.delete_cookie(auth.COOKIE)
        return resp

    async def timing_json(self, request: Request) -> Response:
        """Handling time of the messages endpoint (ms): all samples kept, or the last N."""
        if not self.operator(request):
            return JSONResponse({"error": "login needed"}, 401)
        samples = sorted(self.timing.samples)
        last = request.query_params.get("last", "")
        if last.isdigit():
            samples = sorted(list(self.timing.samples)[-int(last):])

        def p(q: float) -> float:
            return round(samples[min(len(samples) - 1, int(q * len(samples)))] * 1000, 2) \
                if samples else 0.0

        return JSONResponse({"requests": len(samples), "p50": p(0.50), "p95": p(0.95),
                             "p99": p(0.99), "max": p(1.0)})

    async def healthz(self, request: Request) -> Response:
        row = await run_in_threadpool(self.db.one, "SELECT 1 AS ok")
        return JSONResponse({"ok": bool(row)})


def build_app(db: Database, repo: Path | None = None) -> Starlette:
    h = _Handlers(db)
    routes: list[Route | Mount] = [
        Route(MESSAGES_PATH, h.messages, methods=["POST"]),
        Route(ENROL_PATH, h.enrol, methods=["POST"]),
        Route("/", h.overview), Route("/api/v1/overview", h.overview_json),
        Route("/kiosks/{kid}", h.kiosk), Route("/alerts/{aid:int}/ack", h.ack, methods=["POST"]),
        Route("/kiosks/{kid}/screenshot", h.screenshot, methods=["POST"]),
        Route("/screenshots/{cid:int}.png", h.screenshot_png),
        Route("/login", h.login_form), Route("/login", h.login, methods=["POST"]),
        Route("/logout", h.logout, methods=["POST"]), Route("/healthz", h.healthz),
        Route("/api/v1/timing", h.timing_json),
    ]
    if repo is not None:
        routes.append(Mount("/repo", StaticFiles(directory=str(repo), check_dir=False)))
    app = Starlette(routes=routes)
    app.state.timing = h.timing
    app.state.receiver = h.receiver
    return app


def _ack(db: Database, alert_id: int, who: str) -> None:
    with db.tx() as conn:
        conn.execute("UPDATE alerts SET acked_at = now(), acked_by = %s WHERE id = %s AND "
                     "acked_at IS NULL", (who, alert_id))


def _ask_screenshot(db: Database, kiosk_id: str, who: str) -> Any:
    with db.tx() as conn:
        conn.execute("INSERT INTO commands (kiosk_id, kind, asked_by) SELECT id, 'screenshot', "
                     "%s FROM kiosks WHERE id = %s", (who, kiosk_id))
