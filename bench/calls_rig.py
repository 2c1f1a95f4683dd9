"""The parts bench/bench_calls.py puts together: `kiosk hall serve` as a process, windows
acting over HTTP, the hall display as `kiosk display` composes it (run on the caller's thread),
and a watch on the file SDL's `disk` audio driver writes (when each sound began)."""

from __future__ import annotations

import array
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from kiosk.calls.feed import wait_for
from kiosk.queue.hallconfig import load_hall
from kiosk.queue.model import IssueRequest
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.speech.pcm import Pcm

REPO = Path(__file__).resolve().parent.parent
PACK = REPO / "assets" / "voice" / "cmn-espeak"
WINDOWS = {1: "1001", 2: "1002", 3: "1003", 4: "1004"}
CALL_TYPES = ("ticket.called", "ticket.recalled")
HALL_TOML = """
[hall]
name = "测试镇便民服务中心"

[queue]
recall_interval_s = 0

[[services]]
name = "综合咨询"
prefix = "C"
hours = ["00:00-23:59"]
daily_limit = 999

{windows}
[server]
database = "sqlite:var/hall.sqlite"
"""


def rid() -> str:
    return uuid.uuid4().hex


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def figures(ms: list[float]) -> dict[str, Any]:
    if not ms:
        return {"n": 0}
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"n": len(ms), "p50": round(statistics.median(ms), 1), "p95": round(p95, 1),
            "max": round(ordered[-1], 1), "min": round(ordered[0], 1)}


# ---- the hall service, as a process --------------------------------------------------------

class Service:
    """`kiosk hall serve` on a fixed loopback port (so a restart comes back where it was)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.proc: subprocess.Popen[str] | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Start it; seconds until it printed its address (it is listening then)."""
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "hall", "--hall-config",
             str(self.folder / "hall.toml"), "serve", "--listen", f"127.0.0.1:{self.port}"],
            cwd=self.folder, env=env, stdout=subprocess.PIPE,
            stderr=(self.folder / "serve.stderr").open("a"), text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if "http://" not in line:
            raise RuntimeError(f"kiosk hall serve did not start: {line!r}; "
                               + (self.folder / "serve.stderr").read_text()[-800:])
        return time.perf_counter() - t0

    def kill(self) -> None:
        """SIGKILL: a crash or a pulled plug, not a polite stop."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def make_hall(folder: Path, tickets: int) -> None:
    """hall.toml, staff (as `kiosk hall staff add` stores them) and printed tickets, before the
    service starts (the kiosks' part is not what is measured)."""
    from tests.support.hall_env import enrol

    windows = "".join(f'[[windows]]\nnumber = {n}\nservices = ["C"]\n\n' for n in WINDOWS)
    (folder / "hall.toml").write_text(HALL_TOML.format(windows=windows), encoding="utf-8")
    settings = load_hall(folder / "hall.toml")
    (folder / "var").mkdir(exist_ok=True)
    store = SqliteQueueStore(folder / "var" / "hall.sqlite", settings, datetime.now)
    store.open()
    try:
        enrol(store, settings, datetime.now)  # type: ignore[arg-type]
        for _ in range(tickets):
            t = store.issue(IssueRequest("C", rid()))
            store.printed(t.ticket_id)
    finally:
        store.close()


@dataclass
class Counter:
    """The windows' staff, acting over HTTP as the window page does."""

    url: str
    client: httpx.Client = field(init=False)
    tokens: dict[int, str] = field(default_factory=dict)
    open: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.url, timeout=10)

    def login(self, window: int) -> None:
        from tests.support.hall_env import STAFF

        staff = WINDOWS[window]
        r = self.client.post("/api/staff/login", json={"staff": staff, "pin": STAFF[staff],
                                                       "window": window, "request_id": rid()})
        r.raise_for_status()
        self.tokens[window] = r.json()["token"]

    def act(self, window: int, action: str = "next") -> dict[str, Any]:
        body: dict[str, Any] = {"request_id": rid()}
        if action == "next" and window in self.open:
            body["close_open"] = "done"
        for _ in range(2):
            r = self.client.post(f"/api/windows/{window}/{action}", json=body,
                                 headers={"Authorization": f"Bearer {self.tokens[window]}"})
            if r.status_code == 401:
                self.login(window)
                continue
            break
        if r.status_code != 200:
            raise RuntimeError(f"{action} at window {window}: {r.status_code} {r.text[:200]}")
        self.open.add(window)
        data: dict[str, Any] = r.json()
        return data

    def last_event_id(self) -> int:
        return int(self.client.get("/api/health").json()["last_event_id"])


# ---- the sound device (SDL's disk driver) ------------------------------------------------------

