"""`kiosk status` against the project's simulators in every state: the virtual receipt printer
(paper near end, out, cover open, gone), the simulated SAM reader (online, failing SAM, absent),
a private CUPS queue (ready, stopped) and SANE's test backend (found, missing)."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from devices.sim.idcards import sample_cards
from devices.sim.idreader import SimReader
from devices.sim.idreader_transport import TcpLine
from devices.sim.printer import VirtualPrinter
from kiosk.config import load_config
from kiosk.status_sources import probe_id_reader, probe_receipt_printer
from tests.support.a4_fixtures import cups, cups_server, queue_name, sane  # noqa: F401
from tests.support.cups_env import CupsServer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def printer() -> Iterator[tuple[VirtualPrinter, int]]:
    vp = VirtualPrinter()
    port = vp.start()
    yield vp, port
    vp.stop()


@pytest.fixture
def reader() -> Iterator[tuple[SimReader, int]]:
    sim = SimReader(sample_cards())
    line = TcpLine(sim, "127.0.0.1", 0)
    line.start()
    assert line.ready.wait(2)
    yield sim, line.port
    line.stop()


def _config(tmp_path: Path, printer_port: int, reader_port: int, a4: str = "",
            scanner: str = "") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[receipt_printer]\nurl = "tcp://127.0.0.1:{printer_port}"\ntimeout_s = 1.0\n'
        f'[id_reader]\nport = "socket://127.0.0.1:{reader_port}"\n'
        + (f'[document_printer]\nqueue = "{a4}"\n' if a4 else
           "[document_printer]\nenabled = false\n")
        + (f'[scanner]\ndevice = "{scanner}"\n' if scanner else "[scanner]\nenabled = false\n"),
        encoding="utf-8")
    return path


@pytest.mark.parametrize(("paper", "cover", "state", "paper_state", "ok", "words"), [
    ("ok", False, "ONLINE", "FULL", True, "正常"),
    ("near", False, "ONLINE", "LOW", True, "纸快用完了，请及时装纸"),
    ("out", False, "USER_ERROR", "OUT", False, "缺纸，请装纸"),
    ("ok", True, "USER_ERROR", "FULL", False, "纸仓盖没有关好，请关好"),
])
def test_receipt_printer_states(tmp_path: Path, printer: tuple[VirtualPrinter, int],
                                paper: str, cover: bool, state: str, paper_state: str,
                                ok: bool, words: str) -> None:
    vp, port = printer
    vp.state.paper = paper
    vp.state.cover_open = cover
    rep = probe_receipt_printer(load_config(_config(tmp_path, port, _free_port())))
    assert (rep.state, rep.paper, rep.ok) == (state, paper_state, ok), rep
    assert bool(rep.last_error) is not ok
    assert rep.words == words


def test_receipt_printer_gone_is_offline(tmp_path: Path) -> None:
    rep = probe_receipt_printer(load_config(_config(tmp_path, _free_port(), _free_port())))
    assert rep.state == "OFFLINE" and not rep.ok and "电源" in rep.words


def test_reader_online_failing_sam_and_absent(tmp_path: Path,
                                              reader: tuple[SimReader, int]) -> None:
    sim, port = reader
    cfg = load_config(_config(tmp_path, _free_port(), port))
    rep = probe_id_reader(cfg)
    assert rep.state == "ONLINE" and "SAM" in rep.detail
    sim.inject("sam-fail")
    assert probe_id_reader(cfg).state == "HW_ERROR"
    absent = probe_id_reader(load_config(_config(tmp_path, _free_port(), _free_port())))
    assert absent.state in ("OFFLINE", "NO_DEVICE") and not absent.ok


def test_status_json_with_every_device(tmp_path: Path, printer: tuple[VirtualPrinter, int],
                                       reader: tuple[SimReader, int], cups: CupsServer,  # noqa: F811
                                       queue_name: str, sane: dict[str, str],  # noqa: F811
                                       run_kiosk: Callable[..., CompletedProcess[str]]) -> None:
    vp, pport = printer
    _sim, rport = reader
    vp.state.paper = "out"
    cups.run("cupsdisable", queue_name, check=True)
    cfg_path = _config(tmp_path, pport, rport, a4=queue_name, scanner="nosuch:0")
    res = run_kiosk("--config", str(cfg_path), "status", "--json", "--probe",
                    env={**cups.env, **sane})
    assert res.returncode == 1, res.stderr           # problems found
    d = json.loads(res.stdout)
    devs = {x["device"]: x for x in d["devices"]}
    assert devs["receipt_printer"]["paper"] == "OUT" and not devs["receipt_printer"]["ok"]
    assert devs["id_reader"]["state"] == "ONLINE" and devs["id_reader"]["ok"]
    assert devs["document_printer"]["ok"] is False and devs["document_printer"]["last_error"]
    assert devs["scanner"]["state"] == "NO_DEVICE"
    assert "凭条打印机：缺纸，请装纸" in d["problems"]
    assert d["uptime_s"] is None and d["version"] and d["disk"]["writable"]
    # and when all is well, exit 0
    vp.state.paper = "ok"
    cups.run("cupsenable", queue_name, check=True)
    good = _config(tmp_path, pport, rport, a4=queue_name, scanner="test")
    res = run_kiosk("--config", str(good), "status", "--json", "--probe",
                    env={**cups.env, **sane})
    d = json.loads(res.stdout)
    assert res.returncode == 0, d["problems"]
    assert all(x["ok"] for x in d["devices"])


