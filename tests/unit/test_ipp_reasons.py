"""The IPP codec against hand-built bytes (RFC 8010 encoding) and what printer-state-reasons
mean for a citizen: pure code, no CUPS needed."""

from __future__ import annotations

import struct

import pytest

from devices.document_printer import ipp
from devices.document_printer.cups import PrinterStatus
from devices.status import DeviceState, PaperState


def _attr(tag: int, name: str, value: bytes) -> bytes:
    return struct.pack(">BH", tag, len(name)) + name.encode() + struct.pack(">H", len(value)) \
        + value


def test_request_encoding_is_ipp_1_1() -> None:
    body = ipp.encode_request(ipp.GET_JOB_ATTRIBUTES, 7, "ipp://localhost/printers/q",
                              job_id=42, requested=("job-state", "job-state-reasons"))
    assert body[:8] == bytes([1, 1, 0, 9, 0, 0, 0, 7])
    assert body[8] == 0x01 and body[-1] == 0x03
    assert _attr(0x21, "job-id", struct.pack(">i", 42)) in body
    # the second requested keyword is an additional value: empty name
    assert _attr(0x44, "", b"job-state-reasons") in body


def test_response_decoding_merges_additional_values() -> None:
    data = (bytes([1, 1, 0, 0, 0, 0, 0, 1, 0x01])
            + _attr(0x47, "attributes-charset", b"utf-8")
            + bytes([0x04])
            + _attr(0x23, "printer-state", struct.pack(">i", 5))
            + _attr(0x44, "printer-state-reasons", b"media-empty-error")
            + _attr(0x44, "", b"toner-low-warning")
            + _attr(0x22, "printer-is-accepting-jobs", b"\x01")
            + _attr(0x41, "printer-state-message", "缺纸".encode())
            + bytes([0x03]))
    resp = ipp.decode_response(data)
    assert resp.ok and resp.first("printer-state") == 5
    assert resp.attributes["printer-state-reasons"] == ["media-empty-error", "toner-low-warning"]
    assert resp.first("printer-is-accepting-jobs") is True
    assert resp.first("printer-state-message") == "缺纸"


def test_truncated_response_is_an_error() -> None:
    with pytest.raises(ipp.IppError, match="too short"):
        ipp.decode_response(b"\x01\x01\x00")


@pytest.mark.parametrize(("state", "reasons", "ready", "message", "device", "paper"), [
    ("idle", (), True, "", DeviceState.ONLINE, PaperState.UNKNOWN),
    ("idle", ("toner-low-warning",), True, "打印机墨粉不多了，打印可能偏淡。",
     DeviceState.ONLINE, PaperState.UNKNOWN),
    ("stopped", ("media-empty-error",), False, "打印机缺纸了，请联系大厅工作人员加纸。",
     DeviceState.USER_ERROR, PaperState.OUT),
    ("stopped", ("media-jam-error", "toner-low-warning"), False,
     "打印机卡纸了，请联系大厅工作人员。", DeviceState.USER_ERROR, PaperState.JAMMED),
    ("stopped", (), False, "打印机暂停使用，请联系大厅工作人员。", DeviceState.OFFLINE,
     PaperState.UNKNOWN),
    ("absent", (), False, "打印机暂时无法使用，请联系大厅工作人员。", DeviceState.NO_DEVICE,
     PaperState.UNKNOWN),
])
def test_status_for_citizens(state: str, reasons: tuple[str, ...], ready: bool, message: str,
                             device: DeviceState, paper: PaperState) -> None:
    status = PrinterStatus("q", state, reasons)
    assert status.ready is ready
    assert status.citizen_message == message
    update = status.update()
    assert (update.device, update.state, update.paper) == ("document_printer", device, paper)
