"""Offline Mandarin synthesis: libespeak-ng 1.52 from the `espeakng-loader` wheel, via ctypes.

Why this library and not Debian's espeak-ng: Debian 12's 1.51 `cmn` voice reads Hanzi as
English-spelled pinyin (espeak-ng issue #1236); 1.52's `cmn` dictionary is right, and the wheel
needs no system package. Nothing is downloaded at run time. The library keeps global state and
is not thread-safe, so every call holds one lock. Loaded on first use, never at import.

Used to build a voice pack once (kiosk/speech/build.py) and, at run time, only for text no
clip covers (`kiosk speak` with free text, a guide read aloud).
"""

from __future__ import annotations

import array
import ctypes
import threading
from typing import Any

from kiosk.speech.pcm import Pcm, SpeechError

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_RATE = 1          # espeakRATE: words per minute
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.c_void_p)

_lock = threading.Lock()
_state: dict[str, Any] = {}


class EspeakSynth:
    """`synth(text) -> Pcm` in the given voice (default `cmn`, Mandarin)."""

    def __init__(self, voice: str = "cmn", words_per_minute: int = 175) -> None:
        self.voice = voice
        self.words_per_minute = words_per_minute

    @property
    def description(self) -> str:
        return f"libespeak-ng (espeakng-loader) voice {self.voice}, {self.words_per_minute} wpm"

    def synth(self, text: str) -> Pcm:
        with _lock:
            lib, rate = _library()
            chunks: array.array[int] = array.array("h")

            def collect(wav: Any, n: int, _events: Any) -> int:
                if n > 0 and wav:
                    chunks.extend(ctypes.cast(wav, ctypes.POINTER(ctypes.c_short * n)).contents)
                return 0

            callback = _CALLBACK(collect)      # kept alive until synthesis has finished
            lib.espeak_SetSynthCallback(callback)
            if lib.espeak_SetVoiceByName(self.voice.encode()) != 0:
                raise SpeechError(f"espeak-ng has no voice {self.voice!r}")
            lib.espeak_SetParameter(_RATE, self.words_per_minute, 0)
            raw = text.encode("utf-8")
            err = lib.espeak_Synth(ctypes.c_char_p(raw), len(raw) + 1, 0, _POS_CHARACTER, 0,
                                   _CHARS_UTF8, None, None)
            lib.espeak_Synchronize()
            if err != 0:
                raise SpeechError(f"espeak-ng could not say {text!r} (error {err})")
            return Pcm(rate, chunks)


def _library() -> tuple[Any, int]:
    if "lib" not in _state:
        try:
            import espeakng_loader

            lib = ctypes.CDLL(espeakng_loader.get_library_path())
            data = espeakng_loader.get_data_path()
        except (ImportError, OSError, RuntimeError) as exc:
            raise SpeechError(f"the speech synthesiser (espeakng-loader) is not usable: {exc}"
                              ) from exc
        lib.espeak_Initialize.restype = ctypes.c_int
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode(), 0)
        if rate <= 0:
            raise SpeechError(f"espeak-ng did not start (data folder {data})")
        _state["lib"], _state["rate"] = lib, rate
    return _state["lib"], int(_state["rate"])
