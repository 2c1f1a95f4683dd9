"""The staff PIN: stored only as a salted scrypt hash; wrong tries lock entry for a while.

The lockout state lives in a small file so that pulling the plug does not reset the count:
a kiosk in a public hall must not let someone guess the PIN by restarting it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import logging
import math
import os
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# scrypt cost: ~50 ms on the kiosk's CPU is unnoticeable for staff, costly for an attacker.
_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"
PIN_PATTERN = re.compile(r"\d{6,12}")


def pin_problem(pin: str) -> str:
    """'' for a PIN staff may choose; else why not (for `kiosk admin set-pin`). Refused:
    not 6-12 digits, one digit repeated (000000), a run up or down (123456, 987654), a short
    pattern repeated (121212, 123123) — the first PINs anyone tries."""
    if not PIN_PATTERN.fullmatch(pin):
        return "a PIN is 6 to 12 digits"
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in itertools.pairwise(digits)}
    if steps in ({1}, {-1}, {0}) or steps in ({1, -9}, {-1, 9}):
        return "this PIN is too easy to guess (one digit repeated, or digits in a row)"
    for size in (2, 3, 4):
        if len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size):
            return "this PIN is too easy to guess (a short pattern repeated)"
    return ""


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """'scrypt$N$r$p$salt$hash' (base64), for [maintenance].pin_hash."""
    if not PIN_PATTERN.fullmatch(pin):
        raise ValueError("a PIN is 6 to 12 digits")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"{_PREFIX}${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time check of a PIN against a stored hash; False for an empty/garbled hash."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _PREFIX:
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return False
    if n > 2**20 or r > 64 or p > 16:  # refuse a hash crafted to burn the CPU
        return False
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=len(expected))
    return hmac.compare_digest(digest, expected)


@dataclass(frozen=True)
class PinCheck:
    """What the PIN screen shows: accepted, wrong (tries left), or locked (seconds left)."""

    accepted: bool
    tries_left: int
    locked_for_s: int

    @property
    def message(self) -> str:
        if self.accepted:
            return "已进入维护模式。"
        if self.locked_for_s > 0:
            minutes = max(1, (self.locked_for_s + 59) // 60)
            return f"密码错误次数过多，请 {minutes} 分钟后再试。"
        return f"密码不正确，还可以再试 {self.tries_left} 次。"


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _boottime() -> float:
    """Seconds since boot, counting suspend: never jumps with the wall clock, and the same in
    every process of one boot — so a lockout survives a restart of the kiosk without trusting
    an RTC that may be dead."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


