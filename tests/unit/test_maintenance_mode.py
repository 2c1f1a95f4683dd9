"""PIN entry through the gate as maintenance mode uses it: logging without the PIN, lockout
that survives a restart (a new gate on the same state file), idle exit."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.config import parse_config
from kiosk.maintenance.mode import IdleTimer, pin_gate, try_enter
from kiosk.maintenance.pin import hash_pin


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t



def test_entry_is_logged_without_the_pin(tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    cfg = parse_config({"maintenance": {"pin_hash": hash_pin("482913"), "max_attempts": 3,
                                        "lockout_s": 180}}, base_dir=str(tmp_path))
    clock = Clock()
    caplog.set_level(logging.DEBUG)
    assert not try_enter(pin_gate(cfg, clock), "111111").accepted
    assert try_enter(pin_gate(cfg, clock), "482913").accepted
    text = caplog.text
    assert "maintenance mode entered" in text and "wrong PIN, 2 tries left" in text
    assert "482913" not in text and "111111" not in text


def test_lockout_survives_a_new_gate_and_expires(tmp_path: Path) -> None:
    cfg = parse_config({"maintenance": {"pin_hash": hash_pin("482913"), "max_attempts": 3,
                                        "lockout_s": 180}}, base_dir=str(tmp_path))
    clock = Clock()
    for _ in range(3):
        last = try_enter(pin_gate(cfg, clock), "000000")
    assert last.locked_for_s == 180
    # a restart (new gate object) does not reset the lock, even with the right PIN
    check = try_enter(pin_gate(cfg, clock), "482913")
    assert not check.accepted and check.locked_for_s == 180 and "分钟" in check.message
    clock.t += 181
    assert try_enter(pin_gate(cfg, clock), "482913").accepted


def test_no_pin_configured_refuses(tmp_path: Path) -> None:
    cfg = parse_config({}, base_dir=str(tmp_path))
    assert not try_enter(pin_gate(cfg), "").accepted


def test_idle_timer() -> None:
    clock = Clock()
    idle = IdleTimer(120, clock)
    clock.t += 100
    assert not idle.expired() and idle.remaining() == pytest.approx(20)
    idle.touch()
    clock.t += 119
    assert not idle.expired()
    clock.t += 1
    assert idle.expired()
