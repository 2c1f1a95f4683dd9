"""What hall staff see (issue 17): a past error as past with its time, today's failed and
voided tickets, the day's usage counts, `kiosk doctor` naming the running kiosk as the user
of its ports, and the printer's log saying changes of state rather than every poll."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from datetime import time as dtime
from pathlib import Path

import pytest

from devices.receipt_printer.printer import ReceiptPrinter
from devices.sim.printer import VirtualPrinter
from devices.status import DeviceState, PaperState, StatusUpdate
from kiosk.bootstrap import profile_spec
from kiosk.config import parse_config
from kiosk.maintenance.status import write_snapshot
from kiosk.queue.model import TicketState, queue_day
from kiosk.status_sources import doctor_checks
from kiosk.terminal import Terminal, TerminalParts
from kiosk.terminal_backend import TerminalBackend
from kiosk.usage import Usage
from screens.maint.panel import status_lines
from tests.ui.terminal_rig import terminal_rig


def test_a_past_error_is_shown_as_past_with_its_time(tmp_path: Path) -> None:
    cfg = parse_config({}, base_dir=str(tmp_path))
    t = Terminal(cfg, TerminalParts())
    t.note(StatusUpdate("receipt_printer", DeviceState.ONLINE, "REC_EMPTY", PaperState.OUT))
    (now,) = [r for r in t.reports() if r.device == "receipt_printer"]
    assert not now.ok and now.error_note() == ""        # the trouble is now: said once
    t.note(StatusUpdate("receipt_printer", DeviceState.ONLINE, "REC_PAPEROK", PaperState.FULL))
    (after,) = [r for r in t.reports() if r.device == "receipt_printer"]
    assert after.ok and after.words == "正常"
    note = after.error_note()
    assert note.startswith("（上次出错 ") and "缺纸" in note and note.endswith("；已恢复）")
    assert time.strftime("%H:%M", time.localtime(after.last_error_at)).lstrip("0") in note


def test_busy_is_not_an_error(tmp_path: Path) -> None:
    cfg = parse_config({}, base_dir=str(tmp_path))
    t = Terminal(cfg, TerminalParts())
    t.note(StatusUpdate("document_printer", DeviceState.BUSY, "", PaperState.UNKNOWN))
    t.note(StatusUpdate("document_printer", DeviceState.ONLINE, "", PaperState.UNKNOWN))
    (rep,) = t.reports()
    assert rep.last_error == "" and rep.error_note() == ""
    assert not any("正在工作" in line for line, _ in status_lines_of(t))


def status_lines_of(t: Terminal) -> list[tuple[str, bool]]:
    return status_lines(TerminalBackend(t, lambda: None).status())


def test_staff_see_failed_and_voided_tickets_and_todays_counts(tmp_path: Path) -> None:
    with terminal_rig(tmp_path) as rig:
        q = rig.terminal.queue
        assert q is not None
        q.repeat_guard_s = 0
        reset_hour = q.store.settings.queue.reset_hour  # type: ignore[attr-defined]
        day = queue_day(datetime.now(), reset_hour)     # the day status reads
        afternoon = datetime.combine(day, dtime(15, 0))         # C is open at 15:00
        q.store.clock = lambda: afternoon               # type: ignore[attr-defined]
        q.clock = lambda: afternoon
        assert q.take("C").ok
        rig.printer.command("paper out")
        failed = q.take("C")
        assert failed.ticket is not None and failed.ticket.state is TicketState.VOID
        rig.printer.command("paper ok")
        assert q.take("C").ok
        q.void("C003")
        rig.terminal.usage.add(Usage.GUIDE_VIEWED, 4)
        lines = [line for line, _ in status_lines_of(rig.terminal)]
        text = "\n".join(lines)
        assert "作废 2 张：C002（没有打印出来）、C003（工作人员作废）" in text
        assert "今日使用：看指南 4 次" in text


def test_doctor_says_the_running_kiosk_holds_the_reader(tmp_path: Path) -> None:
    with terminal_rig(tmp_path) as rig:
        cfg = rig.app.cfg
        write_snapshot(cfg, rig.terminal.started_at, rig.terminal.reports())  # as its pump does
        checks = {c.__doc__: c(cfg) for c in doctor_checks()}
        reader = checks["身份证阅读器"]
        assert reader.ok and "正由运行中的自助终端程序使用" in reader.message
        assert "未连接" not in reader.message


def test_printer_log_says_changes_not_polls(tmp_path: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="devices.receipt_printer.printer")
    cfg = parse_config({}, base_dir=str(tmp_path))
    with VirtualPrinter(tmp_path / "receipts") as vp:
        port = vp.start()
        printer = ReceiptPrinter(f"tcp://127.0.0.1:{port}", profile_spec(cfg.receipt_profile),
                                 1.0, backoff_s=(0.05, 0.1))
        printer.open()
        try:
            for _ in range(10):                       # the monitor's polls
                printer.status()
            vp.command("offline")
            for _ in range(5):
                printer.status()
                time.sleep(0.12)
            vp.command("online")
            for _ in range(20):
                time.sleep(0.12)
                if printer.status().state is DeviceState.ONLINE:
                    break
        finally:
            printer.close()
    info = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    connected = [m for m in info if "connected" in m]
    lost = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(connected) == 2, info                  # at start, and once back
    assert len(lost) == 1, [r.getMessage() for r in lost]
