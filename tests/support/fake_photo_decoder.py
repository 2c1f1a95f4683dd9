"""A photo decoder plug-in for tests, loaded by name through [id_reader].photo_decoder exactly
as a vendor's would be. It does not decode WLT (no open decoder exists): it returns a fixed
marker plus the input's length, so a test can see that the configured plug-in was used."""

from __future__ import annotations


class MarkerDecoder:
    def decode(self, wlt: bytes) -> bytes:
        return b"MARKER-IMAGE:" + str(len(wlt)).encode()


def factory() -> MarkerDecoder:
    return MarkerDecoder()


def broken() -> MarkerDecoder:
    """A vendor factory that fails at run time (not an import error)."""
    raise RuntimeError("licence file not found")
