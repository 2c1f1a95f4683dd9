"""Enrolment: each hall and each kiosk gets its own key, bound to its name by a one-time code.

The county operator creates the hall or kiosk (`kiosk county enrol-hall NAME`, `kiosk county
enrol-kiosk NAME --hall HALL`) and reads the code out or hands it over on paper; the kiosk
(`kiosk fleet join URL --code CODE`) or the hall sends it with its public key within
CODE_DAYS. Only the code's sha256 is stored; a used or expired code is refused, and so is a
wrong one (the web layer rate-limits wrong codes).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from county.service.db import Database

CODE_DAYS = 7
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I: read out over the phone


class EnrolError(Exception):
    pass


@dataclass(frozen=True)
class Enrolment:
    id: str
    name: str
    hall: str
    code: str = ""


def _code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace(" ", "").encode()).hexdigest()


def new_hall(db: Database, name: str, region: str = "") -> Enrolment:
    code = _code()
    with db.tx() as conn:
        if conn.execute("SELECT 1 FROM halls WHERE name = %s", (name,)).fetchone():
            raise EnrolError(f"hall {name!r} already exists")
        row = conn.execute("INSERT INTO halls (id, name, region) VALUES "
                           "('H-' || nextval('hall_ids'), %s, %s) RETURNING id",
                           (name, region)).fetchone()
        assert row is not None
        _store_code(conn, code, "hall", row["id"])
    return Enrolment(row["id"], name, name, code)


def new_kiosk(db: Database, name: str, hall: str) -> Enrolment:
    code = _code()
    with db.tx() as conn:
        h = conn.execute("SELECT id, name FROM halls WHERE name = %s OR id = %s",
                         (hall, hall)).fetchone()
        if h is None:
            raise EnrolError(f"no hall {hall!r}; create it first: kiosk county enrol-hall NAME")
        if conn.execute("SELECT 1 FROM kiosks WHERE hall_id = %s AND name = %s",
                        (h["id"], name)).fetchone():
            raise EnrolError(f"hall {h['name']} already has a kiosk {name!r}")
        row = conn.execute("INSERT INTO kiosks (id, name, hall_id) VALUES "
                           "('K-' || nextval('kiosk_ids'), %s, %s) RETURNING id",
                           (name, h["id"])).fetchone()
        assert row is not None
        _store_code(conn, code, "kiosk", row["id"])
    return Enrolment(row["id"], name, h["name"], code)


def _store_code(conn: object, code: str, role: str, target: str) -> None:
    conn.execute("INSERT INTO enrol_codes VALUES (%s, %s, %s, %s, NULL)",  # type: ignore[attr-defined]
                 (_hash(code), role, target, datetime.now(UTC) + timedelta(days=CODE_DAYS)))


def new_code(db: Database, target: str) -> str:
    """A fresh code for an existing hall or kiosk (a replaced PC, a lost key): its next
    enrolment replaces the old key."""
    code = _code()
    role = "kiosk" if target.startswith("K-") else "hall"
    table = "kiosks" if role == "kiosk" else "halls"
    with db.tx() as conn:
        if not conn.execute(f"SELECT 1 FROM {table} WHERE id = %s", (target,)).fetchone():
            raise EnrolError(f"no {role} {target!r}")
        _store_code(conn, code, role, target)
    return code


def redeem(db: Database, code: str, public_key: str, role: str) -> Enrolment:
    try:
        raw = base64.b64decode(public_key, validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise EnrolError("public_key: expected a base64 Ed25519 public key (32 bytes)")
    with db.tx() as conn:
        row = conn.execute("SELECT role, target_id, expires_at, used_at FROM enrol_codes "
                           "WHERE code_hash = %s FOR UPDATE", (_hash(code),)).fetchone()
        if row is None or row["role"] != role:
            raise EnrolError("unknown enrolment code")
        if row["used_at"] is not None:
            raise EnrolError("this enrolment code was already used")
        if row["expires_at"] < datetime.now(UTC):
            raise EnrolError("this enrolment code has expired; ask for a new one")
        conn.execute("UPDATE enrol_codes SET used_at = now() WHERE code_hash = %s",
                     (_hash(code),))
        if role == "kiosk":
            got = conn.execute(
                "UPDATE kiosks k SET public_key = %s, enrolled_at = now() FROM halls h "
                "WHERE k.id = %s AND h.id = k.hall_id RETURNING k.id, k.name, h.name AS hall",
                (public_key, row["target_id"])).fetchone()
        else:
            got = conn.execute("UPDATE halls SET public_key = %s, enrolled_at = now() "
                               "WHERE id = %s RETURNING id, name, name AS hall",
                               (public_key, row["target_id"])).fetchone()
    assert got is not None
    return Enrolment(got["id"], got["name"], got["hall"])
