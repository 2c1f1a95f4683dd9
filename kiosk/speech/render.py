"""Steps → one PCM buffer: clips from the pack joined with short gaps, pauses as silence, text
no clip covers from the synthesiser (if one is given). The rendering keeps where each clip
starts and ends, so a test can check the sequence without listening."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kiosk.config import Config
from kiosk.speech.pcm import Pcm, SpeechError, normalise, resample, silence, trim
from kiosk.speech.phrases import (
    Call,
    Pause,
    Step,
    Synth,
    announcement_steps,
    text_steps,
)
from kiosk.speech.voicepack import VoicePack

GAP_MS = 20          # between two clips of one phrase


class Synthesiser(Protocol):
    def synth(self, text: str) -> Pcm: ...


@dataclass(frozen=True)
class Part:
    name: str        # the clip's text, or "synth:…" for synthesised text
    start: int       # sample offsets in the rendering
    end: int


@dataclass
class Rendering:
    pcm: Pcm
    parts: list[Part] = field(default_factory=list)
    text: str = ""

    @property
    def sequence(self) -> list[str]:
        return [p.name for p in self.parts]

    @property
    def seconds(self) -> float:
        return self.pcm.seconds


class Renderer:
    def __init__(self, pack: VoicePack, synth: Synthesiser | None = None,
                 gap_ms: int = GAP_MS) -> None:
        self.pack = pack
        self.synth = synth
        self.gap_ms = gap_ms

    @property
    def rate(self) -> int:
        return self.pack.rate

    def announcement(self, call: Call, repeat: int = 2) -> Rendering:
        out = self.render(announcement_steps(call, repeat))
        out.text = call.text
        return out

    def text(self, text: str) -> Rendering:
        """Any text: clips where the pack has them, the synthesiser for the rest."""
        steps = text_steps(text, self.pack.clips)
        out = self.render(steps)
        out.text = text
        return out

    def render(self, steps: Sequence[Step]) -> Rendering:
        rate = self.pack.rate
        pcm = Pcm(rate)
        parts: list[Part] = []
        previous_was_clip = False
        for step in steps:
            if isinstance(step, Pause):
                pcm.data.extend(silence(rate, step.ms))
                previous_was_clip = False
                continue
            clip, name = self._sound(step)
            if previous_was_clip:
                pcm.data.extend(silence(rate, self.gap_ms))
            start = len(pcm.data)
            pcm.data.extend(clip.data)
            parts.append(Part(name, start, len(pcm.data)))
            previous_was_clip = True
        return Rendering(pcm, parts)

    def _sound(self, step: str | Synth) -> tuple[Pcm, str]:
        if isinstance(step, str):
            return self.pack.clip(step), step
        if self.synth is None:
            raise SpeechError(f"the voice pack {self.pack.name} has no clip for {step.text!r} "
                              "and no synthesiser is available")
        pcm = normalise(trim(self.synth.synth(step.text)))
        return resample(pcm, self.pack.rate), f"synth:{step.text}"


def open_renderer(cfg: Config) -> Renderer:
    """The configured voice pack (read and checked now) and, if allowed, the synthesiser for
    text no clip covers."""
    from kiosk.speech.synth import EspeakSynth
    from kiosk.speech.voicepack import load_pack

    pack = load_pack(cfg.path(cfg.speech.voice_pack))
    return Renderer(pack, EspeakSynth() if cfg.speech.synthesiser else None)
