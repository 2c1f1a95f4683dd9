"""What the queue needs from an ID card, and the salted hash that enforces per-person limits.

The ID number is used only to compute a keyed hash and then dropped: it is never stored,
logged or printed. The key is a per-installation secret (a file under var/, mode 0600, made on
first use), so the hashes in the queue file cannot be reversed by hashing all ~10^10 plausible
ID numbers without that file. The queue day is hashed in too: the same citizen gets a different
hash each day, so the queue file cannot follow one person across days.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from devices.id_reader.record import IdCardRecord
from kiosk.queue.secret import load_or_create_secret


@dataclass(frozen=True)
class CardInfo:
    """The three things the queue reads from a card. The reader builds it; `repr` hides the
    number and the birth date so that a log line or a traceback cannot leak them."""

    id_number: str = field(repr=False)
    birth_date: date = field(repr=False)
    masked_name: str = ""            # already masked by the reader, e.g. 王*明

    def __repr__(self) -> str:
        return f"CardInfo(masked_name={self.masked_name!r}, id_number=<hidden>)"

    @classmethod
    def from_record(cls, record: IdCardRecord) -> CardInfo:
        """From what the ID reader read: only the three fields the queue needs travel on."""
        return cls(id_number=record.id_number, birth_date=record.birth,
                   masked_name=record.masked_name)


def age_on(birth: date, today: date) -> int:
    """Whole years, counting a 29 February birthday on 1 March in ordinary years."""
    years = today.year - birth.year
    if (today.month, today.day) < (birth.month, birth.day):
        years -= 1
    return years


class PersonHasher:
    """HMAC-SHA256(secret, day | ID number). open() reads or creates the secret file."""

    def __init__(self, secret_path: str | Path) -> None:
        self.secret_path = Path(secret_path)
        self._key: bytes | None = None

    def open(self) -> None:
        if self._key is None:
            self._key = load_or_create_secret(self.secret_path)

    def close(self) -> None:
        self._key = None

    def hash(self, id_number: str, day: date) -> str:
        if self._key is None:
            self.open()
        assert self._key is not None
        normalised = id_number.strip().upper()
        msg = f"{day.isoformat()}|{normalised}".encode()
        # Base32 rather than hex: an ID number is digits (and X), so a digest made only of
        # letters A-Z and 2-7 can never contain it, not even by chance.
        digest = hmac.new(self._key, msg, hashlib.sha256).digest()
        return base64.b32encode(digest).decode("ascii").rstrip("=")
