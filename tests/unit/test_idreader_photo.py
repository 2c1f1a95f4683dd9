"""The optional photo decoder plug-in: off by default, loaded by name, its failures contained.
The plug-in used here is a fake decoder (this module's `FakeDecoder`), named as one: the real
ones are closed vendor libraries that cannot run here."""

from __future__ import annotations

import pytest

from devices.errors import ReaderError
from devices.id_reader.photo import PhotoDecoder, load_decoder, looks_like_wlt


class FakeDecoder:
    """A fake: returns a fixed 'image' so the test can see it was called."""

    def decode(self, wlt: bytes) -> bytes:
        return b"BM" + wlt[:4]


def make_fake() -> FakeDecoder:
    return FakeDecoder()


def make_nothing() -> object:
    return object()


def test_off_by_default() -> None:
    assert load_decoder("") is None


def test_loads_a_plug_in_by_name() -> None:
    decoder = load_decoder(f"{__name__}:make_fake")
    assert isinstance(decoder, PhotoDecoder)
    assert decoder.decode(b"WLf\x00rest") == b"BMWLf\x00"


@pytest.mark.parametrize(("spec", "message"), [
    ("no_colon", "expected 'package.module:factory'"),
    ("no.such.module:f", "cannot be loaded"),
    (f"{__name__}:missing", "cannot be loaded"),
    (f"{__name__}:make_nothing", "without decode"),
])
def test_bad_plug_ins_are_named(spec: str, message: str) -> None:
    with pytest.raises(ReaderError, match=message):
        load_decoder(spec)


def test_wlt_magic() -> None:
    assert looks_like_wlt(bytes.fromhex("57 4C 66 00 7E 00 32 00 00 FF") + bytes(1014))
    assert not looks_like_wlt(bytes(1024))


def test_importing_the_driver_does_no_io_and_pulls_in_neither_kiosk_nor_pyserial(
        repo: object) -> None:
    import subprocess
    import sys

    code = ("import sys, devices.id_reader, devices.sim.idreader_transport;"
            "bad = [m for m in sys.modules if m == 'serial' or m.split('.')[0] in "
            "('kiosk', 'screens', 'pygame')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(repo), check=True)
    assert out.stdout.strip() == "[]"
