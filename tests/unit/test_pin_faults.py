"""Issue 13, "Maintenance PIN": set-pin keeps kiosk.toml's mode, trivial PINs are refused, the
lockout is capped and follows the boot clock, and a full or read-only disk neither stops the
count nor locks staff out. Real files; the full disk is a real tmpfs (tests/support/smallfs)."""

from __future__ import annotations

import stat
import typing
from pathlib import Path

import pytest

from kiosk.maintenance.pin import PinGate, hash_pin, pin_problem
from tests.support.smallfs import small_tmpfs

PIN = "482913"
DAY = 86400.0


class Clocks:
    """A wall clock and a boot clock the test moves (kept apart: that is the point)."""

    def __init__(self) -> None:
        self.wall = 1_800_000_000.0
        self.boot = 5_000.0
        self.boot_id = "boot-1"


def _gate(path: Path, c: Clocks, lockout_s: int = 300) -> PinGate:
    return PinGate(hash_pin(PIN), 3, lockout_s, path, clock=lambda: c.wall,
                   monotonic=lambda: c.boot, boot_id=lambda: c.boot_id)


def _lock(gate: PinGate) -> None:
    for _ in range(3):
        gate.check("000000")
    assert gate.locked_for() == 300


def test_a_clock_seven_days_behind_does_not_lengthen_the_lock(tmp_path: Path) -> None:
    """Same boot: the wall clock jumps back a week (dead RTC, then a bad time source); the
    lock still ends 300 s after it began, by the boot clock."""
    c = Clocks()
    _lock(_gate(tmp_path / "s.json", c))
    c.wall -= 7 * DAY
    c.boot += 100
    assert _gate(tmp_path / "s.json", c).locked_for() == 200
    c.boot += 201
    assert _gate(tmp_path / "s.json", c).check(PIN).accepted


def test_after_a_reboot_the_lock_is_capped_at_lockout_s(tmp_path: Path) -> None:
    """A new boot has only the wall clock: 7 days behind, it used to lock for 605,100 s."""
    c = Clocks()
    _lock(_gate(tmp_path / "s.json", c))
    c.boot_id, c.boot, c.wall = "boot-2", 10.0, c.wall - 7 * DAY
    gate = _gate(tmp_path / "s.json", c)
    assert 0 < gate.locked_for() <= 300
    c.boot += 301
    c.wall += 301
    assert _gate(tmp_path / "s.json", c).check(PIN).accepted


def test_a_restart_does_not_reset_the_lock(tmp_path: Path) -> None:
    c = Clocks()
    _lock(_gate(tmp_path / "s.json", c))
    again = _gate(tmp_path / "s.json", c)       # a new process, same boot
    check = again.check(PIN)
    assert not check.accepted and check.locked_for_s == 300


def test_a_damaged_state_file_counts_from_zero(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    state.write_text('{"failures": "x", "mono_until": NaN, "seq": true}', "utf-8")
    assert _gate(state, Clocks()).check("000000").tries_left == 2


@pytest.mark.parametrize("pin", ["000000", "111111", "123456", "654321", "234567", "0123456789",
                                 "987654321", "121212", "123123", "12341234", "890123"])
def test_trivial_pins_are_refused(pin: str) -> None:
    assert pin_problem(pin)


@pytest.mark.parametrize("pin", ["482913", "80261357", "135790", "902718"])
def test_ordinary_pins_pass(pin: str) -> None:
    assert pin_problem(pin) == ""


def _config(tmp_path: Path, repo: Path, mode: int) -> Path:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text((repo / "kiosk.toml").read_text("utf-8"), "utf-8")
    cfg.chmod(mode)
    return cfg


def test_set_pin_keeps_a_0600_config_0600(run_kiosk: typing.Any, tmp_path: Path,
                                           repo: Path) -> None:
    cfg = _config(tmp_path, repo, 0o600)
    out = run_kiosk("--config", str(cfg), "admin", "set-pin", "--pin-stdin", input="80261357\n")
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    assert "pin_hash = \"scrypt$" in cfg.read_text("utf-8")
    assert "warning" not in out.stderr
    assert not list(tmp_path.glob("*.tmp"))


def test_set_pin_warns_when_others_can_read_the_hash(run_kiosk: typing.Any, tmp_path: Path,
                                                     repo: Path) -> None:
    cfg = _config(tmp_path, repo, 0o644)
    out = run_kiosk("--config", str(cfg), "admin", "set-pin", "--pin-stdin", input="80261357\n")
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o644
    assert f"chmod 600 {cfg}" in out.stderr


def test_set_pin_refuses_a_trivial_pin(run_kiosk: typing.Any, tmp_path: Path,
                                       repo: Path) -> None:
    cfg = _config(tmp_path, repo, 0o600)
    before = cfg.read_text("utf-8")
    out = run_kiosk("--config", str(cfg), "admin", "set-pin", "--pin-stdin", input="123456\n")
    assert out.returncode == 1 and "too easy" in out.stderr and "nothing was changed" in out.stderr
    assert cfg.read_text("utf-8") == before


@pytest.mark.parametrize("how", ["full", "read-only"])
def test_a_full_or_read_only_disk_still_counts_and_still_lets_staff_in(
        tmp_path: Path, how: str) -> None:
    """Wrong PINs used to go uncounted and the right PIN could not enter: the state file
    could not be written, and the exception ended the check."""
    with small_tmpfs(tmp_path / "disk", "1m") as fs:
        state = fs.root / "var" / "pin-state.json"
        c = Clocks()
        _gate(state, c).check("000000")             # a state file exists, then the disk fills
        if how == "full":
            fs.fill(0)
        else:
            fs.remount("ro")
        gate = _gate(state, c)
        assert gate.check("000000").tries_left == 1          # counted (from 2 → 1)
        assert gate.check("000000").locked_for_s == 300      # and locked
        assert not gate.check(PIN).accepted                  # the lock holds in memory
        c.boot += 301
        c.wall += 301
        assert gate.check(PIN).accepted
        if how == "read-only":
            fs.remount("rw")
