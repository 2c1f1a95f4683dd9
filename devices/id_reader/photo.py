"""Optional photo decoding. The card's photo is 1024 bytes of WLT; every known decoder is a
closed vendor library (WltRS.dll, libwltu.so …), so the kiosk ships none and decoding is off by
default. A site that has a licensed library wraps it in a plug-in named in kiosk.toml as
`package.module:factory`; the factory returns an object with `decode(wlt) -> image bytes`.
"""

from __future__ import annotations

import importlib
from typing import Protocol, runtime_checkable

from devices.errors import ReaderError

WLT_MAGIC = bytes.fromhex("57 4C 66 00")


@runtime_checkable
class PhotoDecoder(Protocol):
    def decode(self, wlt: bytes) -> bytes:
        """WLT bytes → an image file's bytes (BMP or PNG) of 102×126 pixels."""
        ...


def load_decoder(spec: str) -> PhotoDecoder | None:
    """The plug-in named by `spec` ("" = none). Import happens here, at run time, on purpose."""
    if not spec:
        return None
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ReaderError(f"photo decoder {spec!r}: expected 'package.module:factory'")
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ReaderError(f"photo decoder {spec!r} cannot be loaded: {exc}") from exc
    try:
        decoder = factory()
    except Exception as exc:   # a vendor's factory may raise anything: name it, do not crash
        raise ReaderError(f"photo decoder {spec!r}: its factory failed: "
                          f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(decoder, PhotoDecoder):
        raise ReaderError(f"photo decoder {spec!r}: factory returned an object without "
                          f"decode(wlt: bytes) -> bytes")
    return decoder


def looks_like_wlt(photo: bytes) -> bool:
    return len(photo) == 1024 and photo.startswith(WLT_MAGIC)
