"""The speech path without a sound card: text → clips → one PCM buffer → WAV, checked by what
is in it (not silent, a plausible length, the expected clips in order, sample for sample)."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest

from kiosk.speech.build import build_pack, file_names
from kiosk.speech.pcm import Pcm, SpeechError, chime, read_wav, resample, samples, trim
from kiosk.speech.phrases import (
    ANNOUNCEMENT_CLIPS,
    CHIME,
    PROMPTS,
    Call,
    Pause,
    Synth,
    announcement_steps,
    call_steps,
    number_words,
    parse_call,
    text_steps,
    ticket_words,
)
from kiosk.speech.render import Renderer
from kiosk.speech.synth import EspeakSynth
from kiosk.speech.voicepack import VoicePack, load_pack

REPO = Path(__file__).resolve().parents[2]
PACK = REPO / "assets" / "voice" / "cmn-espeak"


@pytest.fixture(scope="module")
def pack() -> VoicePack:
    return load_pack(PACK)


def test_window_numbers_are_read_as_numbers() -> None:
    assert number_words(3) == ["三"]
    assert number_words(10) == ["十"]
    assert number_words(12) == ["十", "二"]
    assert number_words(20) == ["二", "十"]
    assert number_words(35) == ["三", "十", "五"]
    assert number_words(100) == ["一", "百"]
    assert number_words(105) == ["一", "百", "零", "五"]
    assert number_words(110) == ["一", "百", "一", "十"]
    with pytest.raises(ValueError, match=r"0\.\.999"):
        number_words(1000)


def test_ticket_numbers_are_letters_then_digits_one_by_one() -> None:
    assert ticket_words("A012") == ["A", "零", "一", "二"]
    assert ticket_words("ya003") == ["Y", "A", "零", "零", "三"]
    with pytest.raises(ValueError, match="not a ticket number"):
        ticket_words("012")


def test_a_call_and_a_recall() -> None:
    steps = [s for s in call_steps(Call("A012", 12)) if not isinstance(s, Pause)]
    assert steps == ["请", "A", "零", "一", "二", "号", "到", "十", "二", "号", "窗口", "办理"]
    recall = [s for s in call_steps(Call("A012", 3, recall=True)) if not isinstance(s, Pause)]
    assert recall[recall.index("号") + 1] == "再次"
    assert Call("A012", 3, recall=True).text == "请A012号再次到3号窗口办理"
    full = [s for s in announcement_steps(Call("B001", 2), repeat=3) if isinstance(s, str)]
    assert full[0] == CHIME and full.count(CHIME) == 1
    assert full.count("办理") == 3


def test_announcement_text_is_understood() -> None:
    assert parse_call("请A012号到3号窗口办理") == Call("A012", 3)
    assert parse_call("请 a012 号再次到 12 号窗口办理。") == Call("A012", 12, recall=True)
    assert parse_call("请到3号窗口") is None
    assert parse_call("您好") is None


def test_other_text_uses_whole_clips_or_the_synthesiser() -> None:
    phrases = [*ANNOUNCEMENT_CLIPS, *PROMPTS]
    assert text_steps("请您对本次服务进行评价", phrases) == ["请您对本次服务进行评价"]
    assert text_steps("谢谢您的评价！满意", phrases) == ["谢谢您的评价", Pause(300), "满意"]
    # Half in clips and half synthesised sounds worse than one synthesised sentence.
    assert text_steps("请到二楼大厅办理", phrases) == [Synth("请到二楼大厅办理")]


def test_the_shipped_pack_has_every_clip_an_announcement_needs(pack: VoicePack) -> None:
    assert pack.missing() == []
    assert pack.missing(PROMPTS) == []
    for name, clip in pack.clips.items():
        assert clip.peak() > 3000, f"clip {name!r} is nearly silent"
        assert 0.1 < clip.seconds < 4.0, f"clip {name!r} lasts {clip.seconds:.2f} s"
    manifest = json.loads((PACK / "voice.json").read_text(encoding="utf-8"))
    assert "espeak" in manifest["source"]


def test_an_announcement_renders_to_a_wav_with_the_expected_clips(pack: VoicePack,
                                                                 tmp_path: Path) -> None:
    r = Renderer(pack).announcement(Call("A012", 3), repeat=2)
    out = tmp_path / "call.wav"
    r.pcm.write_wav(out)
    with wave.open(str(out), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, pack.rate)
        data = samples(w.readframes(w.getnframes()))
    assert data.tolist() == r.pcm.data.tolist()
    one = ["请", "A", "零", "一", "二", "号", "到", "三", "号", "窗口", "办理"]
    assert r.sequence == [CHIME, *one, *one]
    # Each part of the file is that clip, sample for sample, in that order.
    for part in r.parts:
        assert data[part.start:part.end].tolist() == pack.clip(part.name).data.tolist()
    starts = [p.start for p in r.parts]
    assert starts == sorted(starts)
    # Plausible: a chime, then the phrase twice at ~3-6 s each; far from silent.
    assert 6.0 < r.seconds < 15.0
    assert Pcm(pack.rate, data).rms() > 1000
    assert r.text == "请A012号到3号窗口办理"


def test_a_recording_of_another_rate_joins_the_pack(tmp_path: Path) -> None:
    folder = tmp_path / "county"
    folder.mkdir()
    clips = {}
    for i, name in enumerate(ANNOUNCEMENT_CLIPS):
        rate = 44100 if i % 2 else 22050
        pcm = chime(rate) if name == CHIME else resample(chime(22050), rate)
        pcm.write_wav(folder / f"c{i}.wav")
        clips[name] = f"c{i}.wav"
    (folder / "voice.json").write_text(json.dumps(
        {"format": 1, "name": "county", "sample_rate": 22050, "clips": clips}),
        encoding="utf-8")
    pack = load_pack(folder)
    assert {c.rate for c in pack.clips.values()} == {22050}
    assert abs(pack.clip("请").seconds - chime(22050).seconds) < 0.01


def _pack_dir(tmp_path: Path, clips: dict[str, str], **extra: object) -> Path:
    (tmp_path / "voice.json").write_text(json.dumps(
        {"format": 1, "name": "t", "sample_rate": 22050, "clips": clips, **extra}),
        encoding="utf-8")
    return tmp_path


def test_a_broken_pack_is_refused_naming_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match=r"no voice\.json"):
        load_pack(tmp_path)
    chime(22050).write_wav(tmp_path / "chime.wav")
    with pytest.raises(SpeechError, match=r"lacks \d+ clip\(s\).*请"):
        load_pack(_pack_dir(tmp_path, {"chime": "chime.wav"}))
    Pcm(22050, samples(bytes(2000))).write_wav(tmp_path / "quiet.wav")
    with pytest.raises(SpeechError, match=r"quiet\.wav: clip '请' is silent"):
        load_pack(_pack_dir(tmp_path, {"请": "quiet.wav"}))
    with pytest.raises(SpeechError, match=r"gone\.wav: not a readable WAV"):
        load_pack(_pack_dir(tmp_path, {"请": "gone.wav"}))
    with wave.open(str(tmp_path / "stereo.wav"), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(bytes(400))
    with pytest.raises(SpeechError, match="expected mono 16-bit PCM, got 2 channel"):
        read_wav(tmp_path / "stereo.wav")
    (tmp_path / "voice.json").write_text('{"format": 2}', encoding="utf-8")
    with pytest.raises(SpeechError, match="expected format 1, got 2"):
        load_pack(tmp_path)


def test_text_without_clips_needs_the_synthesiser(pack: VoicePack) -> None:
    with pytest.raises(SpeechError, match="no clip for '您好' and no synthesiser"):
        Renderer(pack).text("您好")
    r = Renderer(pack, EspeakSynth()).text("您好，请稍候")
    assert r.sequence == ["synth:您好，请稍候"]
    assert 0.5 < r.seconds < 5.0 and r.pcm.rms() > 500


def test_trim_cuts_silence_but_keeps_the_sound() -> None:
    body = chime(22050)
    padded = Pcm(22050, samples(bytes(2 * 4410)) + body.data + samples(bytes(2 * 4410)))
    cut = trim(padded)
    assert cut.seconds < padded.seconds - 0.35
    assert cut.peak() == body.peak()


def test_building_a_pack_from_the_synthesiser(tmp_path: Path) -> None:
    """What `kiosk voice build` does, for a few clips: synthesised, trimmed, loud enough."""
    wanted = ["请", "A", "零", "窗口", CHIME]
    pack = build_pack(tmp_path, clips=wanted)
    assert sorted(pack.clips) == sorted(wanted)
    again = load_pack(tmp_path, required=wanted)
    for name in wanted:
        assert again.clip(name).data.tolist() == pack.clip(name).data.tolist()
        assert 0.1 < again.clip(name).seconds < 1.5
    assert file_names(["请", "窗口", "A", "二"]) == {"请": "qing.wav", "窗口": "chuang-kou.wav",
                                                   "A": "letter-a.wav", "二": "er.wav"}
