"""The county service end to end over HTTP on a private PostgreSQL: enrolment, signed
heartbeats and events, alerts that open and resolve by themselves, acknowledgement,
notifications to a webhook, screenshots only when nobody is at the kiosk."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from county.service import fleetview
from county.service.auth import add_operator
from county.service.notify import Dispatcher, WebhookNotifier
from kiosk.config import Config, parse_config
from kiosk.errors import SyncError
from kiosk.maintenance.status import DeviceReport
from kiosk.sync.agent import FleetAgent, Sources
from kiosk.sync.identity import Identity, join
from kiosk.sync.outbox import Outbox
from protocol.fleet import MESSAGES_PATH
from tests.support.county_service import Service, county_service, enrol_kiosk

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def service(pg_url: str) -> Iterator[Service]:
    with county_service(pg_url) as s:
        yield s


class Devices:
    """The state a Terminal would report (the agent reads Terminal.reports)."""

    def __init__(self) -> None:
        self.paper = "FULL"
        self.state = "ONLINE"

    def reports(self) -> list[DeviceReport]:
        return [DeviceReport("receipt_printer", True, self.state, self.paper,
                             "缺纸，请装纸" if self.paper == "OUT" else "正常",
                             "缺纸，请装纸" if self.paper == "OUT" else ""),
                DeviceReport.disabled("scanner")]


def kiosk_cfg(tmp: Path, url: str) -> Config:
    return parse_config({"fleet": {"url": url, "interval_s": 60},
                         "catalog": {"seed": "", "db": "var/catalog.sqlite"}},
                        base_dir=str(tmp))


class Kiosk:
    def __init__(self, tmp: Path, service: Service, name: str) -> None:
        self.cfg = kiosk_cfg(tmp, service.url)
        self.identity = enrol_kiosk(service, tmp / "fleet", name)
        self.devices = Devices()
        self.visit = "idle"
        self.now = datetime(2026, 12, 2, 8, 0, tzinfo=UTC).timestamp()
        self.outbox = Outbox(tmp / "fleet" / "outbox.sqlite", clock=lambda: self.now).open()
        self.agent = FleetAgent(self.cfg, self.identity, self.outbox, Sources(
            reports=self.devices.reports, visit=lambda: self.visit,
            screenshot=lambda: PNG), clock=lambda: self.now)

    def close(self) -> None:
        self.outbox.close()


@pytest.fixture
def kiosk(tmp_path: Path, service: Service) -> Iterator[Kiosk]:
    k = Kiosk(tmp_path / "k1", service, "1号机")
    yield k
    k.close()


def login(service: Service, name: str = "李四") -> httpx.Client:
    add_operator(service.db, name, "secret-pass-1")
    client = httpx.Client(base_url=service.url)
    r = client.post("/login", data={"name": name, "password": "secret-pass-1"})
    assert r.status_code == 303, r.text
    return client


def test_enrolment_code_is_one_time_and_wrong_codes_are_limited(tmp_path: Path,
                                                                service: Service) -> None:
    from county.service.enrol import new_hall, new_kiosk

    new_hall(service.db, "清河镇便民服务中心")
    code = new_kiosk(service.db, "2号机", "清河镇便民服务中心").code
    me = join(tmp_path / "a", service.url, code)
    assert me.kiosk.startswith("K-") and me.name == "2号机"
    assert (tmp_path / "a" / "kiosk.pem").stat().st_mode & 0o077 == 0
    with pytest.raises(SyncError, match="already used"):
        join(tmp_path / "b", service.url, code)
    for _ in range(9):
        with pytest.raises(SyncError, match="unknown enrolment code"):
            join(tmp_path / "c", service.url, "AAAA-BBBB-CCCC")
    with pytest.raises(SyncError, match="HTTP 429"):
        join(tmp_path / "c", service.url, "AAAA-BBBB-CCCC")


def test_heartbeat_is_stored_once_and_shown(kiosk: Kiosk, service: Service) -> None:
    sent = kiosk.agent.tick()
    assert [m["kind"] for m in sent] == ["heartbeat"]
    r = kiosk.agent.send_once()
    assert r.ok and r.acked == 1 and kiosk.outbox.counts() == {}
    # the same batch again (a retry after a lost reply): acknowledged, stored once
    batch = kiosk.identity.sign({"v": 1, "sender": "kiosk", "id": kiosk.identity.kiosk,
                                 "messages": sent})
    again = httpx.post(service.url + MESSAGES_PATH, json=batch)
    assert again.status_code == 200 and len(again.json()["acked"]) == 1
    assert service.db.one("SELECT count(*) AS n FROM messages")["n"] == 1  # type: ignore[index]
    view = fleetview.overview(service.db)
    tile = view["halls"][0]["kiosks"][0]
    assert tile["colour"] == "green" and tile["name"] == "1号机"


def _batch(identity: Identity, messages: list[dict[str, Any]]) -> dict[str, Any]:
    return identity.sign({"v": 1, "sender": "kiosk", "id": identity.kiosk,
                          "messages": messages})


def test_forged_tampered_and_personal_fields_are_refused(tmp_path: Path, kiosk: Kiosk,
                                                         service: Service) -> None:
    hb = kiosk.agent.beat()
    tampered = json.loads(json.dumps(hb))
    tampered["body"]["uptime_s"] = 1          # changed after signing
    extra = kiosk.identity.sign({k: v for k, v in {**hb, "seq": 99}.items() if k != "sig"}
                                | {"body": {**hb["body"], "id_number": "x"}})
    r = httpx.post(service.url + MESSAGES_PATH, json=_batch(kiosk.identity, [tampered, extra]))
    assert r.status_code == 200
    whys = [x["why"] for x in r.json()["rejected"]]
    assert whys == ["the signature does not verify",
                    "fields not allowed in a fleet message: id_number"]
    assert len(r.json()["acked"]) == 2              # refused for good: the kiosk drops them
    assert service.db.one("SELECT count(*) AS n FROM messages")["n"] == 0  # type: ignore[index]
    stranger = Identity(kiosk.identity.kiosk, __import__(
        "cryptography.hazmat.primitives.asymmetric.ed25519", fromlist=["x"]
    ).Ed25519PrivateKey.generate())
    bad = httpx.post(service.url + MESSAGES_PATH, json=_batch(stranger, [hb]))
    assert bad.status_code == 403 and "signature does not verify" in bad.json()["error"]
    other = httpx.post(service.url + MESSAGES_PATH,
                       json={"v": 1, "sender": "kiosk", "id": "K-999", "messages": []})
    assert other.status_code == 403 and "not enrolled" in other.json()["error"]


class Webhook(BaseHTTPRequestHandler):
    got: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        Webhook.got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args: object) -> None:
        pass


def test_alert_opens_notifies_resolves_and_is_acknowledged(kiosk: Kiosk,
                                                           service: Service) -> None:
    kiosk.agent.tick()
    kiosk.agent.send_once()
    kiosk.now += 5
    kiosk.devices.paper = "OUT"
    queued = kiosk.agent.tick()
    assert [(m["kind"], m["urgent"]) for m in queued] == [("event", True)]
    assert queued[0]["body"]["event"] == "paper_out"
    assert kiosk.agent.send_once().acked == 1
    alerts = fleetview.overview(service.db)["alerts"]
    assert [(a["device"], a["kind"], a["resolved_at"]) for a in alerts] == [
        ("receipt_printer", "paper_out", None)]

    Webhook.got = []
    hook = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        sent = Dispatcher(service.db, [WebhookNotifier(
            f"http://127.0.0.1:{hook.server_port}/robot")]).once()
    finally:
        hook.shutdown()
    assert sent == 1 and len(Webhook.got) == 1
    text = Webhook.got[0]["text"]["content"]
    assert "清河镇便民服务中心" in text and "1号机" in text and "凭条打印机" in text
    assert "缺纸" in text and Webhook.got[0]["msgtype"] == "text"

    kiosk.now += 60
    kiosk.devices.paper = "FULL"
    kinds = [m["body"].get("event", m["kind"]) for m in kiosk.agent.tick()]
    assert kinds == ["recovered", "heartbeat"]
    kiosk.agent.send_once()
    alert = service.db.one("SELECT id, resolved_at, acked_at FROM alerts")
    assert alert is not None and alert["resolved_at"] is not None and alert["acked_at"] is None
    assert fleetview.overview(service.db)["halls"][0]["kiosks"][0]["colour"] == "green"
    client = login(service)
    r = client.post(f"/alerts/{alert['id']}/ack")
    assert r.status_code == 303
    acked = service.db.one("SELECT acked_by FROM alerts")
    assert acked is not None and acked["acked_by"] == "李四"
    assert fleetview.overview(service.db)["alerts"] == []


def test_status_turns_grey_after_missed_heartbeats_and_back(kiosk: Kiosk,
                                                            service: Service) -> None:
    kiosk.agent.tick()
    kiosk.agent.send_once()
    now = datetime.now(UTC)
    assert fleetview.overview(service.db, now)["counts"]["green"] == 1
    later = now + timedelta(seconds=60 * 2.5 + 5)
    view = fleetview.overview(service.db, later)
    assert view["counts"]["grey"] == 1
    assert "没有心跳" in view["halls"][0]["kiosks"][0]["reasons"][0]
    kiosk.now += 61
    kiosk.agent.tick()
    kiosk.agent.send_once()
    assert fleetview.overview(service.db)["counts"]["green"] == 1


def test_screenshot_only_when_nobody_is_at_the_kiosk(kiosk: Kiosk, service: Service) -> None:
    kiosk.agent.tick()
    kiosk.agent.send_once()
    client = login(service)
    kid = kiosk.identity.kiosk
    assert client.post(f"/kiosks/{kid}/screenshot").status_code == 303
    kiosk.visit = "in_use"
    kiosk.now += 61
    assert [m["kind"] for m in kiosk.agent.tick()] == ["heartbeat"]
    r = kiosk.agent.send_once()           # the heartbeat's reply carries the request
    assert r.commands == 1
    kiosk.now += 5
    assert kiosk.agent.tick() == []       # someone is at the kiosk: no picture, wait
    kiosk.visit = "idle"
    kiosk.now += 5
    assert [m["kind"] for m in kiosk.agent.tick()] == ["screenshot"]
    kiosk.agent.send_once()
    cmd = service.db.one("SELECT id, outcome FROM commands")
    assert cmd is not None and cmd["outcome"] == "done"
    png = client.get(f"/screenshots/{cmd['id']}.png")
    assert png.status_code == 200 and png.content == PNG
    page = client.get(f"/kiosks/{kid}")
    assert f'src="/screenshots/{cmd["id"]}.png"' in page.text
    assert httpx.get(f"{service.url}/screenshots/{cmd['id']}.png").status_code == 401


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to take one message (what smtplib sends), kept in `mail`."""

    mail: ClassVar[list[bytes]] = []

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                body = b""
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    body += part
                _Smtp.mail.append(body)
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_alert_by_email(kiosk: Kiosk, service: Service) -> None:
    from county.service.notify import EmailNotifier, notifier_from

    kiosk.devices.state = "OFFLINE"
    kiosk.agent.tick()
    kiosk.agent.send_once()
    _Smtp.mail = []
    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    threading.Thread(target=smtp.serve_forever, daemon=True).start()
    try:
        mailer = notifier_from(f"email:smtp://127.0.0.1:{smtp.server_address[1]}"
                               "?from=fleet@county.example&to=duty@county.example")
        assert isinstance(mailer, EmailNotifier)
        assert Dispatcher(service.db, [mailer]).once() == 1
    finally:
        smtp.shutdown()
        smtp.server_close()
    assert len(_Smtp.mail) == 1
    import email

    msg = email.message_from_bytes(_Smtp.mail[0])
    assert msg["To"] == "duty@county.example"
    text = msg.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
    assert "凭条打印机" in text and "1号机" in text
    assert Dispatcher(service.db, [mailer]).once() == 0      # sent once, not again
