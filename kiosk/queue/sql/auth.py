"""Staff, window sessions, enrolled kiosks and one-time enrolment codes: rows only.

What is stored: a staff PIN as a salted scrypt hash (kiosk.maintenance.pin), session and kiosk
tokens and enrolment codes as SHA-256 digests (a stolen database gives no working token), and
the failed-PIN count with its lockout. hall/auth.py holds the rules; this module the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.queue.sql.tickets import Conflict, NotFound
from kiosk.queue.sql.tx import Tx

ROLES = ("window", "manager")


@dataclass(frozen=True)
class StaffRow:
    staff_no: str
    name: str
    role: str
    pin_hash: str
    disabled: bool
    failures: int
    locked_until: datetime | None


@dataclass(frozen=True)
class SessionRow:
    staff_no: str
    role: str
    window: int | None
    expires_at: datetime


def staff_add(tx: Tx, staff_no: str, name: str, role: str, pin_hash: str, now: datetime) -> None:
    if role not in ROLES:
        raise ValueError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    if tx.value("SELECT staff_no FROM staff WHERE staff_no = ?", (staff_no,)) is not None:
        raise Conflict(f"staff {staff_no} already exists (use set-pin or disable)")
    tx.run("INSERT INTO staff (staff_no, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)",
           (staff_no, name, role, pin_hash, now.isoformat()))


def staff_get(tx: Tx, staff_no: str) -> StaffRow | None:
    row = tx.one("SELECT staff_no, name, role, pin_hash, disabled, failures, locked_until "
                 "FROM staff WHERE staff_no = ?", (staff_no,))
    if row is None:
        return None
    no, name, role, pin_hash, disabled, failures, locked = row
    return StaffRow(no, name, role, pin_hash, bool(disabled), int(failures),
                    datetime.fromisoformat(locked) if locked else None)


def staff_list(tx: Tx) -> list[StaffRow]:
    nos = [r[0] for r in tx.all("SELECT staff_no FROM staff ORDER BY staff_no")]
    return [s for s in (staff_get(tx, n) for n in nos) if s is not None]


def staff_update(tx: Tx, staff_no: str, *, pin_hash: str | None = None,
                 disabled: bool | None = None) -> None:
    if staff_get(tx, staff_no) is None:
        raise NotFound(f"no staff {staff_no!r}")
    if pin_hash is not None:
        tx.run("UPDATE staff SET pin_hash = ?, failures = 0, locked_until = NULL "
               "WHERE staff_no = ?", (pin_hash, staff_no))
    if disabled is not None:
        tx.run("UPDATE staff SET disabled = ? WHERE staff_no = ?", (int(disabled), staff_no))
        if disabled:
            tx.run("DELETE FROM sessions WHERE staff_no = ?", (staff_no,))


def staff_failed(tx: Tx, staff_no: str, max_attempts: int, lockout_s: int,
                 now: datetime) -> datetime | None:
    """Count a wrong PIN; the lockout's end when this one reached the limit."""
    failures = int(tx.value("UPDATE staff SET failures = failures + 1 WHERE staff_no = ? "
                            "RETURNING failures", (staff_no,)) or 0)
    if failures < max_attempts:
        return None
    until = now + timedelta(seconds=lockout_s)
    tx.run("UPDATE staff SET failures = 0, locked_until = ? WHERE staff_no = ?",
           (until.isoformat(), staff_no))
    return until


def staff_passed(tx: Tx, staff_no: str) -> None:
    tx.run("UPDATE staff SET failures = 0, locked_until = NULL WHERE staff_no = ?", (staff_no,))


def session_add(tx: Tx, token_hash: str, staff_no: str, window: int | None, now: datetime,
                expires: datetime) -> None:
    tx.run("INSERT INTO sessions (token_hash, staff_no, window_no, created_at, expires_at) "
           "VALUES (?, ?, ?, ?, ?)", (token_hash, staff_no, window, now.isoformat(),
                                      expires.isoformat()))


def session_get(tx: Tx, token_hash: str, now: datetime) -> SessionRow | None:
    row = tx.one("SELECT s.staff_no, t.role, s.window_no, s.expires_at, t.disabled "
                 "FROM sessions s JOIN staff t ON t.staff_no = s.staff_no "
                 "WHERE s.token_hash = ?", (token_hash,))
    if row is None:
        return None
    no, role, window, expires, disabled = row
    until = datetime.fromisoformat(expires)
    if disabled or until <= now:
        return None
    return SessionRow(no, role, window, until)


def session_delete(tx: Tx, token_hash: str) -> None:
    tx.run("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))


def code_add(tx: Tx, code_hash: str, name: str, expires: datetime) -> None:
    tx.run("INSERT INTO enrol_codes (code_hash, name, expires_at) VALUES (?, ?, ?)",
           (code_hash, name, expires.isoformat()))


def code_use(tx: Tx, code_hash: str, token_hash: str, now: datetime) -> str | None:
    """Spend a one-time code: the kiosk's name it was made for, now enrolled with the token;
    None for an unknown, used or expired code."""
    row = tx.one("SELECT name, expires_at, used_at FROM enrol_codes WHERE code_hash = ?"
                 "{for_update}", (code_hash,))
    if row is None or row[2] is not None or datetime.fromisoformat(row[1]) <= now:
        return None
    name = str(row[0])
    tx.run("UPDATE enrol_codes SET used_at = ? WHERE code_hash = ?", (now.isoformat(), code_hash))
    tx.run("INSERT INTO kiosks (name, token_hash, enrolled_at) VALUES (?, ?, ?) "
           "ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, "
           "enrolled_at = excluded.enrolled_at, disabled = 0", (name, token_hash, now.isoformat()))
    return name


def kiosk_of(tx: Tx, token_hash: str) -> str | None:
    row = tx.one("SELECT name, disabled FROM kiosks WHERE token_hash = ?", (token_hash,))
    return str(row[0]) if row and not row[1] else None


def kiosks(tx: Tx) -> list[tuple[str, str, bool, str | None]]:
    """(name, enrolled_at, disabled, last_seen) of every kiosk."""
    return [(str(n), str(e), bool(d), s) for n, e, d, s in
            tx.all("SELECT name, enrolled_at, disabled, last_seen FROM kiosks ORDER BY name")]


def kiosk_seen(tx: Tx, name: str, now: datetime) -> None:
    tx.run("UPDATE kiosks SET last_seen = ? WHERE name = ?", (now.isoformat(), name))
