"""Connections to a receipt printer, chosen by URL (the pyserial way: configuration, not code,
decides where the bytes go). One table, SCHEMES, names every kind:

    tcp://HOST[:PORT]                  network printer, raw port 9100   python-escpos Network
    socket://HOST[:PORT]               the same, as pyserial spells it
    serial:///dev/ttyUSB0?baudrate=N   serial port or pty               pyserial serial_for_url
    usb://0xVID:0xPID                  USB printer class                python-escpos Usb
    file:///path                       bytes to a file or device        python-escpos File
    cups://QUEUE                       a raw CUPS queue                 lp -o raw (pycups is GPL)
    memory://[NAME]                    bytes kept in memory, status answered "all fine"
                                       (python-escpos's Dummy, for fast unit tests)

Serial goes through pyserial directly: python-escpos's Serial opens `serial.Serial` (no URLs,
so no pty or socket:// ports) and defaults to 9600 baud with DSR/DTR flow control on, which
stalls printers wired without DSR. file:// and cups:// cannot read, so they have no status.
A USB printer needs pyusb (and libusb-1.0).

Errors: every connection raises only PrinterOffline. Each class translates its transport's
own exceptions (OSError, pyserial's SerialException, python-escpos's errors, pyusb's) in one
place, `_seam`, which names the URL and what was being done.
"""

from __future__ import annotations

import contextlib
import select
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import ParseResult, parse_qs, urlparse

from devices.receipt_printer import status_bits as sb
from devices.receipt_printer.errors import PrinterOffline

if TYPE_CHECKING:
    import serial


class Connection(Protocol):
    url: str
    readable: bool      # it carries DLE EOT replies back (a status channel)
    hold: bool          # ours alone: kept open between jobs (a network printer is not)

    def open(self) -> None: ...
    def close(self) -> None: ...
    def write(self, data: bytes) -> None: ...
    def read(self, n: int, timeout: float) -> bytes: ...
    def end_job(self) -> None: ...


class _Seam:
    """Where a connection's transport exceptions become PrinterOffline: once per class."""

    url: str

    def _errors(self) -> tuple[type[BaseException], ...]:
        """The transport's own exceptions (imported when a connection is used)."""
        return (OSError,)

    @contextlib.contextmanager
    def _seam(self, doing: str) -> Iterator[None]:
        try:
            yield
        except PrinterOffline:
            raise
        except self._errors() as exc:
            raise PrinterOffline(f"{doing} {self.url}: {exc}") from exc

    def _not_open(self) -> PrinterOffline:
        return PrinterOffline(f"{self.url} is not open")


def _escpos_errors() -> tuple[type[BaseException], ...]:
    from escpos.exceptions import Error as EscposError

    return (EscposError, OSError, ValueError, RuntimeError)


class _EscposConnection(_Seam):
    """A python-escpos printer object used as a pipe: `_raw` to send, `_read` to receive."""

    readable = False
    hold = True

    def __init__(self, url: str, factory: Any, **kwargs: Any) -> None:
        self.url = url
        self._factory, self._kwargs = factory, kwargs
        self._p: Any = None

    def _errors(self) -> tuple[type[BaseException], ...]:
        # pyusb's USBError is an IOError (OSError); its timeouts too.
        return _escpos_errors()

    def open(self) -> None:
        usable = getattr(self._factory, "is_usable", lambda: True)
        if not usable():
            raise PrinterOffline(f"cannot open {self.url}: python-escpos lacks the library for "
                                 f"{self._factory.__name__} (see pyproject.toml)")
        with self._seam("cannot open"):
            try:
                self._p = self._factory(**self._kwargs)
                self._p.open()
            except BaseException:
                self._p = None
                raise

    def close(self) -> None:
        if self._p is not None:
            with contextlib.suppress(*self._errors()):
                self._p.close()
            self._p = None

    def write(self, data: bytes) -> None:
        if self._p is None:
            raise self._not_open()
        with self._seam("writing to"):
            self._p._raw(data)

    def read(self, n: int, timeout: float) -> bytes:
        if self._p is None:
            raise self._not_open()
        with self._seam("reading from"):
            return bytes(self._p._read())[:n]

    def end_job(self) -> None:
        send = getattr(self._p, "send", None)   # CUPS spools until the job is sent
        if callable(send):
            with self._seam("sending the job to"):
                send()


