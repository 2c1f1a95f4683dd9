"""The rating link printed as a QR code on the slip: kiosk/calls/ratelink.py (the kiosk prints
it, this service checks it)."""

from __future__ import annotations

from kiosk.calls.ratelink import CODE_CHARS, check_code, link_key, rating_code, rating_url

__all__ = ["CODE_CHARS", "check_code", "link_key", "rating_code", "rating_url"]
