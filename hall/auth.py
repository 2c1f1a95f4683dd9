"""Who may do what: enrolled kiosks issue, logged-in staff call, displays only read.

- A kiosk enrols once: `kiosk hall enrol-kiosk NAME` (on the hall machine) prints a one-time
  code; `kiosk hall join URL --code CODE` (on the kiosk) trades it for the kiosk's token and
  the hall's per-person secret. Only SHA-256 digests of codes and tokens are stored.
- Staff log in with their staff number and PIN (scrypt, as the maintenance PIN) to ONE window;
  the session token is bound to that person and that window. Wrong PINs count per staff
  number and lock it for `[auth].lockout_s` after `[auth].max_attempts`.
- Every refusal (bad token, wrong PIN, used code) is counted per client address: more than
  `[auth].failures_per_minute` in a minute and that address is answered 429 for the rest of
  the minute. Refusals are logged with the address and staff number, never the secret.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.maintenance.pin import PIN_PATTERN, hash_pin, verify_pin
from kiosk.queue.hallconfig import HallSettings
from kiosk.queue.secret import load_or_create_secret
from kiosk.queue.sql import auth as rows
from kiosk.queue.sql.engine import SqlHallStore

log = logging.getLogger("hall.auth")


class AuthError(Exception):
    """A refused login or token. `code`: unauthorized / forbidden / locked / rate_limited."""

    def __init__(self, code: str, message: str, citizen_message: str,
                 retry_after_s: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.citizen_message = citizen_message
        self.retry_after_s = retry_after_s


WRONG_LOGIN = "工号或密码不对，请重新输入。"
LOCKED = "密码错误次数太多，这个工号已暂时锁定，请{minutes}分钟后再试，或找大厅负责人。"
NOT_ENROLLED = "这台设备没有登记到本大厅，请联系技术人员。"
SLOW_DOWN = "尝试次数太多，请稍后再试。"
EXPIRED = "登录已过期，请重新登录。"
BAD_CODE = "登记码不对或已过期，请在大厅服务器上重新生成。"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    staff: str
    role: str
    window: int | None


@dataclass(frozen=True)
class Joined:
    name: str
    token: str
    secret: bytes


class Limiter:
    """Refusals per client address in a sliding minute."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str) -> deque[float]:
        now = self.clock()
        q = self._seen.setdefault(address, deque())
        while q and now - q[0] > 60:
            q.popleft()
        return q

    def check(self, address: str) -> None:
        with self._lock:
            q = self._recent(address)
            if len(q) >= self.per_minute:
                wait = int(60 - (self.clock() - q[0])) + 1
                raise AuthError("rate_limited", f"{address}: {len(q)} refusals in a minute",
                                SLOW_DOWN, wait)

    def failed(self, address: str) -> None:
        with self._lock:
            self._recent(address).append(self.clock())


