"""No citizen's data leaves the kiosk in a fleet message: a whole visit through the real UI
with an ID card read and a ticket taken (tests/ui/terminal_rig.py: real Terminal, virtual
printer, simulated SAM reader), heartbeats and events sent while the card is in the session,
a screenshot asked for during the visit (refused until the visit is over) — then every byte
that travelled (each HTTP request and reply body), the kiosk's outbox file and a pg_dump of
the county database are searched for the card holder's name, ID number, birth date and
address in UTF-8, UTF-16LE and GB18030, as tests/ui/test_visit_privacy.py does for logs."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from county.service.auth import add_operator
from devices.sim.idcards import SAMPLE_CARDS
from kiosk.config import FleetConfig
from kiosk.sync.agent import FleetAgent, Sources
from kiosk.sync.outbox import Outbox
from screens.county_link import between_visits, capture_png
from screens.queue_flow import SHOW_TICKET_S, TicketTaken
from tests.support.county_service import Service, county_service, enrol_kiosk
from tests.support.pg_env import PgServer
from tests.ui.helpers import button, tap
from tests.ui.terminal_rig import terminal_rig
from tests.ui.test_visit_privacy import data_leaks as byte_leaks
from tests.ui.test_visit_privacy import take_ticket_with_card


@pytest.fixture
def service(pg_url: str) -> Iterator[Service]:
    with county_service(pg_url) as s:
        yield s


def test_no_card_data_in_any_fleet_payload(tmp_path: Path, service: Service, pg: PgServer
                                           ) -> None:
    wire: list[bytes] = []

    def keep_request(request: httpx.Request) -> None:
        wire.append(request.read())

    def keep_reply(response: httpx.Response) -> None:
        wire.append(response.read())

    client = httpx.Client(event_hooks={"request": [keep_request], "response": [keep_reply]})
    me = enrol_kiosk(service, tmp_path / "fleet", "1号机")
    add_operator(service.db, "值班员", "duty-pass-1")
    staff = httpx.Client(base_url=service.url)
    staff.post("/login", data={"name": "值班员", "password": "duty-pass-1"})
    with terminal_rig(tmp_path / "kiosk") as rig:
        app = rig.app
        cfg = dataclasses.replace(app.cfg, fleet=FleetConfig(
            url=service.url, interval_s=10, dir=str(tmp_path / "fleet")))
        outbox = Outbox(tmp_path / "fleet" / "outbox.sqlite").open()
        clock = [1_800_000_000.0]
        agent = FleetAgent(cfg, me, outbox, Sources(
            reports=rig.terminal.reports, today=rig.terminal.usage.today,
            visit=lambda: "idle" if between_visits(app) else "in_use",
            screenshot=lambda: capture_png(app)), clock=lambda: clock[0], client=client)
        agent.tick()
        agent.send_once()
        take_ticket_with_card(rig, "A  社保医保")
        assert app.session.card is not None                 # the card is in the session now
        staff.post(f"/kiosks/{me.kiosk}/screenshot")        # asked for during the visit
        clock[0] += 11
        assert [m["kind"] for m in agent.tick()] == ["heartbeat"]
        assert agent.send_once().commands == 1
        clock[0] += 11
        assert [m["kind"] for m in agent.tick()] == ["heartbeat"]   # no picture: in use
        tap(app, *button(app, "确认取号").rect.center)
        rig.pump(lambda: isinstance(app.top, TicketTaken) and not app.busy, what="the ticket")
        rig.sim.remove()                                    # 请取回您的身份证
        rig.pump(lambda: not getattr(app.top, "card_on_reader", True), what="the card lifted")
        rig.clock.advance(SHOW_TICKET_S + 1)
        app.step(0)
        assert app.top.is_home and app.session.card is None
        app.end_session()                                   # she leaves: 结束办理 / idle
        rig.pump(lambda: not app.busy, what="home's workers")
        assert app.session.is_blank()
        clock[0] += 11
        kinds = [m["kind"] for m in agent.tick()]
        assert kinds == ["heartbeat", "screenshot"]         # nobody there: now it may
        agent.send_once()
        outbox_bytes = b"".join(p.read_bytes() for p in (tmp_path / "fleet").glob("outbox*"))
        outbox.close()
    visits = [r["body"]["visit"] for r in service.db.rows(
        "SELECT body FROM messages WHERE kind = 'heartbeat' ORDER BY seq")]
    assert visits == ["idle", "in_use", "in_use", "idle"]      # it reported during the visit
    shot = service.db.one("SELECT png FROM screenshots")
    assert shot is not None and bytes(shot["png"]).startswith(b"\x89PNG")
    dump = pg.dump()            # the whole database: every schema, this test's among them
    assert b"in_use" in dump and len(wire) >= 6       # 3 posts and their replies
    assert byte_leaks(SAMPLE_CARDS[1]["name"].encode("gb18030"))    # the scan does find
    assert byte_leaks(dump) == []
    assert byte_leaks(outbox_bytes) == []
    for i, body in enumerate(wire):
        assert byte_leaks(body) == [], f"HTTP body {i}"
        if b"png_base64" in body:      # the picture itself: decoded, it is the home screen
            assert byte_leaks(base64.b64decode(body.split(b'"png_base64":"')[1].split(b'"')[0])
                              ) == []
