"""The simulated reader's answers, byte for byte, against frames written out in the test; its
faults; and its card files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devices.errors import ReaderError
from devices.sim.idcards import load_cards, sample_cards
from devices.sim.idreader import SimReader
from devices.sim.idreader_transport import TcpLine, handle_control

H = bytes.fromhex
FIND = H("AA AA AA 96 69 00 03 20 01 22")
SELECT = H("AA AA AA 96 69 00 03 20 02 21")
READ = H("AA AA AA 96 69 00 03 30 01 32")
READ_FP = H("AA AA AA 96 69 00 03 30 10 23")
ADDRESS = H("AA AA AA 96 69 00 03 30 03 30")
SAM_STATUS = H("AA AA AA 96 69 00 03 11 FF ED")
RESET = H("AA AA AA 96 69 00 03 10 FF EC")

NO_CARD = H("AA AA AA 96 69 00 04 00 00 80 84")
FOUND = H("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
SELECTED = H("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C")
SELECT_FAILED = H("AA AA AA 96 69 00 04 00 00 81 85")
READ_FAILED = H("AA AA AA 96 69 00 04 00 00 41 45")
OK = H("AA AA AA 96 69 00 04 00 00 90 94")
SAM_BROKEN = H("AA AA AA 96 69 00 04 00 00 60 64")
NO_ADDRESS = H("AA AA AA 96 69 00 04 00 00 91 95")


def one(sim: SimReader, frame: bytes) -> bytes:
    chunks = sim.handle(frame)
    assert len(chunks) == 1 and chunks[0].delay_s == 0
    return chunks[0].data


@pytest.fixture
def sim() -> SimReader:
    return SimReader(sample_cards())


def test_sam_commands(sim: SimReader) -> None:
    assert one(sim, SAM_STATUS) == OK
    assert one(sim, RESET) == OK
    sam_id = one(sim, H("AA AA AA 96 69 00 03 12 FF EE"))
    assert sam_id[5:10] == H("00 14 00 00 90") and len(sam_id) == 27


def test_find_select_read_sequence(sim: SimReader) -> None:
    assert one(sim, FIND) == NO_CARD
    assert one(sim, SELECT) == SELECT_FAILED
    sim.place("resident-elder")
    assert one(sim, FIND) == FOUND
    assert one(sim, READ) == READ_FAILED  # not selected yet
    assert one(sim, FIND) == FOUND
    assert one(sim, SELECT) == SELECTED
    reply = one(sim, READ)
    assert len(reply) == 1295 and reply[5:14] == H("05 08 00 00 90 01 00 04 00")
    assert reply[14:20] == "王测试".encode("utf-16-le")
    assert reply[270:274] == H("57 4C 66 00")
    assert one(sim, ADDRESS) == NO_ADDRESS
    # Reported: find answers 80 while it stays; select still sees it.
    assert one(sim, FIND) == NO_CARD
    assert one(sim, SELECT) == SELECTED
    sim.remove()
    assert one(sim, SELECT) == SELECT_FAILED


def test_read_30_10_has_text_at_16(sim: SimReader) -> None:
    sim.place("resident")
    one(sim, FIND)
    one(sim, SELECT)
    reply = one(sim, READ_FP)
    assert len(reply) == 1297 and reply[5:16] == H("05 0A 00 00 90 01 00 04 00 00 00")
    assert reply[16:22] == "李样例".encode("utf-16-le")
    address = one(sim, ADDRESS)
    assert address[5:10] == H("00 4A 00 00 90") and len(address) == 81


def test_unknown_command_is_a_command_error(sim: SimReader) -> None:
    assert one(sim, H("AA AA AA 96 69 00 03 77 00 74")) == H("AA AA AA 96 69 00 04 00 00 21 25")


@pytest.mark.parametrize(("fault", "frame", "reply"), [
    ("select-fail", SELECT, SELECT_FAILED),
    ("read-fail", READ, READ_FAILED),
])
def test_failure_codes(sim: SimReader, fault: str, frame: bytes, reply: bytes) -> None:
    sim.place("resident")
    one(sim, FIND)
    if frame == READ:
        one(sim, SELECT)
    sim.inject(fault)
    assert one(sim, frame) == reply


def test_frame_faults(sim: SimReader) -> None:
    sim.inject("bad-checksum", "find")
    assert one(sim, FIND) == NO_CARD[:-1] + bytes([0x84 ^ 0xFF])
    sim.inject("truncated", "find")
    assert one(sim, FIND) == NO_CARD[:5]
    sim.inject("garbage", "find")
    garbled = one(sim, FIND)
    assert garbled.endswith(NO_CARD) and len(garbled) > len(NO_CARD)
    sim.inject("split", "find")
    chunks = sim.handle(FIND)
    assert b"".join(c.data for c in chunks) == NO_CARD and len(chunks) == 3
    sim.inject("late", "find", 0.7)
    [late] = sim.handle(FIND)
    assert (late.data, late.delay_s) == (NO_CARD, 0.7)
    assert one(sim, FIND) == NO_CARD  # one-shot faults are gone


def test_persistent_faults_until_clear(sim: SimReader) -> None:
    sim.place("resident")
    sim.inject("no-card")
    assert one(sim, FIND) == NO_CARD
    assert one(sim, FIND) == NO_CARD
    sim.inject("sam-fail")
    assert one(sim, SAM_STATUS) == SAM_BROKEN
    assert one(sim, FIND) == SAM_BROKEN
    sim.inject("clear")
    assert one(sim, SAM_STATUS) == OK
    assert one(sim, FIND) == FOUND


def test_bad_fault_names(sim: SimReader) -> None:
    with pytest.raises(ReaderError, match="unknown fault 'melt'"):
        sim.inject("melt")
    with pytest.raises(ReaderError, match="unknown op 'print'"):
        sim.inject("late", "print")


def test_control_lines(sim: SimReader) -> None:
    line = TcpLine(sim)  # not started: these commands never touch the line itself
    assert handle_control("place 4", sim, line) == "ok placed foreign-2017"
    assert handle_control("status", sim, line).startswith(
        "ok placed=foreign-2017 line=tcp://127.0.0.1:0")
    assert handle_control("fault late read 0.5", sim, line) == "ok fault late read 0.5"
    assert handle_control("dance", sim, line).startswith("error unknown command")
    assert handle_control("place", sim, line).startswith("error unknown command")


def test_card_file(tmp_path: Path) -> None:
    path = tmp_path / "cards.json"
    path.write_text(json.dumps({"cards": [
        {"label": "mine", "type": "hmt_permit", "name": "港测试", "sex": "1",
         "birth": "19900101", "id_number": "810000199002150021", "valid_from": "20200101",
         "valid_to": "20250101", "pass_number": "H00000001"}]}, ensure_ascii=False))
    [card] = load_cards(path)
    assert card.label == "mine" and card.text[248:250] == b"J\x00"
    assert card.text[220:238] == "H00000001".encode("utf-16-le")


@pytest.mark.parametrize(("cards", "message"), [
    ([{"type": "passport"}], r"cards\[0\].type: 'passport' is not one of"),
    ([{"name": "x", "shoe_size": 42}], r"cards\[0\]: unknown key\(s\) \['shoe_size'\]"),
    ([{}, {"name": "一二三四五六七八九十一二三四五六"}], r"cards\[1\].name: 16 characters do "
                                                    r"not fit in 15"),
    ({"cards": "none"}, "expected a list of card objects"),
])
def test_bad_card_files_name_the_card_and_key(tmp_path: Path, cards: object,
                                              message: str) -> None:
    path = tmp_path / "cards.json"
    path.write_text(json.dumps(cards, ensure_ascii=False))
    with pytest.raises(ReaderError, match=message):
        load_cards(path)
