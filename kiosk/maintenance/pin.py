"""The staff PIN: stored only as a salted scrypt hash; wrong tries lock entry for a while.

The lockout state lives in a small file so that pulling the plug does not reset the count:
a kiosk in a public hall must not let someone guess the PIN by restarting it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# scrypt cost: ~50 ms on the kiosk's CPU is unnoticeable for staff, costly for an attacker.
_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"
PIN_PATTERN = re.compile(r"\d{6,12}")


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """'scrypt$N$r$p$salt$hash' (base64), for [maintenance].pin_hash."""
    if not PIN_PATTERN.fullmatch(pin):
        raise ValueError("a PIN is 6 to 12 digits")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"{_PREFIX}${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def hash_problem(stored: str) -> str:
    """'' when `stored` is a hash verify_pin can use; else what is wrong (a hand-edited or
    truncated pin_hash would otherwise lock staff out of maintenance mode silently)."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _PREFIX:
        return "expected scrypt$N$r$p$salt$hash"
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return "expected scrypt$N$r$p$salt$hash with numbers and base64"
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 64 and 1 <= p <= 16):
        return "expected scrypt costs N a power of two up to 2^20, r ≤ 64, p ≤ 16"
    if len(salt) < 8 or len(digest) < 16:
        return "expected a salt of at least 8 and a hash of at least 16 bytes"
    return ""


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


class PinGate:
    """Counts wrong PINs and locks entry after `max_attempts` for `lockout_s` seconds."""

    def __init__(self, pin_hash: str, max_attempts: int, lockout_s: int, state_path: Path,
                 clock: Callable[[], float] = time.time) -> None:
        self._hash = pin_hash
        self._max = max_attempts
        self._lockout = lockout_s
        self._path = state_path
        self._clock = clock

    @property
    def configured(self) -> bool:
        return self._hash.startswith(_PREFIX + "$")

    def _load(self) -> tuple[int, float]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return int(data.get("failures", 0)), float(data.get("locked_until", 0.0))
        except (OSError, ValueError, AttributeError):
            return 0, 0.0

    def _save(self, failures: int, locked_until: float) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"failures": failures, "locked_until": locked_until}),
                       encoding="utf-8")
        os.replace(tmp, self._path)

    def locked_for(self) -> int:
        """Seconds until entry is possible again (0: not locked)."""
        _failures, until = self._load()
        return max(0, int(until - self._clock() + 0.999))

    def check(self, pin: str) -> PinCheck:
        failures, until = self._load()
        now = self._clock()
        if until > now:
            return PinCheck(False, 0, int(until - now + 0.999))
        if until and until <= now:
            failures = 0  # the lock expired: a fresh set of tries
        if self.configured and verify_pin(pin, self._hash):
            self._save(0, 0.0)
            return PinCheck(True, self._max, 0)
        failures += 1
        if failures >= self._max:
            self._save(0, now + self._lockout)
            return PinCheck(False, 0, self._lockout)
        self._save(failures, 0.0)
        return PinCheck(False, self._max - failures, 0)


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
    tmp = config_path.with_suffix(".toml.tmp")
    tmp.write_text("".join(out), encoding="utf-8")
    os.replace(tmp, config_path)
