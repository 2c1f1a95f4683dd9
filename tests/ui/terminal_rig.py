"""A whole terminal for UI tests: the real App (SDL dummy driver, fake monotonic clock) wired to
a real kiosk.terminal.Terminal exactly as screens/boot.py wires it (`terminal.notify =
app.post`), whose receipt printer is the VirtualPrinter on an ephemeral TCP port, whose ID
reader is the simulated SAM reader on an ephemeral TCP port (with its control channel, also on
port 0), and whose queue is a real SQLite file in the test's tmp folder.

Only the queue's wall clock is pinned (a Monday at 15:00) so which services are open does not
depend on when the suite runs; everything else runs for real.
"""

from __future__ import annotations

import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from devices.id_reader.events import CardRemoved
from devices.sim.idcards import sample_cards
from devices.sim.idreader import SimReader
from devices.sim.idreader_transport import ControlServer, TcpLine
from devices.sim.printer import SimReceipt, VirtualPrinter
from devices.status import DeviceState
from kiosk import bootstrap
from kiosk.config import Config, parse_config
from kiosk.lookup import catalog_from_file, make_searcher
from kiosk.speech.announcer import Announcer
from kiosk.speech.player import WavFilePlayer
from kiosk.speech.render import open_renderer
from kiosk.terminal import Terminal
from screens.app import App
from screens.kiosk_actions import KioskActions
from tests.queue_support import hall_toml
from tests.support.catalogs import MINI_CATALOG
from tests.ui.helpers import REPO, FakeClock

#: Monday 23 November 2026, 15:00: 社保医保 (A), 民政救助 (B), 综合咨询 (C) are open,
#: 农业农村与建房 (D, mornings only) is closed.
AFTERNOON = datetime(2026, 11, 23, 15, 0)


