"""Shared set-up for the ID reader integration tests: the simulated reader on a real pty (or a
real TCP socket on an ephemeral port) and the real driver with short time-outs."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from devices.id_reader.events import ReaderEvent
from devices.id_reader.reader import IdReader, Timeouts
from devices.sim.idcards import SimCard, sample_cards
from devices.sim.idreader import SimReader
from devices.sim.idreader_transport import PtyLine, SimLine, TcpLine
from devices.status import DeviceState, StatusUpdate

E = TypeVar("E")
# Short enough to keep the suite fast, long enough for a loaded CI machine.
FAST = Timeouts(sam_s=0.5, card_s=0.5, read_s=0.8)


class Rig:
    def __init__(self, sim: SimReader, line: SimLine, reader: IdReader,
                 events: queue.Queue[ReaderEvent]) -> None:
        self.sim, self.line, self.reader, self.events = sim, line, reader, events

    def next(self, kind: type[E], timeout_s: float = 3.0) -> E:
        """The next event of `kind`, skipping others; fails the test after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                break
            if isinstance(event, kind):
                return event
        raise AssertionError(f"no {kind.__name__} within {timeout_s} s")

    def status(self, state: DeviceState, timeout_s: float = 3.0) -> StatusUpdate:
        """The reader's next StatusUpdate to `state` (it emits them as every device does)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            event = self.next(StatusUpdate, deadline - time.monotonic())
            if event.device == "id_reader" and event.state is state:
                return event
        raise AssertionError(f"reader never became {state}")

    def quiet(self, seconds: float) -> list[ReaderEvent]:
        """Every event within `seconds` (to show that something does NOT happen)."""
        time.sleep(seconds)
        out: list[ReaderEvent] = []
        while not self.events.empty():
            out.append(self.events.get_nowait())
        return out


@contextmanager
def rig(tmp_path: Path, transport: str = "pty", cards: list[SimCard] | None = None,
        poll: bool = True, rereport: bool = False, **reader_args: object) -> Iterator[Rig]:
    sim = SimReader(cards or sample_cards(), rereport=rereport)
    line: SimLine = (PtyLine(sim, tmp_path / "ttyID") if transport == "pty"
                     else TcpLine(sim, "127.0.0.1", 0))
    line.start()
    assert line.ready.wait(2)
    port = (f"socket://127.0.0.1:{line.port}" if isinstance(line, TcpLine)
            else str(tmp_path / "ttyID"))
    events: queue.Queue[ReaderEvent] = queue.Queue()
    args: dict[str, object] = {"timeouts": FAST, "reconnect_s": 0.1, "poll_interval_s": 0.02,
                               **reader_args}
    reader = IdReader(port, events=events, **args)  # type: ignore[arg-type]
    reader.open(poll=poll)
    try:
        yield Rig(sim, line, reader, events)
    finally:
        reader.close()
        line.stop()
