"""Frame codec and SW3 table, against byte strings written out from the protocol doc."""

from __future__ import annotations

import pytest

from devices.id_reader import frames, sw
from devices.id_reader.frames import FrameError, StreamParser

H = bytes.fromhex

COMMANDS = [
    # (cmd, para, frame as the protocol doc prints it)
    (0x10, 0xFF, "AA AA AA 96 69 00 03 10 FF EC"),
    (0x11, 0xFF, "AA AA AA 96 69 00 03 11 FF ED"),
    (0x12, 0xFF, "AA AA AA 96 69 00 03 12 FF EE"),
    (0x20, 0x01, "AA AA AA 96 69 00 03 20 01 22"),
    (0x20, 0x02, "AA AA AA 96 69 00 03 20 02 21"),
    (0x30, 0x01, "AA AA AA 96 69 00 03 30 01 32"),
    (0x30, 0x10, "AA AA AA 96 69 00 03 30 10 23"),
    (0x30, 0x03, "AA AA AA 96 69 00 03 30 03 30"),
]


@pytest.mark.parametrize(("cmd", "para", "wire"), COMMANDS)
def test_build_command_matches_doc(cmd: int, para: int, wire: str) -> None:
    assert frames.build_command(cmd, para) == H(wire)


@pytest.mark.parametrize(("cmd", "para", "wire"), COMMANDS)
def test_parse_command_round_trip(cmd: int, para: int, wire: str) -> None:
    parsed = frames.parse_command(H(wire))
    assert (parsed.cmd, parsed.para, parsed.data) == (cmd, para, b"")


REPLIES = [
    # (frame, sw3, data) — the doc's replies and failure frames seen in the wild
    ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", 0x9F, "00 00 00 00"),
    ("AA AA AA 96 69 00 04 00 00 80 84", 0x80, ""),
    ("AA AA AA 96 69 00 04 00 00 81 85", 0x81, ""),
    ("AA AA AA 96 69 00 04 00 00 41 45", 0x41, ""),
    ("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C", 0x90, "00" * 8),
    ("AA AA AA 96 69 00 04 00 00 91 95", 0x91, ""),
]


@pytest.mark.parametrize(("wire", "sw3", "data"), REPLIES)
def test_parse_response(wire: str, sw3: int, data: str) -> None:
    r = frames.parse_response(H(wire))
    assert (r.sw1, r.sw2, r.sw3, r.data) == (0, 0, sw3, H(data))


@pytest.mark.parametrize(("wire", "sw3", "data"), REPLIES)
def test_build_response(wire: str, sw3: int, data: str) -> None:
    assert frames.build_response(sw3, H(data)) == H(wire)


def test_checksum_is_xor() -> None:
    assert frames.checksum(H("00 03 10 FF")) == 0xEC
    assert frames.checksum(b"") == 0
    assert frames.checksum(H("FF FF")) == 0


@pytest.mark.parametrize(("wire", "message"), [
    ("AA AA AA 96 69 00 03 10 FF ED", "byte 9: checksum 0xED, expected 0xEC"),
    ("AA AA AA 96 68 00 03 10 FF EC", "byte 0: expected preamble"),
    ("AA AA AA 96 69 00 02 10 12", "impossible length 2"),
    ("AA AA AA 96 69 FF FF 10 FF EC", "impossible length 65535"),
    ("AA AA AA 96 69 00 04 10 FF EC", "length field says 11 bytes in all, frame has 10"),
    ("AA AA AA 96 69 00", "shorter than its 7-byte header"),
])
def test_bad_frames_name_the_byte(wire: str, message: str) -> None:
    with pytest.raises(FrameError, match=message.replace("(", r"\(")):
        frames.parse_command(H(wire))


def test_build_rejects_impossible_length() -> None:
    with pytest.raises(FrameError):
        frames.build_frame(b"\x00")
    with pytest.raises(FrameError):
        frames.build_frame(bytes(3000))


def test_response_repr_hides_data() -> None:
    r = frames.Response(0, 0, 0x90, "王小明".encode("utf-16-le"))
    assert "王" not in repr(r) and "SUCCESS" in repr(r)


# --- the stream parser -------------------------------------------------------------------

