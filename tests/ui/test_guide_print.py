"""The guide screen's 打印办事指南 (KioskActions.print_guide) through the real App (SDL dummy
driver) to the virtual printer over a real socket: progress at once, then the result."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.sim.printer import VirtualPrinter
from kiosk.bootstrap import open_receipt_printer
from kiosk.config import parse_config
from kiosk.terminal import Terminal, TerminalParts
from screens.app import App
from screens.busy import Busy
from screens.dialog import Notice
from screens.kiosk_actions import KioskActions
from screens.main import build_app


@pytest.fixture
def setup(tmp_path: Path, repo: Path) -> Iterator[tuple[App, VirtualPrinter]]:
    with VirtualPrinter(tmp_path / "receipts") as vp:
        port = vp.start()
        cfg = parse_config({"receipt_printer": {"url": f"tcp://127.0.0.1:{port}",
                                                "timeout_s": 1.0},
                            "catalog": {"db": "catalog.sqlite",
                                        "seed": str(repo / "tests/data/mini-catalog.json")}},
                           base_dir=str(tmp_path))
        # only the receipt printer: the test needs no others
        receipt = open_receipt_printer(cfg)
        terminal = Terminal(cfg, TerminalParts(receipt=receipt))
        app = build_app(cfg, actions=KioskActions(terminal), size=(600, 1000), headless=True)
        app.open()
        try:
            yield app, vp
        finally:
            app.close()
            receipt.close()


def settle(app: App) -> None:
    deadline = time.monotonic() + 10
    while app.busy and time.monotonic() < deadline:
        app.step(20)
    app.step(0)


def test_guide_prints_and_says_so(setup: tuple[App, VirtualPrinter]) -> None:
    app, vp = setup
    app.actions.print_guide("T-0001")
    assert isinstance(app.top, Busy)
    settle(app)
    assert isinstance(app.top, Notice) and "没有" not in app.top.title   # the success notice
    (receipt,) = vp.wait_for_receipts(1)
    assert any("最低生活保障审核确认" in line for line in receipt.text)
    assert len(app.stack) == 2                  # home + the result; progress is gone


def test_paper_out_is_explained(setup: tuple[App, VirtualPrinter]) -> None:
    app, vp = setup
    vp.command("paper out")
    app.actions.print_guide("T-0001")
    settle(app)
    assert isinstance(app.top, Notice) and app.top.title == "没有打印出来"
    assert app.top.message.startswith("打印机缺纸")
    assert vp.wait_for_receipts(1, timeout=0.2) == []
