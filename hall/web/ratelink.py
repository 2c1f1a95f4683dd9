"""The rating link printed as a QR code on the slip: `/rate/{ticket_id}?k={code}`.

`code` is an HMAC of the ticket id under the hall's secret, so only whoever holds the slip can
rate that ticket and the service checks it without storing anything. Stdlib only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

CODE_CHARS = 16


def rating_code(secret: bytes, ticket_id: str) -> str:
    mac = hmac.new(secret, b"rate:" + ticket_id.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii")[:CODE_CHARS].lower()


def check_code(secret: bytes, ticket_id: str, code: str) -> bool:
    return hmac.compare_digest(rating_code(secret, ticket_id), (code or "").strip().lower())


def rating_url(base_url: str, secret: bytes, ticket_id: str) -> str:
    """'' when the hall has no address phones can reach (no QR is printed then)."""
    if not base_url:
        return ""
    return (f"{base_url.rstrip('/')}/rate/{quote(ticket_id, safe='')}"
            f"?k={rating_code(secret, ticket_id)}")
