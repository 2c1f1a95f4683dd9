"""The ID card reader: open → SAM check → poll (find → select → read) on a worker thread.

Events go on a queue.Queue for the main loop (device threads never touch the UI). A card left
on the reader is reported once; presenting it again is a new read. A pulled cable or a
replugged reader is retried every `reconnect_s` without a restart. Card data never reaches a
log line: only SW3 names, byte counts and the card type are logged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import queue
import threading
import time
from dataclasses import dataclass

from devices.errors import ReaderError
from devices.id_reader import link as ops
from devices.id_reader.events import (
    CardRead,
    CardReadFailed,
    CardRemoved,
    ReaderEvent,
    reader_status,
)
from devices.id_reader.frames import Response
from devices.id_reader.link import PortUnavailable, ReplyTimeout, SamLink
from devices.id_reader.photo import PhotoDecoder
from devices.id_reader.record import IdCardRecord
from devices.id_reader.sw import SAM_FAILURES, Sw3, describe
from devices.id_reader.text import (
    TextBlockError,
    parse_appended_address,
    parse_text_block,
    split_read_data,
)
from devices.status import DeviceState, EventSink

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReaderStatus:
    state: DeviceState
    detail: str
    sam_id: str = ""


@dataclass(frozen=True)
class Timeouts:
    """Reply time-outs, from the ranges seen in open implementations."""

    sam_s: float = 0.5
    card_s: float = 0.5   # find / select
    read_s: float = 3.0   # text + photo (≈112 ms of wire time at 115200)


class SamFailure(ReaderError):
    """The SAM answered with a code meaning it is unusable (60 self-test, 66 not authorised)."""


class CardNotRead(ReaderError):
    """`read_card` got no record: `reason` says why for engineers — no card came, a card came
    but could not be read (the last failure: a time-out, a bad checksum, bad card data), or
    the reader dropped out. Never card data. `unreadable`: a card was there."""

    def __init__(self, reason: str, unreadable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unreadable = unreadable


def format_sam_id(data: bytes) -> str:
    """The 16-byte SAM id as vendor tools print it, e.g. 05.01-20101010-000012345-123456789.

    Layout as HslCommunication's SAMSerial reads it (one public source, not the standard):
    byte 0 and byte 2 as two digits each, then three little-endian 32-bit numbers at 4, 8, 12
    (the last two zero-padded to 9 digits). Any other length is shown in hex.
    """
    if len(data) != 16:
        return data.hex().upper()
    n1, n2, n3 = (int.from_bytes(data[i:i + 4], "little") for i in (4, 8, 12))
    return f"{data[0]:02d}.{data[2]:02d}-{n1}-{n2:09d}-{n3:09d}"


class IdReader:
    """A SAM ID card reader on a pyserial URL. No I/O until open()."""

    def __init__(self, port: str, baudrate: int = 115200, poll_interval_s: float = 0.5,
                 events: EventSink[ReaderEvent] | None = None, *,
                 timeouts: Timeouts | None = None, reconnect_s: float = 1.0,
                 read_fingerprint: bool = False, read_appended_address: bool = True,
                 photo_decoder: PhotoDecoder | None = None) -> None:
        self.port = port
        self.poll_interval_s = poll_interval_s
        self.events = events
        self.timeouts = timeouts or Timeouts()
        self.reconnect_s = reconnect_s
        self.read_fingerprint = read_fingerprint
        self.read_appended_address = read_appended_address
        self.photo_decoder = photo_decoder
        self._link = SamLink(port, baudrate)
        self._lock = threading.Lock()          # one transaction at a time on the port
        self._status = ReaderStatus(DeviceState.OFFLINE, "not opened")
        self._held: bytes | None = None        # digest of the card on the reader, memory only
        self._misses = 0                       # polls in a row without a valid reply
        self._reported_last_poll = False       # the previous find answered 9F
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._waiters: list[queue.Queue[IdCardRecord]] = []
        self._last_failure: tuple[float, str] = (0.0, "")   # (monotonic time, reason)

    # --- public ------------------------------------------------------------------------

    def open(self, poll: bool = True) -> None:
        """Connect and check the SAM; with `poll`, start the worker thread.

        A missing or silent reader is not an error here: the status says so and the worker
        keeps trying, so a reader plugged in later is found without a restart.
        """
        self._stop.clear()
        with self._lock:
            self._connect()
        if poll and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="id-reader", daemon=True)
            self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeouts.read_s + 1.0)
            self._thread = None
        with self._lock:
            self._link.close()
        self._held = None
        self._set_status(DeviceState.OFFLINE, "closed", "")

    def status(self) -> ReaderStatus:
        return self._status

    def read_card(self, timeout_s: float) -> IdCardRecord:
        """Wait up to `timeout_s` for a newly presented card; CardNotRead says why not (the
        last failed read of a card that was there, or the reader's state, or no card)."""
        start = time.monotonic()
        record = self.read_once(timeout_s)
        if record is not None:
            return record
        at, reason = self._last_failure
        if at >= start:
            raise CardNotRead(f"a card was on the reader but could not be read: {reason}",
                              unreadable=True)
        st = self._status
        if st.state is not DeviceState.ONLINE:
            raise CardNotRead(f"the reader on {self.port} is {st.state.value}: {st.detail}")
        raise CardNotRead(f"no card within {timeout_s:g} s")

    def read_once(self, timeout_s: float) -> IdCardRecord | None:
        """Wait up to `timeout_s` for a newly presented card (for the CLI and tools)."""
        if self._thread is not None:
            return self._wait_for_worker(timeout_s)
        deadline = time.monotonic() + timeout_s
        self._reported_last_poll = False  # the last poll may be long ago: any card is new
        while time.monotonic() < deadline:
            with self._lock:
                record = self._step()
            if record is not None:
                return record
            time.sleep(min(self.poll_interval_s, max(0.0, deadline - time.monotonic())))
        return None

    # --- worker ------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                try:
                    self._step()
                except Exception as exc:  # the worker must outlive any surprise; retry later
                    log.error("id reader %s: unexpected %s: %s", self.port,
                              type(exc).__name__, exc)
                    self._link.close()
                    self._set_status(DeviceState.OFFLINE, f"unexpected {type(exc).__name__}", "")
            pause = (self.poll_interval_s if self._status.state is DeviceState.ONLINE
                     else self.reconnect_s)
            self._stop.wait(pause)

    def _step(self) -> IdCardRecord | None:
        """One poll, or one reconnect attempt when the reader is not ONLINE."""
        if not self._online():
            self._connect()
            if not self._online():
                return None
        try:
            record = self._poll()
            self._misses = 0
            return record
        except PortUnavailable as exc:
            self._set_status(DeviceState.NO_DEVICE, str(exc), "")
        except ReplyTimeout as exc:
            # One lost reply is noise on the line; two in a row is a reader gone silent.
            self._misses += 1
            log.debug("id reader %s: %s", self.port, exc)
            if self._misses >= 2:
                self._link.close()
                self._set_status(DeviceState.OFFLINE, str(exc), "")
        except SamFailure as exc:
            self._set_status(DeviceState.HW_ERROR, str(exc), self._status.sam_id)
        return None

    def _online(self) -> bool:
        return self._status.state is DeviceState.ONLINE

    def _connect(self) -> None:
        try:
            if not self._link.is_open:
                self._link.open()
            sam_id = self._check_sam()
        except PortUnavailable as exc:
            self._set_status(DeviceState.NO_DEVICE, str(exc), "")
        except ReplyTimeout as exc:
            self._link.close()
            self._set_status(DeviceState.OFFLINE, str(exc), "")
        except SamFailure as exc:
            self._set_status(DeviceState.HW_ERROR, str(exc), "")
        else:
            self._set_status(DeviceState.ONLINE, f"reader on {self.port}", sam_id)

    def _check_sam(self) -> str:
        reply = self._link.transact(ops.SAM_STATUS, self.timeouts.sam_s)
        if reply.sw3 != Sw3.SUCCESS:
            # One reset, then ask again: a SAM that fails twice is broken hardware.
            self._link.transact(ops.RESET, self.timeouts.sam_s)
            reply = self._link.transact(ops.SAM_STATUS, self.timeouts.sam_s)
            if reply.sw3 != Sw3.SUCCESS:
                raise SamFailure(f"{self.port}: SAM status {describe(reply.sw3)}")
        ident = self._link.transact(ops.SAM_ID, self.timeouts.sam_s)
        return format_sam_id(ident.data) if ident.sw3 == Sw3.SUCCESS else ""

    def _poll(self) -> IdCardRecord | None:
        found = self._command(ops.FIND, self.timeouts.card_s)
        seen_before, self._reported_last_poll = self._reported_last_poll, found.sw3 == Sw3.FIND_OK
        if found.sw3 == Sw3.FIND_OK:
            return self._read_card(seen_before)
        if found.sw3 == Sw3.NO_CARD and self._held is not None:
            self._check_still_there()
        elif found.sw3 != Sw3.NO_CARD:
            log.debug("find card on %s: %s", self.port, describe(found.sw3))
        return None

    def _check_still_there(self) -> None:
        """The reader stops reporting a card it has read; select tells if it is still there."""
        probe = self._command(ops.SELECT, self.timeouts.card_s)
        if probe.sw3 != Sw3.SUCCESS:
            self._held = None
            log.info("card removed from %s", self.port)
            self._emit(CardRemoved())

    def _read_card(self, seen_before: bool) -> IdCardRecord | None:
        try:
            return self._read_card_unchecked(seen_before)
        except ReplyTimeout as exc:
            self._failed(f"time-out: {exc}")
        except TextBlockError as exc:
            self._failed(f"bad card data: {exc}")
        return None

    def _read_card_unchecked(self, seen_before: bool) -> IdCardRecord | None:
        selected = self._command(ops.SELECT, self.timeouts.card_s)
        if selected.sw3 != Sw3.SUCCESS:
            self._failed(describe(selected.sw3))
            return None
        op = ops.READ_FP if self.read_fingerprint else ops.READ
        reply = self._command(op, self.timeouts.read_s)
        if reply.sw3 != Sw3.SUCCESS:
            self._failed(describe(reply.sw3))
            return None
        text, photo, fingerprint = split_read_data(reply.data, self.read_fingerprint)
        digest = hashlib.blake2b(text, digest_size=16).digest()
        if seen_before and digest == self._held:
            # A reader that reports a card left on it at every poll: not a new read. (One that
            # reports it only when presented again answers 80 in between.)
            return None
        record = self._complete(parse_text_block(text, photo, fingerprint))
        self._held = digest
        log.info("card read on %s: %s card, check digit %s", self.port,
                 record.card_type.value, "ok" if record.id_number_valid else "BAD")
        self._emit(CardRead(record))
        for waiter in list(self._waiters):
            waiter.put(record)
        return record

    def _complete(self, record: IdCardRecord) -> IdCardRecord:
        """Add the appended address and, with a plug-in, the decoded photo."""
        if self.read_appended_address:
            reply = self._command(ops.ADDRESS, self.timeouts.card_s)
            if reply.sw3 == Sw3.SUCCESS:
                record = dataclasses.replace(
                    record, appended_address=parse_appended_address(reply.data))
        if self.photo_decoder is not None and record.photo_raw:
            try:
                image = self.photo_decoder.decode(record.photo_raw)
            except Exception as exc:  # a vendor library's failure must not lose the read
                log.warning("photo decoder failed: %s", type(exc).__name__)
            else:
                record = dataclasses.replace(record, photo_image=image)
        return record

    def _command(self, op: ops.Op, timeout_s: float) -> Response:
        reply = self._link.transact(op, timeout_s)
        if reply.sw3 in SAM_FAILURES:
            raise SamFailure(f"{self.port}: {op.name}: {describe(reply.sw3)}")
        return reply

    def _failed(self, reason: str) -> None:
        self._reported_last_poll = False  # the retry of a failed read is not a re-report
        self._last_failure = (time.monotonic(), reason)
        log.info("card read failed on %s: %s", self.port, reason)
        self._emit(CardReadFailed(reason))

    # --- events ------------------------------------------------------------------------

    def _set_status(self, state: DeviceState, detail: str, sam_id: str) -> None:
        old = self._status
        self._status = ReaderStatus(state, detail, sam_id)
        if (old.state, old.sam_id) != (state, sam_id):
            log.info("id reader %s: %s (%s)", self.port, state.value, detail)
            self._emit(reader_status(state, detail, sam_id))

    def _emit(self, event: ReaderEvent) -> None:
        if self.events is not None:
            self.events.put(event)

    def _wait_for_worker(self, timeout_s: float) -> IdCardRecord | None:
        waiter: queue.Queue[IdCardRecord] = queue.Queue()
        self._waiters.append(waiter)
        try:
            return waiter.get(timeout=timeout_s)
        except queue.Empty:
            return None
        finally:
            self._waiters.remove(waiter)
