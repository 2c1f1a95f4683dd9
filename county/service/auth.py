"""Dashboard accounts: county staff log in with a name and password (salted scrypt, as the
kiosk's maintenance PIN), and a signed session cookie keeps them in for SESSION_H hours.
Acknowledging an alert and asking for a screenshot name the operator who did it.

    kiosk county operator add NAME [--password-file FILE]    (prompted when no file)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time

from county.service.db import Database

SESSION_H = 12
COOKIE = "county_session"
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ValueError("a password has at least 8 characters")
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(("scrypt", str(_N), str(_R), str(_P), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()))


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        if kind != "scrypt" or int(n) > 2**20 or int(r) > 64 or int(p) > 16:
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), dklen=len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


def add_operator(db: Database, name: str, password: str) -> None:
    with db.tx() as conn:
        conn.execute("INSERT INTO operators (name, pw_hash) VALUES (%s, %s) ON CONFLICT (name) "
                     "DO UPDATE SET pw_hash = excluded.pw_hash", (name, hash_password(password)))


def login(db: Database, name: str, password: str) -> bool:
    row = db.one("SELECT pw_hash FROM operators WHERE name = %s", (name,))
    if row is None:
        check_password(password, hash_password("x" * 8))   # same time for an unknown name
        return False
    return check_password(password, str(row["pw_hash"]))


class Sessions:
    """Cookies `base64(name)|expiry|hmac`, keyed by a secret kept in the database (so a restart or a
    second instance keeps people logged in)."""

    def __init__(self, db: Database) -> None:
        with db.tx() as conn:
            conn.execute("INSERT INTO secrets VALUES ('session', %s) ON CONFLICT DO NOTHING",
                         (secrets.token_hex(32),))
            row = conn.execute("SELECT value FROM secrets WHERE name = 'session'").fetchone()
        assert row is not None
        self._key = bytes.fromhex(str(row["value"]))

    def _mac(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def issue(self, name: str, now: float | None = None) -> str:
        encoded = base64.urlsafe_b64encode(name.encode()).decode()
        body = f"{encoded}|{int((now or time.time()) + SESSION_H * 3600)}"
        return f"{body}|{self._mac(body)}"

    def who(self, cookie: str | None, now: float | None = None) -> str | None:
        if not cookie or cookie.count("|") != 2:
            return None
        encoded, expiry, mac = cookie.split("|")
        if not hmac.compare_digest(mac, self._mac(f"{encoded}|{expiry}")):
            return None
        if not expiry.isdigit() or int(expiry) < (now or time.time()):
            return None
        return base64.urlsafe_b64decode(encoded.encode()).decode()
