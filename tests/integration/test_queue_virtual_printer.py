"""Tickets issued through the real receipt printer driver to the virtual ESC/POS printer over a
real socket: the slip that arrives says the number; paper out voids the number."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from devices.sim.printer import VirtualPrinter
from kiosk import bootstrap
from kiosk.config import Config, parse_config
from kiosk.queue.model import TicketState
from kiosk.queue.service import IssueStatus, QueueService
from tests.queue_support import ALL_DAY, Clock, hall_toml, make_store

MORNING = datetime(2026, 11, 23, 9, 0)


@pytest.fixture
def vp(tmp_path: Path) -> Iterator[VirtualPrinter]:
    with VirtualPrinter(tmp_path / "receipts") as printer:
        yield printer


@pytest.fixture
def cfg(tmp_path: Path, vp: VirtualPrinter) -> Config:
    port = vp.start()
    (tmp_path / "hall.toml").write_text(hall_toml([{
        "name": "综合咨询", "prefix": "C", "counters": ["5号窗口"], "hours": ALL_DAY,
        "where": "一楼大厅中央"}]), encoding="utf-8")
    return parse_config({
        "receipt_printer": {"url": f"tcp://127.0.0.1:{port}", "timeout_s": 1.0},
    }, base_dir=str(tmp_path))


@pytest.fixture
def queue(cfg: Config) -> Iterator[QueueService]:
    with bootstrap.ticket_printer(cfg) as printer:
        q = QueueService(cfg, make_store(cfg, Clock(MORNING)), printer, repeat_guard_s=0)
        q.open()
        yield q
        q.close()


def test_ticket_comes_out_of_the_virtual_printer(queue: QueueService,
                                                 vp: VirtualPrinter) -> None:
    r = queue.take("C")
    assert r.ok and r.ticket is not None and r.ticket.state is TicketState.WAITING
    (got,) = vp.wait_for_receipts(1)
    text = "\n".join(got.text)
    assert got.complete and "C001" in text and "综合咨询" in text and "一楼大厅中央" in text


def test_paper_out_voids_the_ticket_and_the_next_number_moves_on(queue: QueueService,
                                                                 vp: VirtualPrinter) -> None:
    assert "ok" in vp.command("paper out")
    r = queue.take("C")
    assert r.status is IssueStatus.PRINT_FAILED
    assert r.ticket is not None and r.ticket.state is TicketState.VOID
    assert "作废" in r.message
    vp.command("paper ok")
    r = queue.take("C")
    assert r.ok and r.ticket is not None and r.ticket.number == "C002"
    receipts = vp.wait_for_receipts(1)
    assert any("C002" in "\n".join(x.text) for x in receipts)
    assert not any("C001" in "\n".join(x.text) and x.complete for x in receipts)


def test_cli_take_prints_on_the_virtual_printer(cfg: Config, vp: VirtualPrinter,
                                                tmp_path: Path,
                                                run_kiosk: Callable[...,
                                                                    subprocess.CompletedProcess[str]]
                                                ) -> None:
    url = cfg.receipt_printer.url
    (tmp_path / "kiosk.toml").write_text(f'[receipt_printer]\nurl = "{url}"\n',
                                         encoding="utf-8")
    r = run_kiosk("--config", str(tmp_path / "kiosk.toml"), "ticket", "take", "C")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("C001  综合咨询  前面 0 人  无需等待")
    (got,) = vp.wait_for_receipts(1)
    assert "C001" in "\n".join(got.text)
    r = run_kiosk("--config", str(tmp_path / "kiosk.toml"), "ticket", "reprint", "C001")
    assert r.returncode == 0, r.stderr
    assert len(vp.wait_for_receipts(2)) == 2
def test_paper_running_out_at_every_line_never_leaves_a_dead_number(
        queue: QueueService, vp: VirtualPrinter) -> None:
    """Paper out after N printed lines, for every N over the whole slip, through the real
    driver and the virtual printer: a voided ticket's paper never shows its number; a slip
    that shows its number belongs to a ticket that stays valid, and the citizen is told to
    keep it (issue 17)."""
    r = queue.take("C")
    (whole,) = vp.wait_for_receipts(1)
    lines = len(whole.text)
    assert r.ok and lines > 10
    outcomes = set()
    for n in range(1, lines + 2):
        seen = len(vp.receipts)
        vp.command("paper ok")
        vp.command(f"paper out-after {n}")
        r = queue.take("C")
        assert r.ticket is not None
        got = vp.wait_for_receipts(seen + 1)[seen:]
        text = "\n".join("\n".join(x.text) for x in got)
        shows_number = r.ticket.number in text
        outcomes.add(r.status)
        if r.status is IssueStatus.INCOMPLETE:
            assert r.ticket.state is TicketState.VERIFY, "servable, staff check the slip"
        if r.ticket.state is TicketState.VOID:
            assert not shows_number, f"out after {n} lines: void {r.ticket.number} on paper"
            assert r.status is IssueStatus.PRINT_FAILED
        else:
            assert r.status in (IssueStatus.ISSUED, IssueStatus.INCOMPLETE), n
        if shows_number and not r.ok:
            assert r.status is IssueStatus.INCOMPLETE
            assert "请保留并告诉工作人员" in r.message
            assert r.ticket.number in r.message      # shown on screen too
    vp.command("paper ok")
    assert {IssueStatus.PRINT_FAILED, IssueStatus.INCOMPLETE} <= outcomes
