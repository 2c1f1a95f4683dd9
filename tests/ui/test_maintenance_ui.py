"""Maintenance mode through the real UI (SDL dummy driver) with a real Terminal: the hidden
corner gesture, the PIN pad (wrong PIN, lockout message, right PIN), the panel showing devices
in trouble in plain words, a test page refused then printed on the virtual printer, and the
panel leaving by itself. Screenshots go to $KIOSK_SHOTS (default /tmp/kiosk-shots/maint)."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from devices.sim.printer import VirtualPrinter
from kiosk import bootstrap
from kiosk.config import Config, parse_config
from kiosk.maintenance.pin import hash_pin
from screens.app import App
from screens.kiosk_actions import KioskActions
from screens.main import build_app
from screens.maint.panel import MaintenancePanel, status_lines
from screens.maint.pinpad import PinPad
from tests.ui.helpers import FakeClock, button, tap, tap_widget

PIN = "482913"
SHOTS = Path(os.environ.get("KIOSK_SHOTS", "/tmp/kiosk-shots")) / "maint"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _config(tmp_path: Path, repo: Path, printer_port: int) -> Config:
    return parse_config({
        "receipt_printer": {"url": f"tcp://127.0.0.1:{printer_port}", "timeout_s": 1.0},
        "id_reader": {"port": f"socket://127.0.0.1:{_free_port()}"},   # nobody there
        "document_printer": {"enabled": False},
        "scanner": {"enabled": False},
        "catalog": {"db": "catalog.sqlite", "seed": str(repo / "tests/data/mini-catalog.json")},
        "maintenance": {"pin_hash": hash_pin(PIN), "max_attempts": 3, "lockout_s": 180,
                        "idle_timeout_s": 120},
    }, base_dir=str(tmp_path))


@pytest.fixture
def rig(tmp_path: Path, repo: Path) -> Iterator[tuple[App, FakeClock, VirtualPrinter]]:
    with VirtualPrinter(tmp_path / "receipts") as vp:
        port = vp.start()
        vp.command("paper out")
        cfg = _config(tmp_path, repo, port)
        terminal = bootstrap.terminal(cfg)
        terminal.open()
        clock = FakeClock()
        app = build_app(cfg, actions=KioskActions(terminal), size=(1080, 1920), headless=True)
        app.clock = clock
        app.session._clock = clock        # the visit's idle timer follows the same clock
        terminal.notify = app.post
        app.open()
        app.step(0)
        try:
            yield app, clock, vp
        finally:
            app.close()
            terminal.close()


def shot(app: App, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    app.draw()
    pygame.image.save(app.surface, str(SHOTS / f"{name}.png"))


def gesture(app: App, clock: FakeClock) -> None:
    w, h = app.size
    from tests.ui.helpers import touch_down, touch_up

    touch_down(app, 5, 5)
    app.step(0)
    clock.advance(3.2)                   # the first corner is held
    touch_up(app, 5, 5)
    app.step(0)
    clock.advance(1.0)
    tap(app, w - 5, h - 5)


def type_pin(app: App, pin: str) -> None:
    for d in pin:
        tap_widget(app, button(app, d))
    tap_widget(app, button(app, "确定"))
    deadline = time.monotonic() + 10
    while app.busy and time.monotonic() < deadline:   # scrypt runs on a worker
        app.step(5)
    app.step(0)


def wait_for(app: App, cond: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.step(5)
        if callable(cond) and cond():
            return
    raise AssertionError("condition not reached")


def test_gesture_pin_panel_in_trouble_and_idle_exit(
        rig: tuple[App, FakeClock, VirtualPrinter]) -> None:
    app, clock, vp = rig
    tap(app, 5, 5)                       # a plain tap in the corner does nothing
    assert not isinstance(app.top, PinPad)
    gesture(app, clock)
    assert isinstance(app.top, PinPad)
    shot(app, "1-pin-pad")

    type_pin(app, "111111")
    assert isinstance(app.top, PinPad) and "还可以再试 2 次" in app.top.message
    shot(app, "2-wrong-pin")
    type_pin(app, PIN)
    assert isinstance(app.top, MaintenancePanel)
    panel = app.top
    wait_for(app, lambda: panel.report is not None)
    lines = [text for text, _ok in status_lines(panel.report)]
    assert any("凭条打印机：缺纸，请装纸" in x for x in lines), lines
    assert any(x.startswith("× 身份证阅读器") for x in lines), lines
    assert any("A4打印机" in x and "本机未配置" in x for x in lines)
    assert any("办事指南目录：版本 test-1，共 4 项" in x for x in lines)
    shot(app, "3-panel-devices-in-trouble")

    tap_widget(app, button(app, "打印凭条测试页"))
    wait_for(app, lambda: panel.result is not None)
    assert panel.result is not None and not panel.result.ok
    assert "缺纸" in panel.result.message
    shot(app, "4-test-page-refused")
    vp.command("paper ok")
    tap_widget(app, button(app, "打印凭条测试页"))
    wait_for(app, lambda: panel.result is not None and panel.result.ok)
    assert vp.wait_for_receipts(1)
    assert any("测试" in line for line in vp.receipts[0].text)

    clock.advance(121)                   # staff walked away
    app.step(0)
    app.step(0)
    assert app.top.is_home and len(app.stack) == 1


def test_lockout_after_wrong_pins(rig: tuple[App, FakeClock, VirtualPrinter]) -> None:
    app, clock, _vp = rig
    gesture(app, clock)
    for _ in range(3):
        type_pin(app, "000000")
    assert isinstance(app.top, PinPad)
    assert "分钟后再试" in app.top.message
    assert all(not k.enabled for k in app.top.keys)
    shot(app, "5-locked")


def test_ticket_number_pad_and_reset_confirm(rig: tuple[App, FakeClock, VirtualPrinter]) -> None:
    app, clock, _vp = rig
    gesture(app, clock)
    type_pin(app, PIN)
    tap_widget(app, button(app, "作废号票"))
    for key in ("A", "7"):
        tap_widget(app, button(app, key))
    assert app.top.number() == "A007"    # type: ignore[attr-defined]
    shot(app, "6-ticket-pad")
    tap_widget(app, button(app, "确定"))
    panel = app.top
    assert isinstance(panel, MaintenancePanel)
    wait_for(app, lambda: panel.result is not None)
    assert panel.result is not None and not panel.result.ok and "A007" in panel.result.message
    tap_widget(app, button(app, "清空今日排队"))
    assert "作废" in getattr(app.top, "message", "")
    shot(app, "7-reset-confirm")