class PinGate:
    """Counts wrong PINs and locks entry after `max_attempts` for `lockout_s` seconds.

    Time: the lock is kept as seconds since boot (CLOCK_BOOTTIME) with the boot's id, so a wall
    clock 7 days behind (a dead RTC, no NTP) neither lengthens nor shortens it; after a reboot
    only the wall clock is left, and the time left is capped at `lockout_s`.
    Disk: the state file is written best-effort. On a full or read-only disk the count goes on
    in memory (every wrong PIN still counts) and the right PIN still enters — staff need
    maintenance mode most when the disk is full."""

    def __init__(self, pin_hash: str, max_attempts: int, lockout_s: int, state_path: Path,
                 clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] | None = None,
                 boot_id: Callable[[], str] = _boot_id) -> None:
        self._hash = pin_hash
        self._max = max_attempts
        self._lockout = lockout_s
        self._path = state_path
        self._clock = clock
        # a test's clock drives both; the real wall clock pairs with the boot clock
        self._mono = monotonic or (_boottime if clock is time.time else clock)
        self._boot = boot_id
        self._mem: dict[str, Any] = {}    # the state as last saved (or failed to be saved)

    @property
    def configured(self) -> bool:
        return self._hash.startswith(_PREFIX + "$")

    def _read_file(self) -> dict[str, Any]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _load(self) -> tuple[int, float]:
        """(failures, seconds the lock has left), from the newer of memory and the file."""
        data = self._read_file()
        if int(self._mem.get("seq", 0)) >= _int(data.get("seq")):
            data = self._mem or data
        failures = _int(data.get("failures"))
        if data.get("boot") and data.get("boot") == self._boot():
            left = _float(data.get("mono_until")) - self._mono()
            return failures, max(0.0, min(left, float(self._lockout)))
        left = _float(data.get("locked_until")) - self._clock()
        left = max(0.0, min(left, float(self._lockout)))
        if left > 0:     # locked in an earlier boot: from now on by this boot's clock
            self._save(failures, left)
        return failures, left

    def _save(self, failures: int, lock_s: float) -> None:
        seq = max(_int(self._mem.get("seq")), _int(self._read_file().get("seq"))) + 1
        self._mem = {"seq": seq, "failures": failures, "boot": self._boot(),
                     "mono_until": self._mono() + lock_s if lock_s else 0.0,
                     "locked_until": self._clock() + lock_s if lock_s else 0.0}
        tmp = self._path.with_suffix(".tmp")
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(self._mem), encoding="utf-8")
            os.replace(tmp, self._path)
        except OSError as exc:
            with contextlib.suppress(OSError):     # a read-only disk refuses this too
                tmp.unlink(missing_ok=True)
            log.warning("maintenance PIN state not saved (%s); counting in memory",
                        exc.strerror or exc)

    def locked_for(self) -> int:
        """Seconds until entry is possible again (0: not locked)."""
        _failures, left = self._load()
        return int(left + 0.999) if left > 0 else 0

    def check(self, pin: str) -> PinCheck:
        failures, left = self._load()
        if left > 0:
            return PinCheck(False, 0, int(left + 0.999))
        if self.configured and verify_pin(pin, self._hash):
            self._save(0, 0.0)
            return PinCheck(True, self._max, 0)
        failures += 1
        if failures >= self._max:
            self._save(0, float(self._lockout))
            return PinCheck(False, 0, self._lockout)
        self._save(failures, 0.0)
        return PinCheck(False, self._max - failures, 0)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _float(value: Any) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else 0.0


def write_pin_hash(config_path: Path, pin_hash: str) -> None:
    """Set [maintenance].pin_hash in kiosk.toml in place, keeping comments and layout."""
    lines = config_path.read_text(encoding="utf-8").splitlines(keepends=True)
    out: list[str] = []
    section = ""
    done = False
    for line in lines:
        header = re.match(r"\s*\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            if section == "maintenance" and not done:
                out.append(f'pin_hash = "{pin_hash}"\n')
                done = True
            section = header.group(1)
        if section == "maintenance" and re.match(r"\s*pin_hash\s*=", line):
            comment = line[line.index("#"):].rstrip("\n") if "#" in line else ""
            out.append(f'pin_hash = "{pin_hash}"' + (f"  {comment}" if comment else "") + "\n")
            done = True
            continue
        out.append(line)
    if not done:
        if section != "maintenance":
            out.append("\n[maintenance]\n")
        out.append(f'pin_hash = "{pin_hash}"\n')
    _replace_keeping_mode(config_path, "".join(out))


def _replace_keeping_mode(path: Path, text: str) -> None:
    """Write `text` to a temporary file with the mode (and, as root, owner) of `path`, then
    rename it over `path`: a 0600 kiosk.toml stays 0600, and its PIN hash unreadable to
    others. The temporary file is never more open than the original, even for an instant."""
    st = path.stat()
    tmp = path.with_suffix(".toml.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IMODE(st.st_mode) & 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if os.geteuid() == 0:
            os.chown(tmp, st.st_uid, st.st_gid)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def readable_by_others(path: Path) -> bool:
    """Whether users other than the owner (and its group) can read the file."""
    return bool(stat.S_IMODE(path.stat().st_mode) & 0o004)
