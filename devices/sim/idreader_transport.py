"""Lines for the simulated reader (a pty or a TCP listener, each able to be "unplugged") and
its control channel (`place`, `remove`, `fault`, `list`, … one line in, one line out).

One thread owns each line's file descriptors, so an unplug never closes an fd another thread
is waiting on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import socketserver
import threading
import time
import tty
from pathlib import Path
from urllib.parse import urlparse

from devices.errors import ReaderError
from devices.id_reader.frames import StreamParser, build_response
from devices.id_reader.sw import Sw3
from devices.sim.idreader import Chunk, SimReader

log = logging.getLogger(__name__)
TICK_S = 0.02  # how often a line thread looks at stop/unplug requests while idle


def parse_tcp_url(url: str) -> tuple[str, int]:
    u = urlparse(url)
    if u.scheme != "tcp" or not u.hostname or u.port is None:
        raise ReaderError(f"{url!r}: expected tcp://HOST:PORT")
    return u.hostname, u.port


class SimLine(threading.Thread):
    """Serves a SimReader on one line; `unplug()` drops it like a pulled cable."""

    def __init__(self, sim: SimReader) -> None:
        super().__init__(name=f"sim-{type(self).__name__}", daemon=True)
        self.sim = sim
        #: With a baud rate, each reply is held back for its wire time at 8N1 (10 bits/byte):
        #: a pty or a socket otherwise delivers a 1295-byte reply in microseconds.
        self.pace_baud = 0
        self._stop_event = threading.Event()
        self._unplug_at: float | None = None   # requested: drop the line now
        self._replug_at: float | None = None   # when to plug it back (inf: on `replug`)
        self._parser = StreamParser()
        self.ready = threading.Event()

    # control (any thread)
    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=2)

    def unplug(self, seconds: float = 1.0) -> None:
        self._replug_at = time.monotonic() + seconds if seconds > 0 else float("inf")
        self._unplug_at = time.monotonic()

    def replug(self) -> None:
        self._replug_at = time.monotonic()

    # the line thread
    def run(self) -> None:
        self._plug()
        self.ready.set()
        try:
            while not self._stop_event.is_set():
                if self._unplug_at is not None:
                    self._cable_pull()
                    continue
                data = self._poll(TICK_S)
                if data:
                    self._serve(data)
        finally:
            self._drop()

    def _cable_pull(self) -> None:
        self._unplug_at = None
        log.info("sim idreader: cable pulled")
        self._drop()
        while not self._stop_event.is_set() and time.monotonic() < (self._replug_at or 0):
            if self._unplug_at is not None:  # a second unplug while out: keep the new time
                self._unplug_at = None
            time.sleep(TICK_S)
        if not self._stop_event.is_set():
            self._plug()
            log.info("sim idreader: cable plugged back in")

    def _serve(self, data: bytes) -> None:
        rejected = self._parser.rejected
        frames = self._parser.feed(data)
        if self._parser.rejected > rejected:  # a host frame with a bad checksum or length
            self._send(Chunk(build_response(Sw3.HOST_CHECKSUM_ERROR)))
        for frame in frames:
            for chunk in self.sim.handle(frame):
                self._send(chunk)

    def _send(self, chunk: Chunk) -> None:
        delay = chunk.delay_s + (len(chunk.data) * 10 / self.pace_baud if self.pace_baud else 0)
        if delay:
            self._stop_event.wait(delay)
        try:
            self._write(chunk.data)
        except OSError as exc:
            log.info("sim idreader: host went away while writing (%s)", exc)

    # per transport
    def _plug(self) -> None:
        raise NotImplementedError

    def _drop(self) -> None:
        raise NotImplementedError

    def _poll(self, timeout_s: float) -> bytes:
        raise NotImplementedError

    def _write(self, data: bytes) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


class PtyLine(SimLine):
    """A pseudo-terminal; with `link`, a stable symlink to it that survives a replug."""

    def __init__(self, sim: SimReader, link: Path | None = None) -> None:
        super().__init__(sim)
        self.link = link
        self.path = ""
        self._master = -1
        self._slave = -1

    def _plug(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing: a serial line carries raw bytes
        self.path = os.ttyname(self._slave)
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".new")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(self.path)
            os.replace(tmp, self.link)
        self._parser.reset()

    def _drop(self) -> None:
        if self.link is not None:
            with contextlib.suppress(FileNotFoundError):
                self.link.unlink()
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1

    def _poll(self, timeout_s: float) -> bytes:
        ready, _, _ = select.select([self._master], [], [], timeout_s)
        return os.read(self._master, 4096) if ready else b""

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._master, view):]

    def describe(self) -> str:
        return str(self.link or self.path)


class TcpLine(SimLine):
    """A TCP listener (pyserial's socket:// connects to it); one host at a time."""

    def __init__(self, sim: SimReader, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(sim)
        self.host, self.port = host, port
        self._listener: socket.socket | None = None
        self._client: socket.socket | None = None

    def _plug(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(1)
        self.port = listener.getsockname()[1]  # port 0 → keep the one we got across replugs
        self._listener = listener

    def _drop(self) -> None:
        for sock in (self._client, self._listener):
            if sock is not None:
                sock.close()
        self._client = self._listener = None

    def _poll(self, timeout_s: float) -> bytes:
        assert self._listener is not None
        if self._client is None:
            ready, _, _ = select.select([self._listener], [], [], timeout_s)
            if ready:
                self._client, _ = self._listener.accept()
                self._parser.reset()
            return b""
        ready, _, _ = select.select([self._client], [], [], timeout_s)
        if not ready:
            return b""
        try:
            data = self._client.recv(4096)
        except OSError:
            data = b""
        if not data:  # the host closed: wait for the next one
            self._client.close()
            self._client = None
        return data

    def _write(self, data: bytes) -> None:
        if self._client is not None:
            self._client.sendall(data)

    def describe(self) -> str:
        return f"tcp://{self.host}:{self.port}"


def handle_control(line: str, sim: SimReader, wire: SimLine) -> str:
    """One control command → one reply line starting with `ok` or `error`."""
    verb, _, rest = line.strip().partition(" ")
    args = rest.split()
    try:
        if verb == "list":
            return "ok " + " ".join(f"{i}:{c.label}" for i, c in enumerate(sim.cards))
        if verb == "place" and args:
            return f"ok placed {sim.place(args[0]).label}"
        if verb == "remove":
            sim.remove()
            return "ok removed"
        if verb == "replug":
            wire.replug()
            return "ok replugged"
        if verb == "status":
            placed = sim.placed.label if sim.placed else "none"
            return f"ok placed={placed} line={wire.describe()} commands={sim.commands_seen}"
        if verb == "fault" and args:
            return _fault(args, sim, wire)
    except (ReaderError, ValueError) as exc:
        return f"error {exc}"
    return (f"error unknown command {line.strip()!r}; commands: list, place <card>, remove, "
            f"fault <name> [op] [seconds], replug, status")


def _fault(args: list[str], sim: SimReader, wire: SimLine) -> str:
    name = args[0]
    numbers = [a for a in args[1:] if a.replace(".", "", 1).isdigit()]
    words = [a for a in args[1:] if a not in numbers]
    seconds = float(numbers[0]) if numbers else 1.0
    if name == "unplug":
        wire.unplug(seconds)
    else:
        sim.inject(name, words[0] if words else "", seconds)
    return f"ok fault {' '.join(args)}"


class ControlServer(socketserver.ThreadingTCPServer):
    """`--control tcp://127.0.0.1:PORT`: line commands from tests, the CLI and the demo UI."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, url: str, sim: SimReader, wire: SimLine) -> None:
        self.sim, self.wire = sim, wire
        super().__init__(parse_tcp_url(url), _ControlHandler)

    @property
    def url(self) -> str:
        host, port = self.socket.getsockname()[:2]
        return f"tcp://{host}:{port}"


class _ControlHandler(socketserver.StreamRequestHandler):
    server: ControlServer

    def handle(self) -> None:
        for raw in self.rfile:
            reply = handle_control(raw.decode("utf-8", "replace"), self.server.sim,
                                   self.server.wire)
            self.wfile.write(reply.encode("utf-8") + b"\n")
            self.wfile.flush()