class _NetworkConnection(_EscposConnection):
    readable = True
    # A network printer's raw port serves one client at a time: holding it would lock out
    # the queue's own printer object, a staff `kiosk print test`, the vendor's tool. So it is
    # connected per operation (≈1 ms on a LAN).
    hold = False

    def open(self) -> None:
        super().open()
        # A status request is 12 bytes; without NODELAY it can wait 40 ms for a delayed ACK.
        with self._seam("cannot open"):
            self._p.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def read(self, n: int, timeout: float) -> bytes:
        """Up to n bytes within `timeout` (b"" if none came); a closed peer is PrinterOffline."""
        sock: socket.socket | None = getattr(self._p, "device", None) if self._p else None
        if sock is None:
            raise self._not_open()
        with self._seam("reading from"):
            ready, _, _ = select.select([sock], [], [], max(0.0, timeout))
            if not ready:
                return b""
            data = sock.recv(n)
        if not data:
            raise PrinterOffline(f"{self.url} closed the connection")
        return data


class _UsbConnection(_EscposConnection):
    readable = True   # the printer class's IN endpoint carries DLE EOT replies


class _SerialConnection(_Seam):
    readable = True
    hold = True

    def __init__(self, url: str, port: str, baudrate: int, rtscts: bool) -> None:
        self.url, self.port, self.baudrate, self.rtscts = url, port, baudrate, rtscts
        self._s: serial.SerialBase | None = None

    def _errors(self) -> tuple[type[BaseException], ...]:
        import serial

        return (serial.SerialException, ValueError, OSError)

    def open(self) -> None:
        import serial

        with self._seam("cannot open"):
            self._s = serial.serial_for_url(self.port, baudrate=self.baudrate, timeout=0.1,
                                            write_timeout=30, rtscts=self.rtscts, dsrdtr=False)

    def close(self) -> None:
        if self._s is not None:
            with contextlib.suppress(*self._errors()):
                self._s.close()
            self._s = None

    def write(self, data: bytes) -> None:
        if self._s is None:
            raise self._not_open()
        with self._seam("writing to"):
            self._s.write(data)
            self._s.flush()

    def read(self, n: int, timeout: float) -> bytes:
        if self._s is None:
            raise self._not_open()
        with self._seam("reading from"):
            self._s.timeout = max(0.0, timeout)
            return bytes(self._s.read(n))

    def end_job(self) -> None:
        pass


class _LpConnection(_Seam):
    """A raw CUPS queue through `lp -o raw`: python-escpos's CupsPrinter needs pycups, which is
    GPL. A job is buffered and handed to CUPS whole at end_job()."""

    readable = False
    hold = True

    def _errors(self) -> tuple[type[BaseException], ...]:
        return (OSError, subprocess.SubprocessError)

    def __init__(self, url: str, queue: str) -> None:
        self.url, self.queue = url, queue
        self._buf: bytearray | None = None

    def open(self) -> None:
        if shutil.which("lp") is None:
            raise PrinterOffline(f"cannot open {self.url}: the CUPS client `lp` is not installed")
        self._buf = bytearray()

    def close(self) -> None:
        self._buf = None

    def write(self, data: bytes) -> None:
        if self._buf is None:
            raise self._not_open()
        self._buf += data

    def read(self, n: int, timeout: float) -> bytes:
        return b""

    def end_job(self) -> None:
        if not self._buf:
            return
        data, self._buf = bytes(self._buf), bytearray()
        with self._seam("lp failed for"):
            done = subprocess.run(["lp", "-d", self.queue, "-o", "raw"], input=data,
                                  capture_output=True, timeout=30, check=False)
        if done.returncode != 0:
            err = done.stderr.decode(errors="replace").strip()
            raise PrinterOffline(f"{self.url}: lp exit {done.returncode}: {err}")