class DeviceWatch:
    """Follows the file SDL's disk audio driver writes: the time each sound began at the
    "device" (its first non-zero sample after at least `quiet_s` of zeros).

    SDL hands the device one mixer buffer (`buffer` samples) at a time, paced as a sound card
    takes them, but writes the file through stdio, whose 4 KB buffer reaches the file every
    four mixer buffers (93 ms at 22.05 kHz). So a sample's time is the time its 4 KB arrived,
    less the sound written after its mixer buffer: right to within one mixer buffer (23 ms),
    never early."""

    def __init__(self, path: Path, rate: int, buffer: int = 512, quiet_s: float = 0.2) -> None:
        self.path = path
        self.rate = rate
        self.buffer = buffer
        self.quiet = round(rate * quiet_s)
        self.onsets: list[float] = []
        self.late_ms: dict[float, float] = {}   # onset → how much later the file showed it
        self._zeros = self.quiet
        self._total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="device-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def onset_after(self, t: float) -> float | None:
        return next((x for x in self.onsets if x >= t), None)

    def quiet_now(self) -> bool:
        return self._zeros >= self.quiet

    def _run(self) -> None:
        while not self.path.exists() and not self._stop.wait(0.01):
            pass
        with self.path.open("rb") as f:
            rest = b""
            while not self._stop.is_set():
                chunk = f.read()
                now = time.perf_counter()
                if not chunk:
                    time.sleep(0.0005)
                    continue
                data = rest + chunk
                cut = len(data) - len(data) % 2
                rest = data[cut:]
                self._scan(array.array("h", data[:cut]), now)

    def _scan(self, values: array.array[int], now: float) -> None:
        start = self._total
        end = start + len(values)
        self._total = end
        for i, v in enumerate(values):
            if v == 0:
                self._zeros += 1
                continue
            if self._zeros >= self.quiet:
                block_end = ((start + i) // self.buffer + 1) * self.buffer
                after = max(0, end - block_end) / self.rate
                self.onsets.append(now - after)
                self.late_ms[self.onsets[-1]] = after * 1000
            self._zeros = 0


# ---- the hall display, the real composition -------------------------------------------------

@dataclass
class Probe:
    """What the bench waits for: a number on the board, then on a drawn frame."""

    target: str = ""
    t_board: float | None = None
    t_frame: float | None = None


class HallDisplay:
    def __init__(self, folder: Path, server: str) -> None:
        from kiosk.config import load_config
        from screens.display_main import DisplayOptions, build_display

        cfg_path = folder / "kiosk.toml"
        cfg_path.write_text(f'[speech]\nvoice_pack = "{PACK}"\nrepeat = 1\n\n'
                            '[call_display]\nfullscreen = false\n', encoding="utf-8")
        cfg = load_config(cfg_path)
        self.process = build_display(cfg, DisplayOptions(mode="hall", server=server,
                                                         windowed=True, headless=True))
        self.app = self.process.app
        self.follower = self.process.follower
        self.feed = self.process.feed
        assert self.process.announcer is not None, "the hall display speaks"
        self.announcer = self.process.announcer
        self.probe = Probe()
        self.spoken: list[str] = []
        self.announcer.on_spoken = lambda s: self.spoken.append(s.announcement.key)
        wake = self.follower.on_change

        def changed() -> None:
            self._board_changed()
            wake()

        self.follower.on_change = changed

    def _board_changed(self) -> None:
        p = self.probe
        if p.target and p.t_board is None:
            with self.follower.lock:
                calls = self.follower.board.calls
                if calls and calls[0].number == p.target:
                    p.t_board = time.perf_counter()

    def run(self, done: threading.Event) -> None:
        """The display's loop on this (the main) thread until `done`."""
        self.app.open(home=self.process.extras["home"])
        self.process.start()
        frames = self.app.frames
        try:
            while not done.is_set():
                self.app.step()
                if self.app.frames != frames:
                    frames = self.app.frames
                    self._frame_drawn()
        finally:
            self.process.stop()
            self.app.close()

    def _frame_drawn(self) -> None:
        p = self.probe
        if not p.target or p.t_frame is not None:
            return
        board = getattr(self.app.top, "board", None)
        if board is not None and board.calls and board.calls[0].number == p.target:
            p.t_frame = time.perf_counter()

    def expect(self, number: str) -> Probe:
        self.probe = Probe(number)
        self._board_changed()
        return self.probe

    def idle(self, watch: DeviceWatch, timeout: float = 30) -> bool:
        return wait_for(lambda: self.announcer.queue.idle() and watch.quiet_now(), timeout,
                        0.01)


class CountingPlayer:
    """Keeps no time (a hundred calls need not take five minutes) but notices overlaps."""

    def __init__(self) -> None:
        self.busy = threading.Lock()
        self.overlaps = 0

    def play(self, pcm: Pcm) -> None:
        if not self.busy.acquire(blocking=False):
            self.overlaps += 1
            return
        try:
            time.sleep(0.002)
        finally:
            self.busy.release()

    def close(self) -> None:
        pass


