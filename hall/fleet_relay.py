"""The hall service's relay of fleet messages (issue 18): kiosks post their signed heartbeats
and events here (the hall LAN is always there); kiosk.sync.relay.Relay keeps them and
forwards them to the county when the link exists.

    relay = open_relay(folder, county_url)          # the hall's key and identity in `folder`
    HallService(..., extra_routes=relay_routes(relay)); relay.start() … relay.stop()

`kiosk fleet join URL --code CODE --hall FOLDER` (county: `kiosk county enrol-hall NAME`)
makes the hall's own key and identity in FOLDER, as it does for a kiosk without --hall.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kiosk.errors import SyncError
from kiosk.sync.identity import load_identity
from kiosk.sync.outbox import Outbox
from kiosk.sync.relay import Relay
from protocol.fleet import MESSAGES_PATH

MAX_BODY = 16 * 1024 * 1024


def open_relay(folder: Path, county_url: str) -> Relay:
    """The relay over `folder`/relay.sqlite, signing with the hall's enrolled key."""
    hall = load_identity(folder)
    if hall is None:
        raise SyncError(f"{folder}: this hall is not enrolled with the county; run "
                        "kiosk fleet join URL --code CODE --hall FOLDER")
    return Relay(Outbox(folder / "relay.sqlite").open(), hall, county_url)


def relay_routes(relay: Relay) -> list[BaseRoute]:
    async def messages(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "batch too large"}, 413)
        try:
            batch = json.loads(body)
        except ValueError:
            return JSONResponse({"error": "not JSON"}, 400)
        status, reply = await run_in_threadpool(relay.accept, batch)
        return JSONResponse(reply, status)

    return [Route(MESSAGES_PATH, messages, methods=["POST"])]
