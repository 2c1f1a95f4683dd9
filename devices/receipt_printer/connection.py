"""Connections to a receipt printer, chosen by URL (the pyserial way: configuration, not code,
decides where the bytes go):

    tcp://HOST[:PORT]                  network printer, raw port 9100   python-escpos Network
    serial:///dev/ttyUSB0?baudrate=N   serial port or pty               pyserial serial_for_url
    usb://0xVID:0xPID                  USB printer class                python-escpos Usb
    file:///path                       bytes to a file or device        python-escpos File
    cups://QUEUE                       a raw CUPS queue                 lp -o raw (pycups is GPL)

Serial goes through pyserial directly: python-escpos's Serial opens `serial.Serial` (no URLs,
so no pty or socket:// ports) and defaults to 9600 baud with DSR/DTR flow control on, which
stalls printers wired without DSR. file:// and cups:// cannot read, so they have no status.
A USB printer needs pyusb (and libusb-1.0).
"""

from __future__ import annotations

import contextlib
import select
import shutil
import socket
import subprocess
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

from devices.receipt_printer.errors import PrinterOffline


class Connection(Protocol):
    url: str
    readable: bool

    def open(self) -> None: ...
    def close(self) -> None: ...
    def write(self, data: bytes) -> None: ...
    def read(self, n: int, timeout: float) -> bytes: ...
    def end_job(self) -> None: ...


class _EscposConnection:
    """A python-escpos printer object used as a pipe: `_raw` to send, `_read` to receive."""

    readable = False

    def __init__(self, url: str, factory: Any, **kwargs: Any) -> None:
        self.url = url
        self._factory, self._kwargs = factory, kwargs
        self._p: Any = None

    def open(self) -> None:
        from escpos.exceptions import Error as EscposError

        usable = getattr(self._factory, "is_usable", lambda: True)
        if not usable():
            raise PrinterOffline(f"cannot open {self.url}: python-escpos lacks the library for "
                                 f"{self._factory.__name__} (see pyproject.toml)")
        try:
            self._p = self._factory(**self._kwargs)
            self._p.open()
        except (EscposError, OSError, ValueError, RuntimeError) as exc:
            self._p = None
            raise PrinterOffline(f"cannot open {self.url}: {exc}") from exc

    def close(self) -> None:
        if self._p is not None:
            with contextlib.suppress(OSError):
                self._p.close()
            self._p = None

    def write(self, data: bytes) -> None:
        if self._p is None:
            raise PrinterOffline(f"{self.url} is not open")
        try:
            self._p._raw(data)
        except OSError as exc:
            raise PrinterOffline(f"writing to {self.url}: {exc}") from exc

    def read(self, n: int, timeout: float) -> bytes:
        if self._p is None:
            raise PrinterOffline(f"{self.url} is not open")
        try:
            return bytes(self._p._read())[:n]
        except Exception as exc:   # pyusb raises its own USBError (an IOError) or timeouts
            raise PrinterOffline(f"reading from {self.url}: {exc}") from exc

    def end_job(self) -> None:
        send = getattr(self._p, "send", None)   # CUPS spools until the job is sent
        if callable(send):
            send()


class _NetworkConnection(_EscposConnection):
    readable = True

    def open(self) -> None:
        super().open()
        # A status request is 12 bytes; without NODELAY it can wait 40 ms for a delayed ACK.
        self._p.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def read(self, n: int, timeout: float) -> bytes:
        """Up to n bytes within `timeout` (b"" if none came); a closed peer is PrinterOffline."""
        sock: socket.socket | None = getattr(self._p, "device", None) if self._p else None
        if sock is None:
            raise PrinterOffline(f"{self.url} is not open")
        try:
            ready, _, _ = select.select([sock], [], [], max(0.0, timeout))
            if not ready:
                return b""
            data = sock.recv(n)
        except OSError as exc:
            raise PrinterOffline(f"reading from {self.url}: {exc}") from exc
        if not data:
            raise PrinterOffline(f"{self.url} closed the connection")
        return data


class _UsbConnection(_EscposConnection):
    readable = True   # the printer class's IN endpoint carries DLE EOT replies


class _SerialConnection:
    readable = True

    def __init__(self, url: str, port: str, baudrate: int, rtscts: bool) -> None:
        self.url, self.port, self.baudrate, self.rtscts = url, port, baudrate, rtscts
        self._s: Any = None

    def open(self) -> None:
        import serial

        try:
            self._s = serial.serial_for_url(self.port, baudrate=self.baudrate, timeout=0.1,
                                            write_timeout=30, rtscts=self.rtscts, dsrdtr=False)
        except (serial.SerialException, ValueError, OSError) as exc:
            raise PrinterOffline(f"cannot open {self.url}: {exc}") from exc

    def close(self) -> None:
        if self._s is not None:
            self._s.close()
            self._s = None

    def write(self, data: bytes) -> None:
        import serial

        if self._s is None:
            raise PrinterOffline(f"{self.url} is not open")
        try:
            self._s.write(data)
            self._s.flush()
        except (serial.SerialException, OSError) as exc:
            raise PrinterOffline(f"writing to {self.url}: {exc}") from exc

    def read(self, n: int, timeout: float) -> bytes:
        import serial

        if self._s is None:
            raise PrinterOffline(f"{self.url} is not open")
        try:
            self._s.timeout = max(0.0, timeout)
            return bytes(self._s.read(n))
        except (serial.SerialException, OSError) as exc:
            raise PrinterOffline(f"reading from {self.url}: {exc}") from exc

    def end_job(self) -> None:
        pass


class _LpConnection:
    """A raw CUPS queue through `lp -o raw`: python-escpos's CupsPrinter needs pycups, which is
    GPL. A job is buffered and handed to CUPS whole at end_job()."""

    readable = False

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
            raise PrinterOffline(f"{self.url} is not open")
        self._buf += data

    def read(self, n: int, timeout: float) -> bytes:
        return b""

    def end_job(self) -> None:
        if not self._buf:
            return
        data, self._buf = bytes(self._buf), bytearray()
        try:
            done = subprocess.run(["lp", "-d", self.queue, "-o", "raw"], input=data,
                                  capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PrinterOffline(f"{self.url}: lp failed: {exc}") from exc
        if done.returncode != 0:
            err = done.stderr.decode(errors="replace").strip()
            raise PrinterOffline(f"{self.url}: lp exit {done.returncode}: {err}")


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


def connection_for_url(url: str, timeout_s: float) -> Connection:
    """The connection a URL names. Nothing is opened yet. ValueError names a bad URL."""
    u = urlparse(url)
    if u.scheme == "tcp" and u.hostname:
        from escpos.printer import Network

        return _NetworkConnection(url, Network, host=u.hostname, port=u.port or 9100,
                                  timeout=timeout_s)
    if u.scheme == "serial" and u.path:
        q = parse_qs(u.query)
        return _SerialConnection(url, u.path, baud_of(url), q.get("rtscts", ["0"])[0] == "1")
    if u.scheme == "usb":
        from escpos.printer import Usb

        vid, pid = _usb_ids(u.netloc, url)
        return _UsbConnection(url, Usb, idVendor=vid, idProduct=pid, timeout=0)
    if u.scheme == "file" and u.path:
        from escpos.printer import File

        return _EscposConnection(url, File, devfile=u.path)
    if u.scheme == "cups" and u.netloc:
        return _LpConnection(url, u.netloc)
    raise ValueError(f"receipt printer URL {url!r}: expected tcp://host:port, serial:///dev/…"
                     f"?baudrate=N, usb://0xVID:0xPID, file:///path or cups://QUEUE")
