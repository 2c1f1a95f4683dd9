"""`kiosk display` as a process, as a mini PC runs it: the real composition (config → feed →
board → App → announcer → player) against the real hall service; what it says goes to WAV
files (`--audio-out`), compared sample for sample with the voice pack's rendering."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from kiosk.commands import demo_display
from kiosk.speech.pcm import read_wav
from kiosk.speech.phrases import Call
from kiosk.speech.render import Renderer
from kiosk.speech.voicepack import load_pack
from tests.support.faces_hall import faces_hall

REPO = Path(__file__).resolve().parents[2]
PACK = REPO / "assets" / "voice" / "cmn-espeak"


def test_the_display_process_says_a_call(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[speech]\nvoice_pack = "{PACK}"\nrepeat = 1\n\n'
                   '[call_display]\nfullscreen = false\nhall_size = [960, 540]\n',
                   encoding="utf-8")
    out = tmp_path / "said"
    with faces_hall(tmp_path / "hall") as hall:
        hall.ticket("C")
        env = {**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "dummy",
               "SDL_AUDIODRIVER": "dummy"}
        # The command line the demo (the README's run command) starts its display with.
        base = [sys.executable, "-m", "kiosk", "--config", str(cfg), "--log-level", "INFO"]
        proc = subprocess.Popen(
            [*demo_display.command(base, hall.url), "--audio-out", str(out)], cwd=tmp_path,
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        stderr = proc.stderr
        assert stderr is not None
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(iter(stderr.readline, "")),
                                  daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 60
            while not any("hall events: following" in line for line in lines):
                assert proc.poll() is None and time.monotonic() < deadline, "".join(lines)[-2000:]
                time.sleep(0.05)
            number = hall.window(4, "1001").act("next")["ticket"]["number"]
            first = out / "0001.wav"
            while not first.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert first.exists(), "the display said nothing"
            time.sleep(0.5)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            reader.join(5)
    assert proc.returncode == 0, "".join(lines)[-2000:]
    expected = Renderer(load_pack(PACK)).announcement(Call(number, 4), repeat=1)
    assert read_wav(first).data.tolist() == expected.pcm.data.tolist()
    assert expected.sequence[:3] == ["chime", "请", "C"]
    assert not (out / "0002.wav").exists()        # said once
