"""好差评's second channel: a slip carries a QR code of the rating page when [queue].rating_url
says where phones reach the hall service — keyed by the hall's secret exactly as the service
checks it (hall/web/pages.py), one rating per ticket; no address, no QR."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from devices.receipt_printer.document import QR, Text
from hall.web.ratelink import check_code
from kiosk.calls.ratelink import link_key, rating_url
from kiosk.config import Config
from kiosk.queue.secret import load_or_create_secret
from kiosk.receipts.ticket_layout import RATE_CAPTION, ticket_receipt
from tests.queue_support import Clock, FakePrinter, make_config, make_service

PHONES = "http://192.168.1.10:8700"


def _slip_of(cfg: Config) -> tuple[str, FakePrinter]:
    printer = FakePrinter()
    svc = make_service(cfg, Clock(datetime(2026, 11, 23, 9, 0)), printer)
    try:
        result = svc.take("C")
    finally:
        svc.close()
    assert result.ticket is not None
    return result.ticket.ticket_id, printer


def test_the_slip_carries_the_rating_link(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    cfg = dataclasses.replace(cfg, queue=dataclasses.replace(cfg.queue, rating_url=PHONES))
    ticket_id, printer = _slip_of(cfg)
    slip = printer.slips[-1]
    key = link_key(load_or_create_secret(cfg.path(cfg.queue.secret_file)))
    assert slip.rate_url == rating_url(PHONES, key, ticket_id)
    assert slip.rate_url.startswith(f"{PHONES}/rate/")
    code = slip.rate_url.split("?k=", 1)[1]
    assert check_code(key, ticket_id, code)                 # what the service checks
    assert not check_code(key, ticket_id + "x", code)      # one ticket, one link
    doc = ticket_receipt(slip, 32)
    assert [b.data for b in doc.blocks if isinstance(b, QR)] == [ticket_id, slip.rate_url]
    assert RATE_CAPTION in [b.text for b in doc.blocks if isinstance(b, Text)]


def test_no_address_no_rating_qr(tmp_path: Path) -> None:
    ticket_id, printer = _slip_of(make_config(tmp_path))
    slip = printer.slips[-1]
    assert slip.rate_url == ""
    assert [b.data for b in ticket_receipt(slip, 32).blocks if isinstance(b, QR)] == [ticket_id]
