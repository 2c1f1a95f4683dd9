"""Mono 16-bit PCM in memory, and WAV files: what the voice pack, the renderer and the tests
share. Pure Python (`array`), no numpy and no pygame: the kiosk layer never imports pygame."""

from __future__ import annotations

import array
import io
import math
import wave
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.errors import KioskError


class SpeechError(KioskError):
    """A voice pack or a rendering went wrong; the message names the file or the clip."""


def samples(data: bytes = b"") -> array.array[int]:
    out = array.array("h")
    out.frombytes(data)
    return out


@dataclass
class Pcm:
    rate: int
    data: array.array[int] = field(default_factory=lambda: array.array("h"))

    @property
    def seconds(self) -> float:
        return len(self.data) / self.rate

    def peak(self) -> int:
        return max((abs(v) for v in self.data), default=0)

    def rms(self) -> float:
        if not self.data:
            return 0.0
        return math.sqrt(sum(v * v for v in self.data) / len(self.data))

    def to_wav_bytes(self) -> bytes:
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.rate)
            w.writeframes(self.data.tobytes())
        return buf.getvalue()

    def write_wav(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(self.to_wav_bytes())
        tmp.replace(path)


def read_wav(path: Path) -> Pcm:
    """A mono 16-bit WAV file; anything else is refused with the file and what it is."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except (OSError, wave.Error, EOFError) as exc:
        raise SpeechError(f"{path}: not a readable WAV file ({exc})") from exc
    if channels != 1 or width != 2:
        raise SpeechError(f"{path}: expected mono 16-bit PCM, got {channels} channel(s) of "
                          f"{8 * width}-bit samples")
    return Pcm(rate, samples(frames))


def silence(rate: int, ms: float) -> array.array[int]:
    return array.array("h", bytes(2 * round(rate * ms / 1000)))


def trim(pcm: Pcm, threshold: float = 0.02, margin_ms: float = 12.0) -> Pcm:
    """Cut the silence before and after the sound (below `threshold` of the peak), keeping a
    short margin so consonants are not clipped."""
    peak = pcm.peak()
    if not peak:
        return Pcm(pcm.rate)
    level = peak * threshold
    loud = [i for i, v in enumerate(pcm.data) if abs(v) > level]
    margin = round(pcm.rate * margin_ms / 1000)
    start = max(0, loud[0] - margin)
    end = min(len(pcm.data), loud[-1] + margin + 1)
    return Pcm(pcm.rate, pcm.data[start:end])


def normalise(pcm: Pcm, peak: float = 0.7) -> Pcm:
    """Scale to `peak` of full scale, so every clip of a pack is equally loud."""
    top = pcm.peak()
    if not top:
        return Pcm(pcm.rate, array.array("h", pcm.data))
    k = peak * 32767 / top
    return Pcm(pcm.rate, array.array("h", (round(v * k) for v in pcm.data)))


def resample(pcm: Pcm, rate: int) -> Pcm:
    """Linear resampling: a county's recordings at 44.1 or 48 kHz join a 22.05 kHz pack."""
    if pcm.rate == rate or not pcm.data:
        return Pcm(rate, array.array("h", pcm.data))
    n = max(1, round(len(pcm.data) * rate / pcm.rate))
    src, step = pcm.data, pcm.rate / rate
    last = len(src) - 1
    out = array.array("h")
    for i in range(n):
        x = i * step
        j = min(int(x), last)
        frac = x - j
        nxt = src[min(j + 1, last)]
        out.append(round(src[j] + (nxt - src[j]) * frac))
    return Pcm(rate, out)


def chime(rate: int, volume: float = 0.55) -> Pcm:
    """The two-note "ding-dong" before a call (E5 then C5, bell-like decay)."""
    out = array.array("h")
    for freq, dur in ((659.25, 0.42), (523.25, 0.62)):
        n = round(rate * dur)
        for i in range(n):
            t = i / rate
            env = math.exp(-4.2 * t / dur) * min(1.0, t / 0.006)
            wave_ = (math.sin(2 * math.pi * freq * t) + 0.35 * math.sin(4 * math.pi * freq * t)
                     + 0.12 * math.sin(6 * math.pi * freq * t)) / 1.47
            out.append(round(32767 * volume * env * wave_))
    return Pcm(rate, out)
