"""Receipt printer URLs (one table of schemes, pyserial's socket:// too), the in-memory
connection (python-escpos's Dummy, for fast tests) and the one seam per connection class where
transport exceptions become PrinterOffline."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import datetime

import pytest

from devices.receipt_printer import status_bits as sb
from devices.receipt_printer.connection import (
    SCHEMES,
    MemoryConnection,
    connection_for_url,
)
from devices.receipt_printer.errors import PrinterOffline
from devices.receipt_printer.escpos_render import ProfileSpec
from devices.receipt_printer.printer import ReceiptPrinter
from devices.sim.escpos_decode import Decoder
from kiosk.receipts.ticket import TicketSlip
from kiosk.receipts.ticket_layout import ticket_receipt

SLIP = TicketSlip(hall_name="示例县青山镇便民服务中心", number="A007", service_name="社保医保",
                  people_ahead=2, wait_text="约 5–10 分钟", issued_at=datetime(2026, 11, 23, 9, 0),
                  ticket_id="T-A007")


@pytest.mark.parametrize("url", ["socket://10.0.0.5:9100", "tcp://10.0.0.5:9100",
                                 "socket://printer.local"])
def test_socket_urls_name_a_network_printer_as_pyserial_spells_them(url: str) -> None:
    conn = connection_for_url(url, 2.0)
    assert conn.readable and not conn.hold and conn.url == url


def test_every_scheme_is_in_one_table_and_a_wrong_one_lists_them() -> None:
    assert {"tcp", "socket", "serial", "usb", "file", "cups", "memory"} <= set(SCHEMES)
    with pytest.raises(ValueError) as err:
        connection_for_url("lpt://1", 1.0)
    assert "'lpt'" in str(err.value) and "socket://host:port" in str(err.value)
    with pytest.raises(ValueError, match="no host"):
        connection_for_url("socket://", 1.0)


def test_a_printer_in_memory_prints_what_was_meant() -> None:
    mem = MemoryConnection()
    doc = ticket_receipt(SLIP, 48)
    with ReceiptPrinter("memory://", ProfileSpec(), timeout_s=0.5, connection=mem) as printer:
        outcome = printer.print_document(doc)
    assert outcome.ok and outcome.bytes_sent == len(mem.output) > 0 and mem.jobs == 1
    (receipt,) = Decoder(cols=48).feed(bytes(mem.output))
    meant = doc.plain_text(48)
    assert receipt.text_lines()[:len(meant)] == meant


def test_a_printer_in_memory_can_be_out_of_paper() -> None:
    mem = MemoryConnection()
    mem.status[4] |= sb.N4_NEAR_END | sb.N4_END
    mem.status[2] |= sb.N2_PAPER_STOP | sb.N2_ERROR
    printer = ReceiptPrinter("memory://", ProfileSpec(), timeout_s=0.5, connection=mem)
    printer.open()
    outcome = printer.print_document(ticket_receipt(SLIP, 48))
    printer.close()
    assert not outcome.ok and outcome.detail == "REC_EMPTY" and mem.output == b""


def test_memory_url_needs_no_connection_object() -> None:
    with ReceiptPrinter("memory://kiosk", ProfileSpec(), timeout_s=0.5) as printer:
        assert printer.print_document(ticket_receipt(SLIP, 48)).ok


@pytest.fixture
def closing_peer() -> Iterator[int]:
    """A TCP server that accepts and closes at once (a printer that drops the link)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def test_a_broken_link_is_printer_offline_naming_the_url(closing_peer: int) -> None:
    url = f"socket://127.0.0.1:{closing_peer}"
    conn = connection_for_url(url, 1.0)
    conn.open()
    with pytest.raises(PrinterOffline) as err:
        for _ in range(200):           # the peer's RST arrives after a write or two
            conn.write(b"x" * 65536)
            conn.read(4, 0.01)
    conn.close()
    assert url in str(err.value)
    assert isinstance(err.value.__cause__, OSError) or "closed the connection" in str(err.value)


def test_writing_to_a_closed_connection_says_it_is_not_open() -> None:
    for url in ("memory://", "tcp://127.0.0.1:9", "serial:///dev/null", "cups://receipt"):
        conn = connection_for_url(url, 1.0)
        with pytest.raises(PrinterOffline, match="is not open"):
            conn.write(b"\x1b@")
