"""A full read of every card type, with failures, through the real driver at DEBUG level,
logged both to pytest's capture (no scrub filter) and to a real log file via setup_logging:
no name, number or address appears anywhere."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.id_reader.events import CardRead, CardReadFailed, CardRemoved
from devices.sim.idcards import SAMPLE_CARDS
from kiosk.logsetup import setup_logging
from tests.integration.idreader_harness import rig

SECRETS = sorted({str(c[k]) for c in SAMPLE_CARDS
                  for k in ("name", "id_number", "address", "english_name", "birth")
                  if c.get(k)})


@pytest.fixture
def debug_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Iterator[Path]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    path = setup_logging(tmp_path / "logs", level="DEBUG", to_stderr=True)
    root.addHandler(caplog.handler)  # setup_logging replaced the root's handlers
    caplog.set_level(logging.DEBUG)
    yield path
    for handler in list(root.handlers):
        root.removeHandler(handler)
        if handler is not caplog.handler:
            handler.close()
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])


def test_full_reads_leave_no_personal_data_in_any_log(
        tmp_path: Path, debug_log: Path, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    with rig(tmp_path) as r:
        r.sim.inject("read-fail")
        r.sim.place("resident")
        r.next(CardReadFailed)
        got = [r.next(CardRead).record]
        for card in SAMPLE_CARDS[2:] + SAMPLE_CARDS[:1]:
            r.sim.remove()
            r.next(CardRemoved)
            r.sim.inject("garbage")
            r.sim.place(card["label"])
            got.append(r.next(CardRead).record)
        for record in got:  # the records themselves are printed and logged as a careless
            logging.getLogger("careless").debug("got %s / %r", record, record)  # caller would
            print(record, [record])
    assert len(got) == len(SAMPLE_CARDS)
    assert {rec.id_number for rec in got} == {c["id_number"] for c in SAMPLE_CARDS}
    file_text = debug_log.read_text(encoding="utf-8")
    out, err = capsys.readouterr()
    assert "card read on" in caplog.text and "card read on" in file_text  # logging worked
    assert "DEBUG" in file_text
    for secret in SECRETS:
        for where, text in (("caplog", caplog.text), ("log file", file_text),
                            ("stderr", err), ("stdout", out)):
            assert secret not in text, f"{where} leaks a card field"
