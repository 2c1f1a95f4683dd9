"""The virtual ESC/POS printer: a byte-accurate stand-in for the receipt printer, for the demo
and the tests. It listens on TCP (like a network printer's port 9100) or a pty (like a serial
printer), decodes what arrives, answers DLE EOT status, and writes each receipt (a cut ends
one) as N.bin / N.txt / N.png. Faults change at run time through `command()` — the same line
language as the `--control` channel (see printer_state).

    vp = VirtualPrinter(out_dir)        # no I/O yet
    port = vp.start()                   # port 0: an ephemeral port, returned
    vp.command("paper out")
    receipts = vp.wait_for_receipts(1)
    vp.stop()
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from devices.sim import printer_state
from devices.sim.escpos_decode import Decoder, Receipt
from devices.sim.paper import receipt_png

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SimReceipt:
    number: int
    receipt: Receipt
    complete: bool            # False: the job stopped (paper ran out) or no cut came
    decoded_at: float = 0.0   # time.perf_counter() when its last byte was decoded

    @property
    def text(self) -> list[str]:
        return self.receipt.text_lines()


class VirtualPrinter:
    def __init__(self, out_dir: str | Path | None = None, *, paper_mm: int = 80,
                 encoding: str = "gb18030") -> None:
        self.out_dir = Path(out_dir) if out_dir else None
        self.dots = 384 if paper_mm == 58 else 576
        self.state = printer_state.SimState()
        self.receipts: list[SimReceipt] = []
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self.encoding = encoding
        self._decoders: set[Decoder] = set()   # one per link: a bad sender can't garble others
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._servers: list[socket.socket] = []
        self._conns: set[socket.socket] = set()
        self._next = 1
        self._fds: list[int] = []
        # Files are written off the decoding threads: drawing a long slip takes a while and
        # status queries must not wait for it. A receipt joins `receipts` once its files exist.
        self._writes: queue.Queue[SimReceipt | None] = queue.Queue()
        self._writer: threading.Thread | None = None

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen for print jobs on TCP; returns the port (ask for 0 to get a free one)."""
        self._prepare_out()
        return self._serve(host, port, self._handle_printer_conn, "printer")

    def start_control(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen for fault commands, one per line; each gets one reply line."""
        return self._serve(host, port, self._handle_control_conn, "control")

    def start_pty(self) -> str:
        """Act as a serial printer on a new pty; returns the path to open (e.g. /dev/pts/7)."""
        self._prepare_out()
        master, slave = os.openpty()
        tty.setraw(slave)
        self._fds += [master, slave]   # keep the slave open: reads stay valid between clients
        self._spawn(self._pty_loop, master)
        return os.ttyname(slave)

    def stop(self) -> None:
        if self._writer is not None:
            self._writes.put(None)
            self._writer.join(timeout=30)
            self._writer = None
        self._stop.set()
        for s in self._servers:
            s.close()
        self._drop_connections()
        for t in self._threads:
            t.join(timeout=2)
        for fd in self._fds:
            os.close(fd)
        self._fds.clear()

    def __enter__(self) -> VirtualPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- faults and results ------------------------------------------------------------------

    def command(self, line: str) -> str:
        """Apply one control command (printer_state's language); 'error: …' if it is wrong."""
        with self._lock:
            if line.strip().lower() == "drop":
                self._drop_connections()
                return "ok dropped"
            try:
                reply = printer_state.apply(self.state, line)
            except ValueError as exc:
                return f"error: {exc}"
            if self.state.offline:
                self._drop_connections()
            for decoder in self._decoders:
                decoder.halted = self.state.halted
            return reply

    def wait_for_receipts(self, n: int, timeout: float = 5.0) -> list[SimReceipt]:
        """Block until at least n receipts exist (or the timeout): the receipts so far."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.receipts) < n and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            return list(self.receipts)

    # ---- internals ---------------------------------------------------------------------------

    def _prepare_out(self) -> None:
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_loop, daemon=True,
                                            name="sim-printer-writer")
            self._writer.start()
        if self.out_dir is None:
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.stem) for p in self.out_dir.glob("*.bin") if p.stem.isdigit()]
        self._next = max(numbers, default=0) + 1   # never overwrite an earlier run's slips

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        t = threading.Thread(target=target, args=args, daemon=True,
                             name=f"sim-printer-{target.__name__}")
        self._threads.append(t)
        t.start()

    def _serve(self, host: str, port: int, handler: Callable[[socket.socket], None],
               what: str) -> int:
        server = socket.create_server((host, port))
        server.settimeout(0.2)
        self._servers.append(server)
        self._spawn(self._accept_loop, server, handler)
        bound: int = server.getsockname()[1]
        log.info("virtual printer %s listening on %s:%d", what, host, bound)
        return bound

    def _accept_loop(self, server: socket.socket,
                     handler: Callable[[socket.socket], None]) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn(handler, conn)

    def _drop_connections(self) -> None:
        with self._lock:
            for conn in list(self._conns):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            self._conns.clear()

    def _handle_printer_conn(self, conn: socket.socket) -> None:
        with self._lock:
            if self.state.offline:
                conn.close()
                return
            self._conns.add(conn)
        conn.settimeout(0.2)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        decoder = self._new_decoder()
        try:
            self._pump(decoder, lambda n: _recv(conn, n), lambda b: conn.sendall(b))
        finally:
            with self._lock:
                self._conns.discard(conn)
                self._finish(decoder)
            conn.close()

    def _pty_loop(self, master: int) -> None:
        def read(n: int) -> bytes | None:
            ready, _, _ = select.select([master], [], [], 0.2)
            return os.read(master, n) if ready else None

        def write(data: bytes) -> None:
            os.write(master, data)

        self._pump(self._new_decoder(), read, write)

    def _new_decoder(self) -> Decoder:
        decoder = Decoder(encoding=self.encoding, cols=self.dots // 12)
        decoder.on_line = lambda: self._line_printed(decoder)
        with self._lock:
            self._decoders.add(decoder)
        return decoder

    def _pump(self, decoder: Decoder, read: Callable[[int], bytes | None],
              write: Callable[[bytes], None]) -> None:
        """Read, throttled to the simulated baud rate, and decode until the link closes."""
        while not self._stop.is_set():
            baud = self.state.baud
            chunk = read(max(1, baud // 100) if baud else 65536)
            if chunk is None:
                continue
            if not chunk:
                return
            if baud:
                time.sleep(len(chunk) * 10 / baud)   # 8N1: ten bits on the wire per byte
            replies = bytearray()   # one write per chunk: byte-by-byte replies meet Nagle
            with self._lock:
                if self.state.offline:
                    return
                def respond(n: int, out: bytearray = replies) -> None:
                    out.append(self.state.status_byte(n))

                decoder.respond = respond
                decoder.halted = self.state.halted
                for receipt in decoder.feed(chunk):
                    self._store(receipt, complete=True)
            if replies and not self.state.silent:
                write(bytes(replies))

    def _line_printed(self, decoder: Decoder) -> None:
        with self._lock:
            self.state.line_printed()
            if self.state.halted and not decoder.halted:
                partial = decoder.finish()
                decoder.halted = True
                if partial is not None:
                    self._store(partial, complete=False)

    def _finish(self, decoder: Decoder) -> None:
        self._decoders.discard(decoder)
        receipt = decoder.end_of_stream()
        if receipt is not None:
            self._store(receipt, complete=False)

    def _store(self, receipt: Receipt, complete: bool) -> None:
        with self._lock:
            sim = SimReceipt(self._next, receipt, complete, time.perf_counter())
            self._next += 1
        self._writes.put(sim)

    def _write_loop(self) -> None:
        while (sim := self._writes.get()) is not None:
            if self.out_dir is not None:
                try:
                    self._write(sim)
                except OSError:
                    log.exception("virtual printer: cannot write receipt %d", sim.number)
            with self._changed:
                self.receipts.append(sim)
                self._changed.notify_all()

    def _write(self, sim: SimReceipt) -> None:
        base = self.out_dir / str(sim.number) if self.out_dir else Path(str(sim.number))
        base.with_suffix(".bin").write_bytes(sim.receipt.raw)
        note = [] if sim.complete else ["[未切纸：打印中断或连接结束]"]
        base.with_suffix(".txt").write_text("\n".join(sim.text + note) + "\n", encoding="utf-8")
        receipt_png(sim.receipt, self.dots).save(base.with_suffix(".png"))
        log.info("virtual printer: receipt %d written to %s.*", sim.number, base)

    def _handle_control_conn(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rwb") as f:
            conn.settimeout(None)
            for raw in f:
                if self._stop.is_set():
                    return
                reply = self.command(raw.decode("utf-8", errors="replace"))
                f.write(reply.encode("utf-8") + b"\n")
                f.flush()


def _recv(conn: socket.socket, n: int) -> bytes | None:
    try:
        return conn.recv(n)
    except TimeoutError:
        return None
    except OSError:
        return b""
