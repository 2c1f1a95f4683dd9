"""A voice pack: a folder of short WAV clips and `voice.json` naming what each one says.

```json
{"format": 1, "name": "cmn-espeak", "sample_rate": 22050,
 "source": "libespeak-ng 1.52 cmn, built by `kiosk voice build`",
 "clips": {"chime": "chime.wav", "请": "qing.wav", "A": "letter-a.wav", "零": "ling.wav", …}}
```

The shipped pack (assets/voice/cmn-espeak) is made once from the synthesiser; a county may
replace it with clips a person recorded: same names, any mono 16-bit WAV (other sample rates are
converted on load). `kiosk voice check DIR` lists what an announcement would miss.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.speech.pcm import Pcm, SpeechError, read_wav, resample
from kiosk.speech.phrases import ANNOUNCEMENT_CLIPS

MANIFEST = "voice.json"
FORMAT = 1


@dataclass
class VoicePack:
    name: str
    rate: int
    clips: dict[str, Pcm] = field(default_factory=dict)
    source: str = ""
    folder: Path | None = None

    @property
    def names(self) -> list[str]:
        return sorted(self.clips)

    def clip(self, name: str) -> Pcm:
        try:
            return self.clips[name]
        except KeyError:
            where = f" ({self.folder})" if self.folder else ""
            raise SpeechError(f"voice pack {self.name}{where} has no clip {name!r}") from None

    def missing(self, required: Iterable[str] = ANNOUNCEMENT_CLIPS) -> list[str]:
        return [n for n in required if n not in self.clips]

    def manifest(self, files: dict[str, str]) -> dict[str, Any]:
        return {"format": FORMAT, "name": self.name, "sample_rate": self.rate,
                "source": self.source, "clips": files}


def load_pack(folder: Path, required: Iterable[str] = ANNOUNCEMENT_CLIPS) -> VoicePack:
    """Read and check a pack: every clip named must be a readable mono 16-bit WAV with sound,
    and every clip in `required` must be there. Errors name the folder and the clip."""
    manifest = _read_manifest(folder)
    rate = manifest.get("sample_rate")
    clips = manifest.get("clips")
    if not isinstance(rate, int) or not 8000 <= rate <= 48000:
        raise SpeechError(f"{folder / MANIFEST}: sample_rate must be an integer 8000..48000, "
                          f"got {rate!r}")
    if not isinstance(clips, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in clips.items()):
        raise SpeechError(f"{folder / MANIFEST}: clips must be a table of text → file name")
    pack = VoicePack(str(manifest.get("name", folder.name)), rate,
                     source=str(manifest.get("source", "")), folder=folder)
    for text, filename in clips.items():
        pcm = read_wav(folder / filename)
        if pcm.peak() == 0:
            raise SpeechError(f"{folder / filename}: clip {text!r} is silent")
        pack.clips[text] = resample(pcm, rate)
    missing = pack.missing(required)
    if missing:
        raise SpeechError(f"voice pack {folder} lacks {len(missing)} clip(s) an announcement "
                          f"needs: {' '.join(missing)}")
    return pack


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpeechError(f"{folder}: not a voice pack (no {MANIFEST})") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpeechError(f"{path}: unreadable ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        got = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise SpeechError(f"{path}: expected format {FORMAT}, got {got!r}")
    return data


def save_pack(pack: VoicePack, folder: Path, files: dict[str, str]) -> None:
    """Write every clip and the manifest (the manifest last, so a half-written pack is not a
    pack)."""
    folder.mkdir(parents=True, exist_ok=True)
    for text, filename in files.items():
        pack.clips[text].write_wav(folder / filename)
    tmp = folder / (MANIFEST + ".part")
    tmp.write_text(json.dumps(pack.manifest(files), ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    tmp.replace(folder / MANIFEST)
