"""The SAM frame codec: pure bytes in, bytes out, no I/O (transport lives in link.py).

    AA AA AA 96 69 | LEN_HI LEN_LO | body … | CHK
    CHK = XOR of every byte from LEN_HI to the last body byte; LEN counts body + CHK.

The stream parser reads the header, then exactly `length` more bytes, and resynchronises on
the preamble after garbage. A bad checksum or an impossible length drops only the first
preamble byte, so a real frame hidden inside a false candidate is still found.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import reduce
from operator import xor

from devices.errors import ReaderError
from devices.id_reader.sw import describe

log = logging.getLogger(__name__)

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2
#: CMD + PARA + CHK is the shortest body; SW1 SW2 SW3 + CHK the shortest reply.
MIN_LENGTH = 3
#: The longest documented reply is 30 10 with a 1024-byte fingerprint: 2321 - 7 bytes.
MAX_LENGTH = 2321 - HEADER_LEN


class FrameError(ReaderError):
    """A frame could not be built or decoded; the message names the byte concerned."""


def checksum(data: bytes) -> int:
    """XOR of all bytes (the protocol's only integrity check)."""
    return reduce(xor, data, 0)


def build_frame(body: bytes) -> bytes:
    """Wrap a body (CMD PARA DATA or SW1 SW2 SW3 DATA) into a full frame."""
    length = len(body) + 1
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise FrameError(f"frame body of {len(body)} bytes: length must be "
                         f"{MIN_LENGTH}..{MAX_LENGTH} including the checksum")
    counted = length.to_bytes(2, "big") + body
    return PREAMBLE + counted + bytes([checksum(counted)])


def build_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    """A host → reader frame, checksum computed."""
    return build_frame(bytes([cmd, para]) + data)


def build_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """A reader → host frame (used by the simulator and tests)."""
    return build_frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Response:
    """A reply: the reader's status in sw3, card APDU status in sw1/sw2."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes

    def __repr__(self) -> str:
        # The data of a read reply is a citizen's card: never show it, only its size.
        return f"Response({describe(self.sw3)}, {len(self.data)} data bytes)"


@dataclass(frozen=True)
class Command:
    cmd: int
    para: int
    data: bytes

    def __repr__(self) -> str:
        return f"Command({self.cmd:02X} {self.para:02X}, {len(self.data)} data bytes)"


def frame_body(frame: bytes) -> bytes:
    """Check one complete frame and return its body (without length and checksum)."""
    if not frame.startswith(PREAMBLE):
        raise FrameError(f"byte 0: expected preamble {PREAMBLE.hex(' ')}, "
                         f"got {frame[:5].hex(' ')}")
    if len(frame) < HEADER_LEN:
        raise FrameError(f"frame of {len(frame)} bytes is shorter than its 7-byte header")
    length = int.from_bytes(frame[5:7], "big")
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise FrameError(f"bytes 5-6: impossible length {length}")
    if len(frame) != HEADER_LEN + length:
        raise FrameError(f"length field says {HEADER_LEN + length} bytes in all, "
                         f"frame has {len(frame)}")
    expected = checksum(frame[5:-1])
    if frame[-1] != expected:
        raise FrameError(f"byte {len(frame) - 1}: checksum 0x{frame[-1]:02X}, "
                         f"expected 0x{expected:02X}")
    return frame[7:-1]


def parse_response(frame: bytes) -> Response:
    body = frame_body(frame)
    if len(body) < 3:
        raise FrameError(f"reply body of {len(body)} bytes has no SW1 SW2 SW3")
    return Response(body[0], body[1], body[2], body[3:])


def parse_command(frame: bytes) -> Command:
    body = frame_body(frame)
    return Command(body[0], body[1], body[2:])


class StreamParser:
    """Turns arbitrary chunks of a byte stream into complete, checksum-valid frames.

    Never raises on bad input: garbage is skipped (and counted in `dropped`), bad frames are
    counted in `rejected`. `reset()` forgets a partial frame, e.g. after a time-out.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self.dropped = 0
        self.rejected = 0

    def reset(self) -> None:
        self._buf.clear()

    @property
    def pending(self) -> int:
        """Bytes held waiting for the rest of a frame."""
        return len(self._buf)

    def wanted(self) -> int:
        """Bytes still needed to complete the frame being assembled (at least 1).

        Lets the transport read by length: the header, then exactly the rest of the frame.
        """
        if len(self._buf) < HEADER_LEN or not self._buf.startswith(PREAMBLE):
            return max(1, HEADER_LEN - len(self._buf))
        length = int.from_bytes(self._buf[5:7], "big")
        return max(1, HEADER_LEN + length - len(self._buf))

    def feed(self, chunk: bytes) -> list[bytes]:
        """Add bytes; return every complete valid frame now available, in order."""
        self._buf += chunk
        frames: list[bytes] = []
        while True:
            frame = self._next()
            if frame is None:
                return frames
            frames.append(frame)

    def _next(self) -> bytes | None:
        while True:
            if not self._sync():
                return None
            if len(self._buf) < HEADER_LEN:
                return None
            length = int.from_bytes(self._buf[5:7], "big")
            if not MIN_LENGTH <= length <= MAX_LENGTH:
                self._reject(f"impossible length {length}")
                continue
            if len(self._buf) < HEADER_LEN + length:
                return None
            frame = bytes(self._buf[:HEADER_LEN + length])
            if checksum(frame[5:-1]) != frame[-1]:
                self._reject(f"bad checksum in a {len(frame)}-byte frame")
                continue
            del self._buf[:len(frame)]
            return frame

    def _reject(self, why: str) -> None:
        log.debug("frame rejected: %s; resynchronising", why)
        self.rejected += 1
        del self._buf[:1]

    def _sync(self) -> bool:
        """Drop bytes before the preamble; keep a possible partial preamble at the end."""
        at = self._buf.find(PREAMBLE)
        if at < 0:
            keep = _partial_preamble_tail(self._buf)
            self.dropped += len(self._buf) - keep
            del self._buf[:len(self._buf) - keep]
            return False
        if at:
            self.dropped += at
            del self._buf[:at]
        return True


def _partial_preamble_tail(buf: bytearray) -> int:
    """How many bytes at the end of buf could begin a preamble."""
    for n in range(min(len(buf), len(PREAMBLE) - 1), 0, -1):
        if buf[-n:] == PREAMBLE[:n]:
            return n
    return 0