class Auth:
    def __init__(self, store: SqlHallStore, settings: HallSettings,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.limiter = Limiter(settings.auth.failures_per_minute)

    def _refuse(self, address: str, code: str, why: str, citizen: str,
                retry_after_s: int = 0) -> AuthError:
        self.limiter.failed(address)
        log.warning("refused %s from %s: %s", code, address, why)
        return AuthError(code, why, citizen, retry_after_s)

    # -- kiosks --------------------------------------------------------------------------------

    def kiosk(self, token: str, address: str) -> str:
        """The enrolled kiosk's name for a bearer token."""
        self.limiter.check(address)
        name = self.store.query(lambda tx: rows.kiosk_of(tx, digest(token))) if token else None
        if name is None:
            raise self._refuse(address, "unauthorized", "not an enrolled kiosk's token",
                               NOT_ENROLLED)
        return name

    def enrol_code(self, name: str) -> str:
        """A one-time code for kiosk `name` (8 digits, shown once, valid for minutes)."""
        code = f"{secrets.randbelow(10**8):08d}"
        until = self.clock() + timedelta(minutes=self.settings.auth.enrol_code_minutes)
        self.store.transact("enrol", lambda tx: rows.code_add(tx, digest(code), name, until))
        log.info("enrolment code made for kiosk %s (valid until %s)", name, until)
        return code

    def join(self, code: str, address: str) -> Joined:
        """Spend a one-time code: the kiosk's token and the hall's per-person secret."""
        self.limiter.check(address)
        token = secrets.token_urlsafe(32)
        now = self.clock()
        name = self.store.transact("join", lambda tx: rows.code_use(
            tx, digest(code.replace("-", "").strip()), digest(token), now))
        if name is None:
            raise self._refuse(address, "unauthorized", "unknown, used or expired code",
                               BAD_CODE)
        secret = load_or_create_secret(self.settings.path(self.settings.queue.secret_file))
        log.info("kiosk %s enrolled from %s", name, address)
        return Joined(name, token, secret)

    # -- staff ---------------------------------------------------------------------------------

    def add_staff(self, staff_no: str, name: str, role: str, pin: str) -> None:
        pin_hash = hash_pin(pin)
        self.store.transact("staff add", lambda tx: rows.staff_add(
            tx, staff_no, name, role, pin_hash, self.clock()))

    def set_pin(self, staff_no: str, pin: str) -> None:
        pin_hash = hash_pin(pin)
        self.store.transact("staff set-pin", lambda tx: rows.staff_update(
            tx, staff_no, pin_hash=pin_hash))

    def set_disabled(self, staff_no: str, disabled: bool) -> None:
        self.store.transact("staff disable", lambda tx: rows.staff_update(
            tx, staff_no, disabled=disabled))

    def check_pin(self, staff_no: str, pin: str, address: str) -> rows.StaffRow:
        """The staff member, or AuthError (wrong/unknown/disabled: one message; locked)."""
        self.limiter.check(address)
        now = self.clock()
        staff = self.store.query(lambda tx: rows.staff_get(tx, staff_no))
        if staff is not None and staff.locked_until and staff.locked_until > now:
            minutes = max(1, round((staff.locked_until - now).total_seconds() / 60))
            raise self._refuse(address, "locked", f"staff {staff_no} is locked",
                               LOCKED.format(minutes=minutes),
                               int((staff.locked_until - now).total_seconds()) + 1)
        good = (staff is not None and not staff.disabled and bool(PIN_PATTERN.fullmatch(pin))
                and verify_pin(pin, staff.pin_hash))
        if staff is None or not good:
            if staff is not None:
                self._count_failure(staff_no, now)
            raise self._refuse(address, "unauthorized", f"wrong PIN or unknown staff "
                                                        f"{staff_no!r}", WRONG_LOGIN)
        self.store.transact("login ok", lambda tx: rows.staff_passed(tx, staff_no))
        return staff

    def _count_failure(self, staff_no: str, now: datetime) -> None:
        a = self.settings.auth
        until = self.store.transact("login failed", lambda tx: rows.staff_failed(
            tx, staff_no, a.max_attempts, a.lockout_s, now))
        if until is not None:
            log.warning("staff %s locked until %s after %d wrong PINs", staff_no, until,
                        a.max_attempts)

    def open_session(self, staff: rows.StaffRow, window: int | None) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        until = now + timedelta(hours=self.settings.auth.session_hours)
        self.store.transact("session", lambda tx: rows.session_add(
            tx, digest(token), staff.staff_no, window, now, until))
        return token

    def session(self, token: str, address: str) -> Session:
        self.limiter.check(address)
        now = self.clock()
        found = self.store.query(lambda tx: rows.session_get(tx, digest(token), now)) \
            if token else None
        if found is None:
            raise self._refuse(address, "unauthorized", "no such session (or expired)", EXPIRED)
        return Session(found.staff_no, found.role, found.window)

    def kiosk_or_session(self, token: str, address: str) -> str | Session:
        """An enrolled kiosk's name or a staff session for one bearer token. Only a token that
        is neither is refused (and counted once): a window page reading what kiosks may read
        must not run into the rate limit for not being a kiosk."""
        self.limiter.check(address)
        if token:
            name = self.store.query(lambda tx: rows.kiosk_of(tx, digest(token)))
            if name is not None:
                return name
            now = self.clock()
            found = self.store.query(lambda tx: rows.session_get(tx, digest(token), now))
            if found is not None:
                return Session(found.staff_no, found.role, found.window)
        raise self._refuse(address, "unauthorized", "neither an enrolled kiosk's token nor a "
                           "staff session", EXPIRED)

    def close_session(self, token: str) -> None:
        self.store.transact("logout", lambda tx: rows.session_delete(tx, digest(token)))

    def staff(self) -> list[rows.StaffRow]:
        return self.store.query(rows.staff_list)

    def kiosks(self) -> list[tuple[str, str, bool, str | None]]:
        return self.store.query(rows.kiosks)


def secret_b64(secret: bytes) -> str:
    return base64.b64encode(secret).decode("ascii")
