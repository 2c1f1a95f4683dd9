"""Build a voice pack once from the synthesiser: `kiosk voice build DIR`.

Each clip is synthesised alone, trimmed of its leading and trailing silence and normalised to
one loudness, so clips join without gaps or jumps; the chime is generated. The result is
shipped in assets/voice/ — a display never synthesises an announcement at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from kiosk.speech.pcm import Pcm, chime, normalise, resample, trim
from kiosk.speech.phrases import ANNOUNCEMENT_CLIPS, CHIME, LETTERS, PROMPTS
from kiosk.speech.synth import EspeakSynth
from kiosk.speech.voicepack import VoicePack, save_pack

# What the synthesiser is given for a clip, where the clip's own text reads badly alone.
SAY = {letter: letter for letter in LETTERS}


def build_pack(folder: Path, synth: EspeakSynth | None = None,
               clips: Iterable[str] = (*ANNOUNCEMENT_CLIPS, *PROMPTS),
               name: str = "cmn-espeak") -> VoicePack:
    synth = synth or EspeakSynth()
    rate = 0
    made: dict[str, Pcm] = {}
    for text in clips:
        if text == CHIME:
            continue
        pcm = normalise(trim(synth.synth(SAY.get(text, text))))
        rate = rate or pcm.rate
        made[text] = resample(pcm, rate)
    made[CHIME] = chime(rate)
    pack = VoicePack(name, rate, made, source=f"{synth.description}; chime generated")
    save_pack(pack, folder, file_names(made))
    return pack


def file_names(texts: Iterable[str]) -> dict[str, str]:
    """ASCII file names: pinyin for Chinese, letter-a for letters; unique."""
    from pypinyin import lazy_pinyin

    out: dict[str, str] = {}
    used: set[str] = set()
    for text in texts:
        if text in LETTERS:
            stem = f"letter-{text.lower()}"
        else:
            stem = "-".join(lazy_pinyin(text)) if re.search(r"[\u4e00-\u9fff]", text) else text
            stem = re.sub(r"[^a-z0-9-]+", "", stem.lower()) or "clip"
        base, n = stem, 2
        while stem in used:
            stem, n = f"{base}-{n}", n + 1
        used.add(stem)
        out[text] = f"{stem}.wav"
    return out
