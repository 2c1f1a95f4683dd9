"""Announcements: one at a time and never cut off, a backlog collapsed to the newest call per
window, each event spoken once. The player writes real WAV files and takes real (short) time."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kiosk.speech.announcer import AnnouncementQueue, Announcer
from kiosk.speech.pcm import Pcm, read_wav
from kiosk.speech.phrases import Call
from kiosk.speech.render import Renderer
from kiosk.speech.voicepack import VoicePack, load_pack

PACK = Path(__file__).resolve().parents[2] / "assets" / "voice" / "cmn-espeak"


@pytest.fixture(scope="module")
def pack() -> VoicePack:
    return load_pack(PACK)


def test_the_backlog_keeps_the_newest_call_per_window_in_its_place() -> None:
    q = AnnouncementQueue()
    assert q.offer("1", Call("A001", 1))
    assert q.offer("2", Call("B001", 2))
    assert q.offer("3", Call("A002", 1))          # window 1 called again before A001 was said
    assert [a.call.number for a in q.pending() if a.call] == ["A002", "B001"]
    assert q.collapsed == 1
    assert not q.offer("2", Call("B001", 2))      # the same event again (a resumed stream)
    assert q.duplicates == 1
    first = q.take(0)
    assert first is not None and first.key == "3"
    assert not q.idle()
    q.done()
    second = q.take(0)
    q.done()
    assert second is not None and second.key == "2" and q.idle()
    assert q.take(0.01) is None


def test_a_key_seen_while_catching_up_is_never_spoken() -> None:
    q = AnnouncementQueue()
    q.mark_seen("7")
    assert not q.offer("7", Call("A007", 1))
    assert q.pending() == []


def test_remembered_keys_are_bounded() -> None:
    q = AnnouncementQueue(remember=3)
    for i in range(5):
        q.mark_seen(str(i))
    assert q.offer("0", Call("A000", 1))        # forgotten long ago: a new event would be new


class TimedPlayer:
    """A real player without a sound card: WAV files plus the real time each sound lasts (at
    `speed`× so the test is short); records when each play started and ended."""

    def __init__(self, folder: Path, speed: float = 20.0) -> None:
        self.folder, self.speed = folder, speed
        self.spans: list[tuple[float, float, Path]] = []
        self.lock = threading.Lock()

    def play(self, pcm: Pcm) -> None:
        start = time.monotonic()
        path = self.folder / f"{len(self.spans):03d}.wav"
        pcm.write_wav(path)
        time.sleep(pcm.seconds / self.speed)
        with self.lock:
            self.spans.append((start, time.monotonic(), path))

    def close(self) -> None:
        pass


def test_announcements_play_one_at_a_time_to_the_end(pack: VoicePack, tmp_path: Path) -> None:
    player = TimedPlayer(tmp_path)
    announcer = Announcer(Renderer(pack), player, repeat=1)
    announcer.start()
    try:
        announcer.announce("1", Call("A001", 1))
        time.sleep(0.05)                               # A001 is being said now
        announcer.announce("2", Call("B001", 2))
        announcer.announce("3", Call("C001", 3))
        announcer.announce("4", Call("C002", 3))       # collapses C001 (not yet begun)
        announcer.announce("2", Call("B001", 2))       # a duplicate
        assert announcer.wait_idle(10)
    finally:
        announcer.stop()
    said = [s.announcement.call.number for s in announcer.spoken if s.announcement.call]
    assert said == ["A001", "B001", "C002"]
    for (_, end, _), (start, _, _) in zip(player.spans, player.spans[1:], strict=False):
        assert start >= end, "an announcement began before the previous one ended"
    for (_, _, path), spoken in zip(player.spans, announcer.spoken, strict=True):
        assert read_wav(path).data.tolist() == spoken.rendering.pcm.data.tolist()
        assert spoken.rendering.sequence[0] == "chime"


def test_a_prompt_is_said_through_the_same_path(pack: VoicePack, tmp_path: Path) -> None:
    player = TimedPlayer(tmp_path, speed=50)
    announcer = Announcer(Renderer(pack), player)
    announcer.start()
    try:
        announcer.prompt("请您对本次服务进行评价")
        assert announcer.wait_idle(10)
    finally:
        announcer.stop()
    assert [s.rendering.sequence for s in announcer.spoken] == [["请您对本次服务进行评价"]]


def test_a_failing_announcement_does_not_stop_the_next(pack: VoicePack, tmp_path: Path) -> None:
    player = TimedPlayer(tmp_path, speed=50)
    announcer = Announcer(Renderer(pack), player, repeat=1)
    announcer.start()
    try:
        announcer.prompt("这句话没有录音")     # no clip and no synthesiser: refused, logged
        announcer.announce("9", Call("A009", 1))
        assert announcer.wait_idle(10)
    finally:
        announcer.stop()
    assert [s.announcement.key for s in announcer.spoken] == ["9"]