@dataclass
class Rig:
    app: App
    clock: FakeClock
    terminal: Terminal
    printer: VirtualPrinter
    sim: SimReader
    line: TcpLine
    control_url: str
    removals: list[float] = field(default_factory=list)   # each CardRemoved the UI was sent
    voice: Announcer | None = None      # terminal_rig(voice=True): the kiosk's real speech

    def pump(self, until: Callable[[], bool], timeout_s: float = 10.0,
             what: str = "the condition") -> None:
        """Turn the UI loop (real time passes, the fake clock does not) until `until()`."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.app.step(5)
            if until():
                return
        raise AssertionError(f"{what} did not happen within {timeout_s} s "
                             f"(top screen: {type(self.app.top).__name__})")

    def lift_card(self, timeout_s: float = 10.0) -> None:
        """Take the card off the reader and wait until the kiosk has seen it go (its
        CardRemoved event): a card placed again before that would read as the same card
        still lying there, and not be reported again."""
        before = len(self.removals)
        self.sim.remove()
        self.pump(lambda: len(self.removals) > before, timeout_s, what="the card-removed event")
        self.app.step(0)               # the screens have it too

    def receipts(self, n: int, timeout_s: float = 5.0) -> list[SimReceipt]:
        return self.printer.wait_for_receipts(n, timeout=timeout_s)


def rig_config(tmp: Path, printer_port: int, reader_port: int, control_url: str = "",
               size: tuple[int, int] = (1080, 1920), elder: bool = False,
               services: int = 0, printer_timeout_s: float = 5.0) -> Config:
    """The demo's kiosk.toml and hall.toml pointed at the rig; `services`: that many all-day
    services instead of the demo's four."""
    data: dict[str, Any] = tomllib.loads((REPO / "kiosk.toml").read_text(encoding="utf-8"))
    tmp.mkdir(parents=True, exist_ok=True)
    if services:
        (tmp / "hall.toml").write_text(hall_toml(
            [{"name": f"测试业务{i + 1}", "prefix": "ABCDEFGHJKLM"[i],
              "counters": [f"{i + 1}号窗口"], "hours": ["00:00-24:00"]}
             for i in range(services)]), encoding="utf-8")
    else:
        (tmp / "hall.toml").write_text((REPO / "hall.toml").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    data["display"].update(width=size[0], height=size[1], elder_mode=elder, fullscreen=False,
                           scale=1.0, touch=True)
    data["receipt_printer"].update(url=f"tcp://127.0.0.1:{printer_port}",
                                   timeout_s=printer_timeout_s)
    data["id_reader"].update(port=f"socket://127.0.0.1:{reader_port}", poll_interval_s=0.05,
                             sim_control=control_url)
    data["document_printer"]["enabled"] = False
    data["scanner"]["enabled"] = False
    data["catalog"].update(db="catalog.sqlite", seed=str(MINI_CATALOG))
    data["logging"]["dir"] = "log"
    data["speech"]["voice_pack"] = str(REPO / data["speech"]["voice_pack"])
    return parse_config(data, base_dir=str(tmp))


@contextmanager
def terminal_rig(tmp: Path, size: tuple[int, int] = (1080, 1920), elder: bool = False,
                 dev_control: bool = False, reader: bool = True, services: int = 0,
                 printer_timeout_s: float = 5.0, catalog: Path = MINI_CATALOG,
                 voice: bool = False) -> Iterator[Rig]:
    """`dev_control`: put the simulator's control URL in [id_reader] sim_control (the demo's
    development mode). `reader=False`: the reader's port has nobody listening.
    `printer_timeout_s`: [receipt_printer] timeout_s. `voice`: the kiosk speaks through the
    configured voice pack and the offline synthesiser, each sound written as a WAV file under
    tmp/spoken (no sound card here); `rig.voice` is the announcer, with its record."""
    tmp.mkdir(parents=True, exist_ok=True)
    sim = SimReader(sample_cards())
    line = TcpLine(sim, "127.0.0.1", 0)
    line.start()
    assert line.ready.wait(2), "simulated reader did not start"
    control = ControlServer("tcp://127.0.0.1:0", sim, line)
    threading.Thread(target=control.serve_forever, name="sim-control", daemon=True).start()
    reader_port = line.port
    if not reader:
        line.stop()
    printer = VirtualPrinter(tmp / "receipts")
    port = printer.start()
    cfg = rig_config(tmp, port, reader_port, control.url if dev_control else "", size, elder,
                     services, printer_timeout_s)
    terminal = bootstrap.terminal(cfg)
    terminal.open()
    assert terminal.queue is not None, "queue did not open"
    terminal.queue.store.clock = lambda: AFTERNOON      # type: ignore[attr-defined]
    terminal.queue.clock = lambda: AFTERNOON
    clock = FakeClock()
    cat = catalog_from_file(catalog)
    speaker = Announcer(open_renderer(cfg), WavFilePlayer(tmp / "spoken"), repeat=1) \
        if voice else None
    if speaker is not None:
        (tmp / "spoken").mkdir(exist_ok=True)
        speaker.start()
    app = App(cfg, cat, make_searcher(cat), KioskActions(terminal, speaker), headless=True,
              windowed=True, clock=clock)
    rig = Rig(app, clock, terminal, printer, sim, line, control.url, voice=speaker)

    def notify(event: object) -> None:
        app.post(event)                # first: once counted, it is in the UI's inbox
        if isinstance(event, CardRemoved):
            rig.removals.append(time.monotonic())

    terminal.notify = notify        # as screens/boot.py (app.post): events reach the top screen
    app.open()
    app.step(0)
    try:
        if reader:
            rig.pump(lambda: terminal.reader is not None
                     and terminal.reader.status().state is DeviceState.ONLINE,
                     what="the reader coming online")
        yield rig
    finally:
        app.close()
        if speaker is not None:
            speaker.stop()
        terminal.close()
        control.shutdown()
        control.server_close()
        if reader:
            line.stop()
        printer.stop()
