"""What a heartbeat carries about every device, from the real things: the virtual receipt
printer (paper near its end), the simulated SAM reader, a private CUPS queue whose printer
reported media-empty during a job (the A4 printer's supplies, as CUPS knows them), SANE's
test scanner — sent by `kiosk fleet send` (a real process) to the county service, and what
the dashboard makes of it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from county.service import fleetview
from devices.document_printer.cups import CupsPrinter
from devices.sim.idcards import sample_cards
from devices.sim.idreader import SimReader
from devices.sim.idreader_transport import TcpLine
from devices.sim.printer import VirtualPrinter
from kiosk.usage import USAGE_FILE, Usage, UsageCounters
from tests.support.a4_fixtures import cups, cups_server, queue_name, sane  # noqa: F401
from tests.support.county_service import Service, county_service, enrol_kiosk
from tests.support.cups_env import CupsServer

FORM = Path(__file__).resolve().parents[2] / "assets" / "forms" / "F-DB-01.pdf"
pytestmark = pytest.mark.cups


@pytest.fixture
def service(pg_url: str) -> Iterator[Service]:
    with county_service(pg_url) as s:
        yield s


@pytest.fixture
def printer() -> Iterator[tuple[VirtualPrinter, int]]:
    vp = VirtualPrinter()
    port = vp.start()
    yield vp, port
    vp.stop()


@pytest.fixture
def reader() -> Iterator[int]:
    line = TcpLine(SimReader(sample_cards()), "127.0.0.1", 0)
    line.start()
    assert line.ready.wait(2)
    yield line.port
    line.stop()


def test_heartbeat_carries_every_device_and_the_dashboard_reads_it(
        tmp_path: Path, service: Service, printer: tuple[VirtualPrinter, int], reader: int,
        cups: CupsServer, queue_name: str, sane: dict[str, str],  # noqa: F811
        run_kiosk: Callable[..., CompletedProcess[str]]) -> None:
    vp, pport = printer
    vp.state.paper = "near"
    cups.set_fault(queue_name, "media-empty-error")            # the A4 tray runs dry mid-job
    job = CupsPrinter(queue_name, server=str(cups.socket), poll_s=0.05,
                      job_timeout_s=20).open().print_file(FORM)
    assert not job.ok and "media-empty" in job.detail
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        '[hall]\nregion_code = "000000000000"\n\n'
        f'[receipt_printer]\nurl = "tcp://127.0.0.1:{pport}"\ntimeout_s = 1.0\n\n'
        f'[id_reader]\nport = "socket://127.0.0.1:{reader}"\n\n'
        f'[document_printer]\nqueue = "{queue_name}"\n\n[scanner]\ndevice = "test"\n\n'
        '[catalog]\nseed = ""\n\n'
        f'[fleet]\nurl = "{service.url}"\n', encoding="utf-8")
    me = enrol_kiosk(service, tmp_path / "var" / "fleet", "1号机")
    usage = UsageCounters(tmp_path / USAGE_FILE)
    usage.add(Usage.GUIDE_PRINTED, 3)
    usage.add(Usage.PRINT_FAILED)

    sent = run_kiosk("--config", str(cfg), "fleet", "send", "--json",
                     env={**cups.env, **sane})
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert json.loads(sent.stdout)["acked"] == 1

    row = service.db.one("SELECT body FROM messages WHERE kind = 'heartbeat'")
    assert row is not None
    body = row["body"] if isinstance(row["body"], dict) else json.loads(row["body"])
    devices = {d["device"]: d for d in body["devices"]}
    assert set(devices) == {"receipt_printer", "document_printer", "scanner", "id_reader"}
    assert (devices["receipt_printer"]["state"], devices["receipt_printer"]["paper"]) == (
        "ONLINE", "LOW")
    a4 = devices["document_printer"]
    assert a4["paper"] == "OUT" and "缺纸" in a4["words"], a4      # from CUPS's reasons
    assert devices["id_reader"]["state"] == "ONLINE"
    assert devices["scanner"]["state"] == "ONLINE" and devices["scanner"]["enabled"]
    assert body["today"]["guide_printed"] == 3 and body["today"]["print_failed"] == 1
    assert body["kiosk_version"] and body["uptime_s"] >= 0 and body["disk_free_mb"] > 0

    tile = fleetview.overview(service.db)["halls"][0]["kiosks"][0]
    assert tile["id"] == me.kiosk and tile["colour"] == "red", tile
    assert "A4打印机缺纸" in tile["reasons"] and "凭条打印机纸快用完" in tile["reasons"]
