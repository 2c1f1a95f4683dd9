"""A minimal IPP/1.1 client (RFC 8010/8011): just the read-only requests the kiosk needs to
follow a CUPS job and show the printer's state, over CUPS's Unix socket or TCP.

Why not lpstat: its output is for people (localised, reworded between CUPS versions) and shows
neither job-state nor printer-state-reasons reliably; IPP attributes are the contract CUPS and
every IPP Everywhere printer keep. Why not pycups: GPL. Submission and cancel stay with `lp`
and `cancel`, which handle CUPS's local authentication for us.
"""

from __future__ import annotations

import http.client
import os
import socket
import struct
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SOCKET = Path("/run/cups/cups.sock")

GET_PRINTER_ATTRIBUTES = 0x000B
GET_JOB_ATTRIBUTES = 0x0009

_OPERATION = 0x01
_END = 0x03
_INTEGER, _BOOLEAN, _ENUM = 0x21, 0x22, 0x23
_URI, _CHARSET, _LANGUAGE, _KEYWORD, _NAME = 0x45, 0x47, 0x48, 0x44, 0x42
_TEXT_TAGS = range(0x40, 0x50)  # text, name, keyword, uri, charset, language, mime …
_STRING_TAGS = range(0x30, 0x40)  # octetString family: text/nameWithLanguage are here too

STATUS_NOT_FOUND = 0x0406

JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED = 3, 4, 5, 6
JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = 7, 8, 9
PRINTER_IDLE, PRINTER_PROCESSING, PRINTER_STOPPED = 3, 4, 5


class IppError(Exception):
    """The CUPS server could not be reached or answered something unreadable."""


IppValue = int | bool | str | bytes
"""An attribute value as decoded here: integer/enum, boolean, text/keyword/URI, else raw."""


@dataclass
class IppResponse:
    status: int
    attributes: dict[str, list[IppValue]] = field(default_factory=dict)

    def first(self, name: str, default: IppValue | None = None) -> IppValue | None:
        values = self.attributes.get(name)
        return values[0] if values else default

    def integer(self, name: str) -> int | None:
        """The attribute's first value when it is an integer or enum (not a boolean)."""
        value = self.first(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def text(self, name: str, default: str = "") -> str:
        value = self.first(name)
        return value if isinstance(value, str) else default

    def flag(self, name: str, default: bool) -> bool:
        value = self.first(name)
        return value if isinstance(value, bool) else default

    def texts(self, name: str) -> list[str]:
        """Every value of a multi-valued text/keyword attribute (others skipped)."""
        return [v for v in self.attributes.get(name, []) if isinstance(v, str)]

    @property
    def ok(self) -> bool:
        return self.status < 0x0100


def cups_server(configured: str = "") -> str:
    """Where CUPS listens, in CUPS's own order: the configured value, $CUPS_SERVER, the local
    socket, localhost:631. A value starting with '/' is a Unix socket."""
    for value in (configured, os.environ.get("CUPS_SERVER", "")):
        if value:
            return value
    return str(DEFAULT_SOCKET) if DEFAULT_SOCKET.exists() else "localhost:631"


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


def _attr(tag: int, name: str, values: list[bytes]) -> bytes:
    out = b""
    for i, value in enumerate(values):
        key = name.encode() if i == 0 else b""
        out += struct.pack(">BH", tag, len(key)) + key + struct.pack(">H", len(value)) + value
    return out


def encode_request(operation: int, request_id: int, printer_uri: str, *,
                   job_id: int | None = None, requested: tuple[str, ...] = ()) -> bytes:
    body = struct.pack(">BBHI", 1, 1, operation, request_id) + bytes([_OPERATION])
    body += _attr(_CHARSET, "attributes-charset", [b"utf-8"])
    body += _attr(_LANGUAGE, "attributes-natural-language", [b"en"])
    body += _attr(_URI, "printer-uri", [printer_uri.encode()])
    if job_id is not None:
        body += _attr(_INTEGER, "job-id", [struct.pack(">i", job_id)])
    body += _attr(_NAME, "requesting-user-name", [b"kiosk"])
    if requested:
        body += _attr(_KEYWORD, "requested-attributes", [r.encode() for r in requested])
    return body + bytes([_END])


def _decode_value(tag: int, raw: bytes) -> IppValue:
    if tag in (_INTEGER, _ENUM) and len(raw) == 4:
        number: int = struct.unpack(">i", raw)[0]
        return number
    if tag == _BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if tag in _TEXT_TAGS or tag in (0x35, 0x36):
        return raw.decode("utf-8", errors="replace")
    return raw


def decode_response(data: bytes) -> IppResponse:
    """Attributes of every group merged by name (the requests here ask about one object)."""
    if len(data) < 9:
        raise IppError(f"IPP response too short ({len(data)} bytes)")
    status = struct.unpack(">H", data[2:4])[0]
    resp = IppResponse(status)
    pos, last = 8, ""
    while pos < len(data):
        tag = data[pos]
        pos += 1
        if tag == _END:
            break
        if tag < 0x10:  # a new attribute group
            continue
        if pos + 2 > len(data):
            raise IppError(f"IPP response truncated at byte {pos}")
        (name_len,) = struct.unpack(">H", data[pos:pos + 2])
        name = data[pos + 2:pos + 2 + name_len].decode("utf-8", errors="replace")
        pos += 2 + name_len
        (value_len,) = struct.unpack(">H", data[pos:pos + 2])
        raw = data[pos + 2:pos + 2 + value_len]
        pos += 2 + value_len
        if name:
            last = name
            resp.attributes.setdefault(name, [])
        resp.attributes.setdefault(last, []).append(_decode_value(tag, raw))
    return resp


class IppClient:
    """Posts IPP requests to one CUPS server. Stateless: a connection per request, so it is
    safe to share between the UI's worker threads."""

    def __init__(self, server: str = "", timeout: float = 5.0) -> None:
        self.server = cups_server(server)
        self.timeout = timeout
        self._request_id = 0

    def _connection(self) -> http.client.HTTPConnection:
        if self.server.startswith("/"):
            return _UnixConnection(self.server, self.timeout)
        host, _, port = self.server.partition(":")
        return http.client.HTTPConnection(host, int(port or 631), timeout=self.timeout)

    def printer_uri(self, queue: str) -> str:
        return f"ipp://localhost/printers/{queue}"

    def request(self, operation: int, queue: str, *, job_id: int | None = None,
                requested: tuple[str, ...] = ()) -> IppResponse:
        self._request_id += 1
        body = encode_request(operation, self._request_id, self.printer_uri(queue),
                              job_id=job_id, requested=requested)
        path = f"/printers/{queue}" if job_id is None else "/jobs"
        conn = self._connection()
        try:
            conn.request("POST", path, body, {"Content-Type": "application/ipp"})
            reply = conn.getresponse()
            data = reply.read()
        except (OSError, http.client.HTTPException) as exc:
            raise IppError(f"CUPS at {self.server} not reachable: {exc}") from exc
        finally:
            conn.close()
        if reply.status != 200:
            raise IppError(f"CUPS at {self.server} answered HTTP {reply.status} for {path}")
        return decode_response(data)
