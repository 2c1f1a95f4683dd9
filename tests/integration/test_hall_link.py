"""A kiosk with `[queue].server`: when the hall service goes away it refuses to issue and says
so plainly (to the citizen, in maintenance mode and in `kiosk status`), watches the service in
the background, and issues again by itself once it is back — no restart. Real HTTP on loopback.
"""

from __future__ import annotations

import time
from pathlib import Path

from devices.outcome import JobOutcome
from hall.app import HallService
from hall.auth import Auth
from hall.serve import running
from kiosk.config import parse_config
from kiosk.maintenance.status import HALL_LOST, HALL_UP, hall_report
from kiosk.queue.remote_store import HallServerStore
from kiosk.queue.service import IssueStatus, QueueService
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.receipts.ticket import TicketSlip
from kiosk.status_sources import probe_hall_service
from tests.support.hall_env import Clock, sample_hall


def ok_printer(slip: TicketSlip) -> JobOutcome:
    return JobOutcome(ok=True, bytes_sent=800)


def test_the_kiosk_refuses_while_the_hall_is_away_and_recovers_by_itself(tmp_path: Path) -> None:
    settings = sample_hall()
    clock = Clock()
    db = tmp_path / "hall.sqlite"

    def service() -> HallService:
        return HallService(settings, SqliteQueueStore(db, settings, clock), clock=clock)

    first = service()
    with running(first) as url:
        auth = Auth(first.store, settings, clock)
        token = auth.join(auth.enrol_code("kiosk-1"), "127.0.0.1").token
        store = HallServerStore(url, token=token, timeout_s=0.5, probe_s=0.2)
        cfg = parse_config({"queue": {"server": url, "secret_file": "s.key"}},
                           base_dir=str(tmp_path))
        q = QueueService(cfg, store, ok_printer, kiosk="kiosk-1", clock=clock, repeat_guard_s=0)
        q.open()
        assert q.take("C").ok
        assert hall_report(q.link()).words == HALL_UP   # type: ignore[arg-type]
    port = int(url.rsplit(":", 1)[1])

    r = q.take("C")                                   # the service is gone
    assert r.status is IssueStatus.ERROR and r.ticket is None
    assert r.message == "取号系统暂时无法使用，请联系大厅工作人员。"
    link = q.link()
    assert link is not None and not link.up
    report = hall_report(link)
    assert (report.name_zh, report.words, report.ok) == ("叫号服务", HALL_LOST, False)
    status = probe_hall_service(cfg)                  # `kiosk status` asks the service itself
    assert not status.ok and status.words == HALL_LOST

    with running(service(), f"127.0.0.1:{port}"):
        deadline = time.monotonic() + 5
        while not store.link.up and time.monotonic() < deadline:
            time.sleep(0.05)                          # nobody asks: the background probe does
        assert store.link.up, "the kiosk noticed by itself that the hall is back"
        r = q.take("C")
        assert r.ok and r.ticket is not None and r.ticket.number == "C002"
        assert probe_hall_service(cfg).ok
    q.close()
