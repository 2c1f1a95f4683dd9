"""The speaker: `MixerPlayer` plays rendered speech through pygame.mixer (kiosk/speech stays
free of pygame). One sound at a time; `play` returns when it has finished, so the announcer
never cuts one call off with the next.

Without a sound card SDL can still run: SDL_AUDIODRIVER=dummy (discards) or =disk (writes the
mixed output to SDL_DISKAUDIOFILE, raw samples — what the audio tests and the chime latency
bench read).
"""

from __future__ import annotations

import logging
import threading
import time

import pygame

from kiosk.speech.pcm import Pcm, SpeechError

log = logging.getLogger(__name__)
BUFFER_SAMPLES = 512      # ≈ 23 ms at 22.05 kHz: the mixer's own delay before a first sample


class MixerPlayer:
    def __init__(self, rate: int, volume: float = 1.0, buffer: int = BUFFER_SAMPLES) -> None:
        self.rate = rate
        self.volume = volume
        self.buffer = buffer
        self._lock = threading.Lock()
        self._open = False
        self._channel: pygame.mixer.Channel | None = None

    def open(self) -> None:
        """Open the audio device (mono 16-bit at the pack's rate). Raises SpeechError naming
        SDL's reason when there is no usable device."""
        try:
            pygame.mixer.init(frequency=self.rate, size=-16, channels=1, buffer=self.buffer)
        except pygame.error as exc:
            raise SpeechError(f"no sound output (pygame.mixer, SDL audio driver "
                              f"{_driver()}): {exc}") from exc
        got = pygame.mixer.get_init()
        if got is None:
            raise SpeechError("no sound output: pygame.mixer did not start")
        self.rate = got[0]
        self._channel = pygame.mixer.Channel(0)
        self._open = True

    @property
    def latency_s(self) -> float:
        return self.buffer / self.rate

    def play(self, pcm: Pcm) -> None:
        if not self._open:
            self.open()
        data = pcm if pcm.rate == self.rate else _resampled(pcm, self.rate)
        with self._lock:
            sound = pygame.mixer.Sound(buffer=data.data.tobytes())
            sound.set_volume(self.volume)
            assert self._channel is not None
            self._channel.play(sound)
            # Sleep most of the length, then poll: get_busy() turns False when the mixer has
            # taken the last sample, and the device's buffer still has to drain.
            time.sleep(max(0.0, data.seconds - 0.05))
            while self._channel.get_busy():
                time.sleep(0.005)
            time.sleep(self.latency_s)

    def close(self) -> None:
        if self._open:
            pygame.mixer.quit()
            self._open = False


def _resampled(pcm: Pcm, rate: int) -> Pcm:
    from kiosk.speech.pcm import resample

    return resample(pcm, rate)


def _driver() -> str:
    import os

    return os.environ.get("SDL_AUDIODRIVER", "default")
