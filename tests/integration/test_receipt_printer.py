"""The driver against the virtual printer over real sockets and a real pty: what arrives is
what was meant, every injected fault gives the right status, a refused or failed job, and
recovery."""

from __future__ import annotations

import os
import queue
import socket
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from devices.receipt_printer.document import Align, Cut, ReceiptDocument, Text
from devices.receipt_printer.escpos_render import ProfileSpec
from devices.receipt_printer.printer import ReceiptPrinter
from devices.sim.printer import VirtualPrinter
from devices.status import DeviceEvent, DeviceState, JobProgress, PaperState, StatusUpdate
from kiosk.receipts.ticket import TicketSlip
from kiosk.receipts.ticket_layout import ticket_receipt

SLIP = TicketSlip(hall_name="示例县青山镇便民服务中心", number="A007", service_name="社保医保",
                  people_ahead=2, wait_text="约 5–10 分钟", issued_at=datetime(2026, 11, 23, 9, 0),
                  ticket_id="T-A007")
SHORT = ReceiptDocument([Text("测试 A001", align=Align.CENTER), Cut()])


@pytest.fixture
def vp(tmp_path: Path) -> Iterator[VirtualPrinter]:
    with VirtualPrinter(tmp_path / "receipts") as printer:
        yield printer


def driver(vp: VirtualPrinter, port: int, events: queue.Queue[DeviceEvent] | None = None,
           profile: ProfileSpec | None = None) -> ReceiptPrinter:
    return ReceiptPrinter(f"tcp://127.0.0.1:{port}", profile or ProfileSpec(), timeout_s=1.0,
                          events=events, backoff_s=(0.05, 0.2))


def drain(events: queue.Queue[DeviceEvent]) -> list[str]:
    """The status events' names so far (job progress left out)."""
    out = []
    while not events.empty():
        event = events.get_nowait()
        if isinstance(event, StatusUpdate):
            out.append(event.event)
    return out


def next_status(events: queue.Queue[DeviceEvent], timeout: float = 2) -> StatusUpdate:
    while True:
        event = events.get(timeout=timeout)
        if isinstance(event, StatusUpdate):
            return event


