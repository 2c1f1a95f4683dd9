"""Where rendered speech goes. The announcer calls `play(pcm)` on its own thread and expects it
to return when the sound has finished, so announcements never overlap.

`screens/audio.py` has the real one (pygame.mixer: this layer never imports pygame). Here:
`WavFilePlayer` writes each sound to a WAV file (`kiosk display --audio-out DIR`, tests without a
sound card) and `SilentPlayer` keeps time without a sound card.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from kiosk.speech.pcm import Pcm


class Player(Protocol):
    def play(self, pcm: Pcm) -> None:
        """Play it to the end (blocking the calling thread)."""

    def close(self) -> None: ...


class WavFilePlayer:
    """Each sound to `folder/NNNN.wav`; `realtime` also waits as long as the sound lasts (so the
    announcer's one-at-a-time timing is the real one)."""

    def __init__(self, folder: Path, realtime: bool = False,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.folder = folder
        self.realtime = realtime
        self.sleep = sleep
        self.played: list[tuple[float, Path]] = []
        self._lock = threading.Lock()

    def play(self, pcm: Pcm) -> None:
        with self._lock:
            path = self.folder / f"{len(self.played) + 1:04d}.wav"
            self.played.append((time.monotonic(), path))
        pcm.write_wav(path)
        if self.realtime:
            self.sleep(pcm.seconds)

    def close(self) -> None:
        pass


class SilentPlayer:
    """No sound card: keep the time a sound would take (the queue behaves as with a speaker)."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self.sleep = sleep

    def play(self, pcm: Pcm) -> None:
        self.sleep(pcm.seconds)

    def close(self) -> None:
        pass