FIND_OK = H("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
NO_CARD = H("AA AA AA 96 69 00 04 00 00 80 84")


def test_stream_parser_byte_by_byte() -> None:
    p = StreamParser()
    out: list[bytes] = []
    for b in FIND_OK + NO_CARD:
        out += p.feed(bytes([b]))
    assert out == [FIND_OK, NO_CARD]
    assert p.pending == 0


def test_stream_parser_resyncs_after_garbage() -> None:
    p = StreamParser()
    assert p.feed(H("00 FF AA AA 13 96 69") + FIND_OK + H("AA AA")) == [FIND_OK]
    assert p.dropped == 7
    # The trailing AA AA was kept as a possible preamble start: it completes this frame.
    assert p.feed(NO_CARD[2:]) == [NO_CARD]
    p.reset()
    assert p.feed(NO_CARD) == [NO_CARD]


def test_stream_parser_keeps_partial_preamble() -> None:
    p = StreamParser()
    assert p.feed(H("11 22 AA AA AA")) == []
    assert p.feed(NO_CARD[3:]) == [NO_CARD]


def test_bad_checksum_candidate_does_not_hide_a_real_frame() -> None:
    # A false preamble whose "length" swallows the real frame that follows.
    fake = H("AA AA AA 96 69 00 10 00 00")
    p = StreamParser()
    got = p.feed(fake + NO_CARD + bytes(16))
    assert got == [NO_CARD]
    assert p.rejected >= 1


def test_impossible_length_is_rejected_without_waiting() -> None:
    p = StreamParser()
    assert p.feed(H("AA AA AA 96 69 FF FF") + NO_CARD) == [NO_CARD]
    assert p.feed(H("AA AA AA 96 69 00 01") + NO_CARD) == [NO_CARD]


def test_largest_documented_frame_is_accepted() -> None:
    # 30 10 reply with a 1024-byte fingerprint: 2321 bytes in all.
    frame = frames.build_response(0x90, bytes(2321 - 11))
    assert len(frame) == 2321
    assert StreamParser().feed(frame) == [frame]


# --- SW3 ---------------------------------------------------------------------------------

SW3_TABLE = [
    (0x90, "SUCCESS", True), (0x91, "NO_CONTENT", False), (0x9F, "FIND_OK", True),
    (0x10, "HOST_CHECKSUM_ERROR", False), (0x11, "HOST_LENGTH_ERROR", False),
    (0x21, "COMMAND_ERROR", False), (0x23, "NOT_PERMITTED", False),
    (0x24, "UNRECOGNISED_ERROR", False), (0x31, "CARD_AUTH_SAM_FAILED", False),
    (0x32, "SAM_AUTH_CARD_FAILED", False), (0x33, "VERIFY_ERROR", False),
    (0x40, "UNKNOWN_CARD_TYPE", False), (0x41, "READ_FAILED", False),
    (0x47, "RANDOM_FAILED", False), (0x60, "SAM_SELF_TEST_FAILED", False),
    (0x66, "SAM_NOT_AUTHORISED", False), (0x80, "NO_CARD", False),
    (0x81, "SELECT_FAILED", False),
]


@pytest.mark.parametrize(("code", "name", "ok"), SW3_TABLE)
def test_every_sw3_code(code: int, name: str, ok: bool) -> None:
    named = sw.lookup(code)
    assert named is not None and named.name == name
    assert sw.is_success(code) is ok
    assert sw.describe(code).startswith(f"SW3=0x{code:02X} {name} (")


def test_sw3_table_is_complete() -> None:
    assert {c for c, _, _ in SW3_TABLE} == {int(s) for s in sw.Sw3}


def test_unknown_sw3() -> None:
    assert sw.lookup(0x55) is None
    assert sw.describe(0x55) == "SW3=0x55 (not a known code)"
    assert not sw.is_success(0x55)


def test_sam_failures_are_hardware_errors() -> None:
    assert {0x60, 0x66} == {int(s) for s in sw.SAM_FAILURES}


def test_sam_id_format() -> None:
    from devices.id_reader.reader import format_sam_id

    data = bytes.fromhex("05 00 01 00 92 B7 32 01 39 30 00 00 15 CD 5B 07")
    assert format_sam_id(data) == "05.01-20101010-000012345-123456789"
    assert format_sam_id(b"\x01\x02") == "0102"
