"""The rating link a slip's QR code carries: `/rate/{ticket_id}?k={code}` (好差评 on a phone).

`code` is an HMAC of the ticket id under a key derived from the hall's secret, so only whoever
holds the slip can rate that ticket, and the hall service checks it without storing anything.
The kiosk prints it (it has the hall's secret from `kiosk hall join`); the hall service
(hall/web/pages.py) checks it. Stdlib only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

CODE_CHARS = 16


def link_key(secret: bytes) -> bytes:
    """The key of the rating codes, derived from the hall's secret (so the key that hashes ID
    numbers is never used for anything else)."""
    return hmac.new(secret, b"rating-link", hashlib.sha256).digest()


def rating_code(key: bytes, ticket_id: str) -> str:
    mac = hmac.new(key, b"rate:" + ticket_id.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii")[:CODE_CHARS].lower()


def check_code(key: bytes, ticket_id: str, code: str) -> bool:
    return hmac.compare_digest(rating_code(key, ticket_id), (code or "").strip().lower())


def rating_url(base_url: str, key: bytes, ticket_id: str) -> str:
    """'' when the hall has no address phones can reach (no QR is printed then)."""
    if not base_url:
        return ""
    return (f"{base_url.rstrip('/')}/rate/{quote(ticket_id, safe='')}"
            f"?k={rating_code(key, ticket_id)}")