def test_ticket_over_tcp_decodes_to_what_was_meant(vp: VirtualPrinter) -> None:
    port = vp.start()
    doc = ticket_receipt(SLIP, 48)
    with driver(vp, port) as printer:
        outcome = printer.print_document(doc)
    assert outcome.ok and outcome.bytes_sent > 0
    (got,) = vp.wait_for_receipts(1)
    meant = doc.plain_text(48)
    assert got.complete and got.text[:len(meant)] == meant
    out = vp.out_dir
    assert out is not None
    assert (out / "1.bin").read_bytes() == got.receipt.raw
    assert (out / "1.txt").read_text("utf-8").startswith("示例县青山镇便民服务中心")
    assert (out / "1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_raster_profile_prints_pictures(vp: VirtualPrinter) -> None:
    port = vp.start()
    with driver(vp, port, profile=ProfileSpec(text_mode="raster", qr="image")) as printer:
        assert printer.print_document(ticket_receipt(SLIP, 48)).ok
    (got,) = vp.wait_for_receipts(1)
    assert all(line.startswith("[IMAGE ") or not line for line in got.text)
    assert any(line.startswith("[IMAGE ") for line in got.text)


def test_numbering_continues_after_a_restart(tmp_path: Path) -> None:
    for expected in (1, 2):
        with VirtualPrinter(tmp_path) as sim:
            with driver(sim, sim.start()) as printer:
                assert printer.print_document(SHORT).ok
            assert sim.wait_for_receipts(1)[0].number == expected
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == ["1.txt", "2.txt"]


def test_paper_near_end_prints_and_warns(vp: VirtualPrinter) -> None:
    events: queue.Queue[DeviceEvent] = queue.Queue()
    with driver(vp, vp.start(), events) as printer:
        vp.command("paper near")
        assert printer.status().paper is PaperState.LOW
        assert printer.print_document(SHORT).ok
    assert drain(events) == ["PS_ONLINE", "REC_NEAREMPTY"]


@pytest.mark.parametrize("fault,cause,event,state", [
    ("paper out", "REC_EMPTY", "REC_EMPTY", DeviceState.USER_ERROR),
    ("cover open", "COVER_OPEN", "COVER_OPEN", DeviceState.USER_ERROR),
    ("cutter error", "HW_ERROR", "CUTTER_ERROR", DeviceState.HW_ERROR),
])
def test_fault_refuses_then_recovers(vp: VirtualPrinter, fault: str, cause: str, event: str,
                                     state: DeviceState) -> None:
    events: queue.Queue[DeviceEvent] = queue.Queue()
    with driver(vp, vp.start(), events) as printer:
        assert vp.command(fault).startswith("ok")
        status = printer.status()
        assert (status.state, status.event) == (state, event)
        outcome = printer.print_document(SHORT)
        assert not outcome.ok and outcome.detail.startswith(cause)
        assert "请联系" in outcome.message and outcome.bytes_sent == 0
        vp.command({"paper out": "paper ok", "cover open": "cover closed",
                    "cutter error": "cutter ok"}[fault])
        assert printer.print_document(SHORT).ok
    assert len(vp.wait_for_receipts(1)) == 1   # the refused job printed nothing
    assert event in drain(events)


def test_paper_running_out_mid_job_fails_the_job(vp: VirtualPrinter) -> None:
    with driver(vp, vp.start()) as printer:
        vp.command("paper out-after 3")
        outcome = printer.print_document(ticket_receipt(SLIP, 48))
        assert not outcome.ok and "REC_EMPTY" in outcome.detail and outcome.bytes_sent > 0
        assert outcome.message == "小票没有打印完整，请联系大厅工作人员。"
        (partial,) = vp.wait_for_receipts(1)
        assert not partial.complete and len(partial.text) == 3
        vp.command("paper ok")
        assert printer.print_document(SHORT).ok
    assert vp.wait_for_receipts(2)[1].complete


def test_offline_then_back_with_backoff(vp: VirtualPrinter) -> None:
    events: queue.Queue[DeviceEvent] = queue.Queue()
    with driver(vp, vp.start(), events) as printer:
        vp.command("offline")
        outcome = printer.print_document(SHORT)
        assert not outcome.ok and outcome.detail.startswith("OFFLINE")
        assert outcome.message == "打印机暂时无法连接，请联系大厅工作人员。"
        assert printer.status().state is DeviceState.OFFLINE
        vp.command("online")
        deadline = time.monotonic() + 3
        while printer.status().state is not DeviceState.ONLINE:
            assert time.monotonic() < deadline, "did not reconnect"
            time.sleep(0.05)
        assert printer.print_document(SHORT).ok
    assert drain(events)[:2] == ["PS_ONLINE", "PS_OFF_OFFLINE"]


def test_printer_gone_and_power_cycled(tmp_path: Path) -> None:
    sim = VirtualPrinter(tmp_path)
    port = sim.start()
    printer = driver(sim, port)
    printer.open()
    sim.command("drop")                         # power cycle: the connection dies
    assert printer.print_document(SHORT).ok     # one fresh connection, no crash
    sim.stop()                                  # unplugged: nothing listens any more
    outcome = printer.print_document(SHORT)
    assert not outcome.ok and outcome.detail.startswith("OFFLINE")
    assert printer.status().state is DeviceState.OFFLINE
    printer.close()


def test_slow_link_still_prints(vp: VirtualPrinter) -> None:
    vp.command("baud 19200")
    with driver(vp, vp.start()) as printer:
        start = time.monotonic()
        outcome = printer.print_document(ticket_receipt(SLIP, 48))
        took = time.monotonic() - start
    assert outcome.ok
    assert took >= outcome.bytes_sent * 10 / 19200 * 0.8   # the wire time was really spent


def test_serial_url_on_a_pty(vp: VirtualPrinter) -> None:
    path = vp.start_pty()
    printer = ReceiptPrinter(f"serial://{path}?baudrate=115200", ProfileSpec(), timeout_s=1.0)
    with printer:
        assert printer.status().state is DeviceState.ONLINE
        assert printer.print_document(SHORT).ok
    assert vp.wait_for_receipts(1)[0].text[0] == "测试 A001"


def test_file_url_has_no_status_but_prints(tmp_path: Path) -> None:
    out = tmp_path / "out.bin"
    with ReceiptPrinter(f"file://{out}", ProfileSpec(), timeout_s=1.0) as printer:
        assert printer.status().paper is PaperState.UNKNOWN
        assert printer.print_document(SHORT).ok
    assert out.read_bytes().endswith(b"\x1dV\x01")


def test_control_channel(vp: VirtualPrinter) -> None:
    port = vp.start_control()
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s, s.makefile("rwb") as f:
        f.write(b"cover open\nbogus\nstatus\n")
        f.flush()
        assert f.readline().startswith(b"ok ")
        assert f.readline().startswith(b"error: unknown command 'bogus'")
        assert b'"cover_open": true' in f.readline()
    assert vp.state.cover_open


def test_two_threads_printing_do_not_interleave(vp: VirtualPrinter) -> None:
    import threading

    port = vp.start()
    docs = [ticket_receipt(SLIP, 48), ReceiptDocument([Text("第二张 B002"), Cut()])]
    with driver(vp, port) as printer:
        outcomes = []
        threads = [threading.Thread(target=lambda d=d: outcomes.append(printer.print_document(d)))
                   for d in docs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
    assert len(outcomes) == 2 and all(o.ok for o in outcomes)
    texts = sorted((r.text for r in vp.wait_for_receipts(2)), key=len)
    assert texts[0][0] == "第二张 B002"
    assert texts[1][:len(docs[0].plain_text(48))] == docs[0].plain_text(48)


def test_garbage_on_the_wire_does_not_stop_the_printer(vp: VirtualPrinter) -> None:
    import random

    port = vp.start()
    rng = random.Random(4)
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(bytes(rng.randrange(256) for _ in range(4000)))
    with driver(vp, port) as printer:
        assert printer.print_document(SHORT).ok
    assert any(r.text[:1] == ["测试 A001"] for r in vp.wait_for_receipts(2))


def test_monitor_reports_a_fault_without_a_job(vp: VirtualPrinter) -> None:
    events: queue.Queue[DeviceEvent] = queue.Queue()
    with driver(vp, vp.start(), events) as printer:
        printer.start_monitor(0.05)
        assert next_status(events).event == "PS_ONLINE"
        vp.command("paper near")
        assert next_status(events).event == "REC_NEAREMPTY"


def test_bad_url_is_a_config_error() -> None:
    from kiosk.bootstrap import open_receipt_printer
    from kiosk.config import parse_config
    from kiosk.errors import ConfigError

    with pytest.raises(ConfigError, match="--printer"):
        open_receipt_printer(parse_config({}), "usb://nonsense")


def test_tcp_is_released_between_jobs_so_others_can_print(vp: VirtualPrinter) -> None:
    port = vp.start()
    kiosk, staff = driver(vp, port), driver(vp, port)
    with kiosk, staff:
        assert kiosk.print_document(SHORT).ok
        assert staff.print_document(SHORT).ok
        assert kiosk.status().state is DeviceState.ONLINE
        deadline = time.monotonic() + 2
        while vp._conns and time.monotonic() < deadline:   # the sim sees each close
            time.sleep(0.01)
        assert not vp._conns
    assert len(vp.wait_for_receipts(2)) == 2


def test_reconnect_attempts_back_off() -> None:
    with socket.socket() as s:            # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    printer = ReceiptPrinter(f"tcp://127.0.0.1:{port}", ProfileSpec(), timeout_s=0.5,
                             backoff_s=(0.3, 1.0))
    printer.open()                                      # refused: OFFLINE, next try in 0.3 s
    assert printer.status().detail == "waiting to reconnect"
    time.sleep(0.35)
    tried = printer.status()                            # tries, refused: next in 0.6 s
    assert tried.state is DeviceState.OFFLINE and "cannot open" in tried.detail
    time.sleep(0.35)
    assert printer.status().detail == "waiting to reconnect"
    printer.close()


def test_cups_url_hands_the_job_to_lp_raw(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in `lp` (a real executable on PATH, no CUPS server needed) records what the
    driver hands to CUPS: the whole job at once, as a raw job for the named queue."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    lp = bindir / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args\ncat > {tmp_path}/job\n')
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:{os.environ['PATH']}")
    with ReceiptPrinter("cups://receipt-raw", ProfileSpec(), timeout_s=1.0) as printer:
        assert printer.print_document(SHORT).ok
    assert (tmp_path / "args").read_text().split() == ["-d", "receipt-raw", "-o", "raw"]
    job = (tmp_path / "job").read_bytes()
    assert job.startswith(b"\x1b@") and job.endswith(b"\x1dV\x01")


def test_a_silent_printer_costs_one_bounded_wait_even_while_the_monitor_asks(
        vp: VirtualPrinter) -> None:
    """Issue 13: a printer that takes the connection and never answers made a citizen wait
    two full status time-outs (the monitor's, holding the printer, then the job's own). Now
    the monitor's fresh "no reply" refuses the job at once: one wait at most. (A ratio within
    this run, not a wall-clock limit.)"""
    port = vp.start()
    vp.command("silent")
    printer = ReceiptPrinter(f"socket://127.0.0.1:{port}", ProfileSpec(), timeout_s=1.0,
                             backoff_s=(0.0, 0.0))
    printer.start_monitor(interval_s=0.01)     # asks again and again, 1 s each time
    time.sleep(0.2)                           # … and is in the middle of one now
    start = time.monotonic()
    outcome = printer.print_document(SHORT)
    took = time.monotonic() - start
    printer.close()
    assert not outcome.ok and "no status reply" in outcome.detail
    assert outcome.message == "打印机暂时无法连接，请联系大厅工作人员。"
    assert took / printer.timeout_s < 1.5, f"{took:.2f} s for a {printer.timeout_s} s time-out"


def test_a_job_waiting_for_a_silent_printer_says_so(vp: VirtualPrinter) -> None:
    port = vp.start()
    vp.command("silent")
    events: queue.Queue[DeviceEvent] = queue.Queue()
    printer = ReceiptPrinter(f"tcp://127.0.0.1:{port}", ProfileSpec(), timeout_s=1.5,
                             events=events)
    outcome = printer.print_document(SHORT)
    printer.close()
    progress = [e for e in list(events.queue) if isinstance(e, JobProgress)]
    assert not outcome.ok and [p.step for p in progress] == ["NO_REPLY"]
    assert progress[0].limit_s == 1.5 and 0.9 <= progress[0].waited_s < 1.5
    assert progress[0].device == "receipt_printer"
    vp.command("answering")
    assert ReceiptPrinter(f"tcp://127.0.0.1:{port}", ProfileSpec(),
                          timeout_s=1.0).print_document(SHORT).ok
