"""Entering and leaving maintenance mode: the PIN gate with its log lines, and the idle
timer that closes the mode when staff walk away (a citizen must never find the kiosk open
on the staff page)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk.config import Config
from kiosk.maintenance.pin import PinCheck, PinGate

log = logging.getLogger("kiosk.maintenance")


def pin_gate(cfg: Config, clock: Callable[[], float] = time.time) -> PinGate:
    """The gate for this terminal; wrong-try counts survive a restart (var/pin-state.json),
    so pulling the plug does not reset the lockout."""
    m = cfg.maintenance
    return PinGate(m.pin_hash, m.max_attempts, m.lockout_s, cfg.path("var/pin-state.json"),
                   clock)


def try_enter(gate: PinGate, pin: str) -> PinCheck:
    """Check a PIN and log the attempt — the outcome only, never the digits."""
    if not gate.configured:
        log.warning("maintenance entry refused: no PIN is set (kiosk admin set-pin)")
        return PinCheck(False, 0, 0)
    result = gate.check(pin)
    if result.accepted:
        log.info("maintenance mode entered")
    elif result.locked_for_s:
        log.warning("maintenance entry locked for %d s after wrong PINs", result.locked_for_s)
    else:
        log.warning("maintenance entry: wrong PIN, %d tries left", result.tries_left)
    return result


class IdleTimer:
    """Closes maintenance mode after `timeout_s` without a touch."""

    def __init__(self, timeout_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout_s = timeout_s
        self._clock = clock
        self._last = clock()

    def touch(self) -> None:
        self._last = self._clock()

    def remaining(self) -> float:
        return max(0.0, self.timeout_s - (self._clock() - self._last))

    def expired(self) -> bool:
        return self.remaining() <= 0.0