class MemoryConnection:
    """A printer in memory, as python-escpos's Dummy is: what a job sends is kept in `output`
    (all jobs since the connection was made), and a status request (DLE EOT 1–4, sent on its
    own as the driver sends it) is answered from `status` — all fine unless a test changes it
    (e.g. `status[4] |= N4_END` for paper out). `answer=False`: a printer that never replies."""

    readable = True
    hold = True

    def __init__(self, url: str = "memory://", *, answer: bool = True) -> None:
        self.url = url
        self.answer = answer
        self.status: dict[int, int] = {n: sb.FIXED for n in (1, 2, 3, 4)}
        self.output = bytearray()
        self.jobs = 0
        self.is_open = False
        self._replies = bytearray()

    def open(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.is_open = False
        self._replies.clear()

    def write(self, data: bytes) -> None:
        if not self.is_open:
            raise PrinterOffline(f"{self.url} is not open")
        asked = _status_requests(data)
        if asked is None:
            self.output += data
        elif self.answer:
            self._replies += bytes(self.status[n] for n in asked)

    def read(self, n: int, timeout: float) -> bytes:
        if not self.is_open:
            raise PrinterOffline(f"{self.url} is not open")
        got, self._replies = bytes(self._replies[:n]), self._replies[n:]
        return got

    def end_job(self) -> None:
        self.jobs += 1


def _status_requests(data: bytes) -> list[int] | None:
    """[n, …] when `data` is nothing but DLE EOT n requests, else None."""
    if not data or len(data) % 3:
        return None
    asked = []
    for i in range(0, len(data), 3):
        part = data[i:i + 3]
        if part[:2] != b"\x10\x04" or part[2] not in (1, 2, 3, 4):
            return None
        asked.append(part[2])
    return asked


def _usb_ids(netloc: str, url: str) -> tuple[int, int]:
    try:
        vid, pid = netloc.split(":")
        return int(vid, 16), int(pid, 16)
    except ValueError:
        raise ValueError(f"{url}: expected usb://0xVID:0xPID, e.g. usb://0x0416:0x5011") from None


def baud_of(url: str) -> int:
    """The line speed a URL implies (for wire-time estimates): serial's baudrate, else 115200."""
    query = parse_qs(urlparse(url).query)
    value = query.get("baudrate", ["115200"])[0]
    return int(value) if value.isdigit() else 115200


def _network(u: ParseResult, url: str, timeout_s: float) -> Connection:
    if not u.hostname:
        raise ValueError(f"receipt printer URL {url!r}: no host (e.g. {u.scheme}://10.0.0.5:9100)")
    from escpos.printer import Network

    return _NetworkConnection(url, Network, host=u.hostname, port=u.port or 9100,
                              timeout=timeout_s)


def _serial(u: ParseResult, url: str, timeout_s: float) -> Connection:
    if not u.path:
        raise ValueError(f"receipt printer URL {url!r}: no port (e.g. serial:///dev/ttyUSB0)")
    q = parse_qs(u.query)
    return _SerialConnection(url, u.path, baud_of(url), q.get("rtscts", ["0"])[0] == "1")


def _usb(u: ParseResult, url: str, timeout_s: float) -> Connection:
    vid, pid = _usb_ids(u.netloc, url)
    from escpos.printer import Usb

    return _UsbConnection(url, Usb, idVendor=vid, idProduct=pid, timeout=0)


def _file(u: ParseResult, url: str, timeout_s: float) -> Connection:
    if not u.path:
        raise ValueError(f"receipt printer URL {url!r}: no path (e.g. file:///dev/usb/lp0)")
    from escpos.printer import File

    return _EscposConnection(url, File, devfile=u.path)


def _cups(u: ParseResult, url: str, timeout_s: float) -> Connection:
    if not u.netloc:
        raise ValueError(f"receipt printer URL {url!r}: no queue (e.g. cups://receipt)")
    return _LpConnection(url, u.netloc)


def _memory(u: ParseResult, url: str, timeout_s: float) -> Connection:
    return MemoryConnection(url)


Opener = Callable[[ParseResult, str, float], Connection]

SCHEMES: dict[str, tuple[Opener, str]] = {
    "tcp": (_network, "tcp://host:port"),
    "socket": (_network, "socket://host:port"),
    "serial": (_serial, "serial:///dev/…?baudrate=N"),
    "usb": (_usb, "usb://0xVID:0xPID"),
    "file": (_file, "file:///path"),
    "cups": (_cups, "cups://QUEUE"),
    "memory": (_memory, "memory://"),
}
"""scheme → (how to build its connection, an example for error messages)."""


def connection_for_url(url: str, timeout_s: float) -> Connection:
    """The connection a URL names. Nothing is opened yet. ValueError names a bad URL."""
    u = urlparse(url)
    entry = SCHEMES.get(u.scheme)
    if entry is None:
        examples = ", ".join(example for _, example in SCHEMES.values())
        raise ValueError(f"receipt printer URL {url!r}: unknown scheme {u.scheme!r}; "
                         f"expected one of {examples}")
    return entry[0](u, url, timeout_s)
