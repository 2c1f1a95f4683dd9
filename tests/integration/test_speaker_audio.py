"""`kiosk speak` through pygame.mixer with no sound card: SDL's `disk` audio driver writes what
the mixer sends to the device into a file, which must hold the rendered announcement sample
for sample (the same bytes `kiosk speak --out` writes)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from kiosk.speech.pcm import read_wav, samples

REPO = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[speech]\nvoice_pack = "{REPO / "assets/voice/cmn-espeak"}"\n',
                   encoding="utf-8")
    return cfg


def test_speak_plays_the_announcement_through_the_mixer(
        tmp_path: Path, run_kiosk: Callable[..., CompletedProcess[str]]) -> None:
    cfg = _config(tmp_path)
    text = "请A012号到3号窗口办理"
    wav = tmp_path / "call.wav"
    made = run_kiosk("--config", str(cfg), "speak", text, "--repeat", "1", "--json",
                     "--out", str(wav))
    assert made.returncode == 0, made.stderr
    info = json.loads(made.stdout)
    assert info["clips"][:3] == ["chime", "请", "A"] and info["clips"][-1] == "办理"
    raw = tmp_path / "device.raw"
    played = run_kiosk("--config", str(cfg), "speak", text, "--repeat", "1",
                       env={"SDL_AUDIODRIVER": "disk", "SDL_DISKAUDIOFILE": str(raw)})
    assert played.returncode == 0, played.stderr
    expected = read_wav(wav).data
    device = samples(raw.read_bytes())
    first = next(i for i, v in enumerate(device) if v)
    lead = next(i for i, v in enumerate(expected) if v)
    got = device[first:first + len(expected) - lead]
    assert got.tolist() == expected[lead:].tolist()
    # The device got the whole sound and nothing else loud after it (played to the end once).
    tail = device[first + len(expected) - lead:]
    assert max((abs(v) for v in tail), default=0) == 0


def test_speak_without_a_usable_pack_says_which_file(
        tmp_path: Path, run_kiosk: Callable[..., CompletedProcess[str]]) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[speech]\nvoice_pack = "{tmp_path / "nothing"}"\n', encoding="utf-8")
    r = run_kiosk("--config", str(cfg), "speak", "请A001号到1号窗口办理", "--out",
                  str(tmp_path / "x.wav"))
    assert r.returncode == 3
    assert "nothing: not a voice pack (no voice.json)" in r.stderr
    assert not (tmp_path / "x.wav").exists()
