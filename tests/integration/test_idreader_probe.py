"""The maintenance probe against the simulated reader on a real TCP socket."""

from __future__ import annotations

from pathlib import Path

from devices.sim.idcards import sample_cards
from devices.sim.idreader import SimReader
from devices.sim.idreader_transport import TcpLine
from kiosk.config import parse_config
from kiosk.status_sources import probe_id_reader


def test_probe_online_then_missing(tmp_path: Path) -> None:
    line = TcpLine(SimReader(sample_cards()))
    line.start()
    assert line.ready.wait(2)
    try:
        cfg = parse_config({"id_reader": {"port": f"socket://127.0.0.1:{line.port}"}})
        report = probe_id_reader(cfg)
        assert (report.device, report.state, report.ok) == ("id_reader", "ONLINE", True)
        assert "SAM 05.01-20101010-000012345-123456789" in report.detail
    finally:
        line.stop()
    gone = probe_id_reader(cfg)
    assert gone.state == "NO_DEVICE" and not gone.ok and gone.words
    off = probe_id_reader(parse_config({"id_reader": {"enabled": False}}))
    assert off.state == "DISABLED"
