"""One open port to a SAM reader: send a command, wait for its reply frame.

Transport only (pyserial `serial_for_url`, so a device path, socket://, loop://, spy:// and
hwgrep:// all work); the frame codec is frames.py and the polling logic reader.py.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from devices.errors import ReaderError
from devices.id_reader import frames
from devices.id_reader.sw import Sw3, describe

log = logging.getLogger(__name__)


class PortUnavailable(ReaderError):
    """The port cannot be opened or was lost (unplugged cable, reader gone, socket closed)."""


class ReplyTimeout(ReaderError):
    """The reader sent no valid reply in time."""


@dataclass(frozen=True)
class Op:
    """A command and what its successful reply looks like.

    A successful reply carries `ok_min`..`ok_max` data bytes. Replies of a shape another
    command would give (a late reply to an earlier, timed-out command) are discarded as stale.
    """

    name: str
    cmd: int
    para: int
    ok_min: int = 0
    ok_max: int = 0
    ok_code: int = Sw3.SUCCESS

    def frame(self) -> bytes:
        return frames.build_command(self.cmd, self.para)

    def accepts(self, r: frames.Response) -> bool:
        if r.sw3 == self.ok_code:
            return self.ok_min <= len(r.data) <= self.ok_max
        # A success or find code of another command's shape is a stale reply.
        return r.sw3 not in (Sw3.SUCCESS, Sw3.FIND_OK, Sw3.NO_CARD) or (self is FIND and not r.data)


RESET = Op("reset SAM", 0x10, 0xFF)
SAM_STATUS = Op("SAM status", 0x11, 0xFF)
SAM_ID = Op("read SAM id", 0x12, 0xFF, 16, 16)
FIND = Op("find card", 0x20, 0x01, 4, 4, ok_code=Sw3.FIND_OK)
SELECT = Op("select card", 0x20, 0x02, 8, 8)
# Read replies hold the lengths, the 256-byte text block and the photo (and fingerprint).
READ = Op("read text+photo", 0x30, 0x01, 4 + 256, frames.MAX_LENGTH)
READ_FP = Op("read text+photo+fingerprint", 0x30, 0x10, 6 + 256, frames.MAX_LENGTH)
ADDRESS = Op("read appended address", 0x30, 0x03, 70, 70)


class SamLink:
    """Commands and replies over one pyserial port. Not thread-safe: one owner thread."""

    def __init__(self, port: str, baudrate: int = 115200) -> None:
        self.port = port
        self.baudrate = baudrate
        self._ser: Any = None
        self._parser = frames.StreamParser()

    @property
    def is_open(self) -> bool:
        return self._ser is not None

    def open(self) -> None:
        import serial  # pyserial: imported here so `kiosk --help` stays fast

        if self.port.startswith("spy://"):
            # spy:// hex-dumps every byte, card text included: for a technician's bench only.
            log.warning("id reader on %s: spy:// dumps card data in hex; never use it in a "
                        "service hall", self.port)
        try:
            self._ser = serial.serial_for_url(self.port, baudrate=self.baudrate, timeout=0.1,
                                              write_timeout=1.0)
        except ValueError as exc:  # unknown URL scheme or bad parameter: not transient
            raise ReaderError(f"id_reader.port {self.port!r}: {exc}") from exc
        except (serial.SerialException, OSError) as exc:
            raise PortUnavailable(f"cannot open {self.port}: {exc}") from exc
        self._parser.reset()

    def close(self) -> None:
        ser, self._ser = self._ser, None
        if ser is not None:
            try:
                ser.close()
            except Exception as exc:  # closing a vanished device may fail; it is gone anyway
                log.debug("closing %s: %s", self.port, exc)

    def transact(self, op: Op, timeout_s: float) -> frames.Response:
        """Flush, send `op`, return its reply; stale replies are skipped."""
        import termios

        import serial

        if self._ser is None:
            raise PortUnavailable(f"{self.port} is not open")
        try:
            self._ser.reset_input_buffer()
            self._parser.reset()
            self._ser.write(op.frame())
            return self._await(op, timeout_s)
        except (serial.SerialException, OSError, termios.error) as exc:
            self.close()
            raise PortUnavailable(f"{self.port} lost during {op.name}: {exc}") from exc

    def _await(self, op: Op, timeout_s: float) -> frames.Response:
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            self._ser.timeout = left
            chunk = self._ser.read(self._parser.wanted())
            for frame in self._parser.feed(chunk):
                try:
                    reply = frames.parse_response(frame)
                except frames.FrameError as exc:  # e.g. our own command echoed by loop://
                    log.debug("%s on %s: not a reply: %s", op.name, self.port, exc)
                    continue
                if op.accepts(reply):
                    log.debug("%s on %s: %s", op.name, self.port, describe(reply.sw3))
                    return reply
                log.debug("%s on %s: discarded a stale reply (%s, %d data bytes)",
                          op.name, self.port, describe(reply.sw3), len(reply.data))
        raise ReplyTimeout(f"{self.port}: no valid reply to {op.name} within {timeout_s:.2f} s "
                           f"({self._parser.pending} bytes of a partial frame)")
