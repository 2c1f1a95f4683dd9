"""The real driver against the simulated SAM reader on a real pty: every card type, the
once-only read, every fault the issue lists, a cable pull, a TCP line and the CLI path."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from devices.errors import ReaderError
from devices.id_reader.events import CardRead, CardReadFailed, CardRemoved
from devices.id_reader.reader import IdReader
from devices.id_reader.record import CardType
from devices.sim.idcards import encode_card
from devices.status import DeviceState, StatusUpdate
from tests.integration.idreader_harness import Rig, rig


def read(r: Rig) -> CardRead:
    return r.next(CardRead)


# label → (type, name, number, valid_to) as the sample cards were written
EXPECTED = {
    "resident-elder": (CardType.RESIDENT, "王测试", "11010519491231002X", None),
    "resident": (CardType.RESIDENT, "李样例", "440304198001011239", date(2040, 3, 15)),
    "hmt-permit": (CardType.HMT_PERMIT, "陈示例", "810000199002150021", date(2024, 1, 1)),
    "foreign-2017": (CardType.FOREIGN_2017, "测亚历", "USA110000000001", date(2027, 6, 1)),
    "foreign-2023": (CardType.FOREIGN_2023, "玛样例", "911240200001010002", date(2033, 1, 1)),
}


def test_every_card_type_over_a_pty(tmp_path: Path) -> None:
    with rig(tmp_path) as r:
        assert r.reader.status().state is DeviceState.ONLINE
        assert r.reader.status().sam_id == "05.01-20101010-000012345-123456789"
        for label, (ctype, name, number, valid_to) in EXPECTED.items():
            r.sim.place(label)
            rec = read(r).record
            assert (rec.card_type, rec.name, rec.id_number, rec.valid_to) == (
                ctype, name, number, valid_to)
            assert rec.id_number_valid
            assert rec.photo_raw.startswith(bytes.fromhex("57 4C 66 00")) and len(
                rec.photo_raw) == 1024
            r.sim.remove()
            r.next(CardRemoved)


def test_appended_address_and_bad_check_digit(tmp_path: Path) -> None:
    with rig(tmp_path) as r:
        r.sim.place("resident")
        assert read(r).record.appended_address == "广东省深圳市南山区示例路 9 号"
        r.sim.place("resident-bad-check")
        rec = read(r).record
        assert rec.appended_address == "" and not rec.id_number_valid


def test_card_left_on_reader_is_read_once_and_again_when_presented_again(
        tmp_path: Path) -> None:
    with rig(tmp_path) as r:
        r.sim.place("resident-elder")
        read(r)
        later = r.quiet(0.3)  # ≈15 polls
        assert not [e for e in later if isinstance(e, (CardRead, CardRemoved))]
        r.sim.remove()
        r.next(CardRemoved)
        r.sim.place("resident-elder")
        assert read(r).record.name == "王测试"


def test_reader_that_re_reports_a_card_left_on_it(tmp_path: Path) -> None:
    with rig(tmp_path, rereport=True) as r:
        r.sim.place("resident")
        read(r)
        later = r.quiet(0.3)
        assert not [e for e in later if isinstance(e, (CardRead, CardRemoved))]
        assert r.sim.commands_seen > 20  # it did keep polling (and reading) meanwhile
        r.sim.remove()
        r.next(CardRemoved)
        r.sim.place("resident")
        read(r)


def test_same_card_presented_again_between_two_polls_is_a_new_read(tmp_path: Path) -> None:
    """Lifted and put back between two polls, so the host never saw it gone. (Within the very
    poll after its read it would be taken for a re-report: harmless, that card was just read.)
    """
    with rig(tmp_path, poll_interval_s=0.2) as r:
        r.sim.place("resident-elder")
        read(r)
        r.quiet(0.3)  # one poll: find 80, select 90 (still there)
        r.sim.place("resident-elder")
        read(r)


def test_a_failed_read_of_a_card_presented_again_is_retried(tmp_path: Path) -> None:
    with rig(tmp_path, poll_interval_s=0.2) as r:
        r.sim.place("resident-elder")
        read(r)
        r.quiet(0.3)
        r.sim.inject("read-fail")
        r.sim.place("resident-elder")
        r.next(CardReadFailed)
        read(r)


def test_fingerprint_read_30_10(tmp_path: Path) -> None:
    card = encode_card({"label": "fp", "name": "指纹测", "sex": "1", "nation": "01",
                        "birth": "19700101", "id_number": "11010519491231002X",
                        "valid_from": "20100101", "valid_to": "长期", "fingerprint_len": 512})
    with rig(tmp_path, cards=[card], read_fingerprint=True) as r:
        r.sim.place("fp")
        rec = read(r).record
        assert rec.name == "指纹测" and len(rec.fingerprint_raw) == 512


@pytest.mark.parametrize(("fault", "reason"), [
    ("select-fail", "SELECT_FAILED"),
    ("read-fail", "READ_FAILED"),
    ("bad-checksum", "time-out"),
    ("truncated", "time-out"),
])
def test_failed_read_is_reported_then_retried(tmp_path: Path, fault: str, reason: str) -> None:
    with rig(tmp_path) as r:
        r.sim.inject(fault)
        r.sim.place("resident")
        assert reason in r.next(CardReadFailed).reason
        assert read(r).record.id_number == "440304198001011239"
        assert r.reader.status().state is DeviceState.ONLINE


@pytest.mark.parametrize("fault", ["split", "garbage"])
def test_split_reply_and_garbage_before_a_frame_are_absorbed(tmp_path: Path,
                                                            fault: str) -> None:
    with rig(tmp_path) as r:
        r.sim.inject(fault)
        r.sim.place("foreign-2023")
        assert read(r).record.english_name.startswith("SAMPLEPERSON-LONGNAME")
        assert not [e for e in r.quiet(0.05) if isinstance(e, CardReadFailed)]


def test_garbage_and_split_on_every_command(tmp_path: Path) -> None:
    with rig(tmp_path) as r:
        r.sim.inject("garbage", "any")
        r.sim.place("hmt-permit")
        assert read(r).record.pass_number == "H12345678"


def test_no_card_fault(tmp_path: Path) -> None:
    with rig(tmp_path) as r:
        r.sim.inject("no-card")
        r.sim.place("resident")
        assert not [e for e in r.quiet(0.3) if isinstance(e, CardRead)]
        r.sim.inject("clear")
        read(r)


def test_reply_after_the_hosts_time_out_is_not_taken_for_the_next_reply(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="devices.id_reader")
    with rig(tmp_path) as r:
        r.sim.inject("late", "read", 1.0)  # read time-out is 0.8 s
        r.sim.place("resident")
        assert "time-out" in r.next(CardReadFailed).reason
        # The late reply lands while the host waits for a find reply: discarded as stale,
        # no phantom card, the reader stays usable. The reader already reported the card,
        # so the citizen presents it again.
        assert not [e for e in r.quiet(0.5) if isinstance(e, CardRead)]
        r.sim.remove()
        r.sim.place("resident")
        assert read(r).record.name == "李样例"
        assert r.reader.status().state is DeviceState.ONLINE
    assert "discarded a stale reply (SW3=0x90 SUCCESS" in caplog.text


def test_late_find_reply(tmp_path: Path) -> None:
    with rig(tmp_path) as r:
        r.sim.inject("late", "find", 0.6)  # find time-out is 0.5 s
        r.sim.place("resident-elder")
        assert read(r).record.name == "王测试"


def test_sam_failure_is_hw_error_and_recovers(tmp_path: Path) -> None:
    with rig(tmp_path) as r:
        r.sim.inject("sam-fail")
        event = r.status(DeviceState.HW_ERROR)
        assert "SAM_SELF_TEST_FAILED" in event.detail
        r.sim.inject("clear")
        r.status(DeviceState.ONLINE)
        r.sim.place("resident")
        read(r)


@pytest.mark.parametrize("transport", ["pty", "tcp"])
def test_cable_pull_and_replug_recover_without_restart(tmp_path: Path,
                                                      transport: str) -> None:
    with rig(tmp_path, transport) as r:
        r.line.unplug(0.4)
        lost = r.status(DeviceState.NO_DEVICE)
        assert r.reader.port in lost.detail
        r.status(DeviceState.ONLINE)
        r.sim.place("foreign-2017")
        assert read(r).record.english_name == "TEST SAMPLE, ALEX"


def test_card_on_reader_through_a_cable_pull_is_not_read_twice(tmp_path: Path) -> None:
    with rig(tmp_path) as r:
        r.sim.place("resident")
        read(r)
        r.line.unplug(0.3)
        r.status(DeviceState.NO_DEVICE)
        r.status(DeviceState.ONLINE)
        assert not [e for e in r.quiet(0.2) if isinstance(e, (CardRead, CardRemoved))]


def test_read_once_without_the_worker(tmp_path: Path) -> None:
    with rig(tmp_path, poll=False) as r:
        assert r.reader.read_once(0.1) is None
        r.sim.place("resident-elder")
        rec = r.reader.read_once(2.0)
        assert rec is not None and rec.id_number == "11010519491231002X"
        assert r.reader.read_once(0.1) is None  # the card stays: not read twice
        r.sim.remove()
        r.sim.place("resident-elder")
        again = r.reader.read_once(2.0)
        assert again is not None and again.name == "王测试"


def test_read_once_with_the_worker(tmp_path: Path) -> None:
    with rig(tmp_path) as r:
        r.sim.place("hmt-permit")
        rec = r.reader.read_once(2.0)
        assert rec is not None and rec.card_type is CardType.HMT_PERMIT


def test_missing_device_is_no_device_and_silent_port_is_offline(tmp_path: Path) -> None:
    missing = IdReader(str(tmp_path / "ttyNONE"))
    missing.open(poll=False)
    assert missing.status().state is DeviceState.NO_DEVICE
    assert "ttyNONE" in missing.status().detail
    missing.close()
    from tests.integration.idreader_harness import FAST
    loop = IdReader("loop://", timeouts=FAST)  # hears its own commands: no valid reply
    loop.open(poll=False)
    assert loop.status().state is DeviceState.OFFLINE
    assert "no valid reply to SAM status" in loop.status().detail
    loop.close()


def test_bad_port_url_names_the_port() -> None:
    with pytest.raises(ReaderError, match="nosuch://x"):
        IdReader("nosuch://x").open(poll=False)


def test_photo_decoder_plug_in_and_its_failure(tmp_path: Path) -> None:
    from tests.unit.test_idreader_photo import FakeDecoder

    class BrokenDecoder:  # a fake vendor library that crashes
        def decode(self, wlt: bytes) -> bytes:
            raise RuntimeError("vendor library crashed")

    with rig(tmp_path, photo_decoder=FakeDecoder()) as r:
        r.sim.place("resident")
        assert read(r).record.photo_image == b"BMWLf\x00"
    with rig(tmp_path, photo_decoder=BrokenDecoder()) as r:
        r.sim.place("resident")
        rec = read(r).record
        assert rec.photo_image == b"" and len(rec.photo_raw) == 1024


def test_simulator_answers_a_bad_host_frame_with_sw3_10(tmp_path: Path) -> None:
    import socket

    from devices.sim.idcards import sample_cards
    from devices.sim.idreader import SimReader
    from devices.sim.idreader_transport import TcpLine

    line = TcpLine(SimReader(sample_cards()))
    line.start()
    assert line.ready.wait(2)
    try:
        with socket.create_connection(("127.0.0.1", line.port), timeout=2) as sock:
            sock.sendall(bytes.fromhex("AA AA AA 96 69 00 03 20 01 23"))  # checksum 22 + 1
            assert sock.recv(64) == bytes.fromhex("AA AA AA 96 69 00 04 00 00 10 14")
            sock.sendall(bytes.fromhex("AA AA AA 96 69 00 03 20 01 22"))
            assert sock.recv(64) == bytes.fromhex("AA AA AA 96 69 00 04 00 00 80 84")
    finally:
        line.stop()


def test_status_change_is_a_device_status_update(tmp_path: Path) -> None:
    """The reader speaks the StatusUpdate every device speaks (no event type of its own)."""
    with rig(tmp_path) as r:
        online = [e for e in r.quiet(0.0) if isinstance(e, StatusUpdate)]
        assert [(e.device, e.state) for e in online] == [("id_reader", DeviceState.ONLINE)]
        assert online[0].detail.endswith("; SAM 05.01-20101010-000012345-123456789")
        r.sim.inject("sam-fail")
        update = r.status(DeviceState.HW_ERROR)
        assert (update.device, update.state) == ("id_reader", DeviceState.HW_ERROR)
        assert update.in_trouble and not online[0].in_trouble
