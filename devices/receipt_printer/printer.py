"""The receipt printer driver: status before and after each job, an outcome for every job,
reconnection with back-off. It never raises for a device fault: callers get a JobOutcome (the
queue counts a ticket only when `ok`) and StatusUpdate events on `events`.

Thread-safe: the UI prints from a worker thread while a monitor may poll `status()`; one lock
serialises them, so a status query never lands in the middle of a job's bytes.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from itertools import count

from devices import messages
from devices.outcome import JobOutcome
from devices.receipt_printer import status_bits as sb
from devices.receipt_printer.connection import Connection, baud_of, connection_for_url
from devices.receipt_printer.document import ReceiptDocument
from devices.receipt_printer.errors import CoverOpen, PaperOut, PrinterOffline
from devices.receipt_printer.escpos_render import ProfileSpec, render
from devices.status import (
    CoverState,
    CutterState,
    DeviceEvent,
    DeviceState,
    EventSink,
    JobProgress,
    PaperState,
    StatusUpdate,
)

log = logging.getLogger(__name__)
DEVICE = "receipt_printer"

MSG_FAULT = messages.RECEIPT_FAULT
MSG_INCOMPLETE = messages.RECEIPT_INCOMPLETE
NO_REPLY = "no status reply"
NO_REPLY_AFTER_S = 1.0     # a job's status request unanswered this long: say so (JobProgress)


def _events(before: sb.PrinterStatus | None, now: sb.PrinterStatus) -> list[str]:
    """UnifiedPOS StatusUpdateEvent names for what changed (all abnormal states at first)."""
    start = before is None
    b = before or sb.PrinterStatus(reachable=True, paper=PaperState.FULL,
                                   cover=CoverState.CLOSED, cutter=CutterState.OK)
    out: list[str] = []
    if start or b.reachable != now.reachable:
        out.append("PS_ONLINE" if now.reachable else "PS_OFF_OFFLINE")
    if now.reachable and now.paper is not PaperState.UNKNOWN and b.paper != now.paper:
        out.append({PaperState.OUT: "REC_EMPTY", PaperState.LOW: "REC_NEAREMPTY"}
                   .get(now.paper, "REC_PAPEROK"))
    if now.reachable and now.cover is not CoverState.UNKNOWN and b.cover != now.cover:
        out.append("COVER_OPEN" if now.cover is CoverState.OPEN else "COVER_OK")
    if now.reachable and now.cutter is not CutterState.UNKNOWN and b.cutter != now.cutter:
        out.append("CUTTER_ERROR" if now.cutter is CutterState.ERROR else "CUTTER_OK")
    return out


def _refusal(st: sb.PrinterStatus) -> tuple[str, str]:
    """(cause for engineers, message for the citizen) when a job cannot finish."""
    if not st.reachable:
        return f"OFFLINE: {st.detail}", PrinterOffline.citizen_message
    if st.paper is PaperState.OUT:
        return "REC_EMPTY", PaperOut.citizen_message
    if st.cover is CoverState.OPEN:
        return "COVER_OPEN", CoverOpen.citizen_message
    if st.device is DeviceState.HW_ERROR:
        return f"HW_ERROR: {st.detail}", MSG_FAULT
    return f"{st.device.value}: {st.detail}", PrinterOffline.citizen_message


class ReceiptPrinter:
    def __init__(self, url: str, profile: ProfileSpec, timeout_s: float = 5.0,
                 events: EventSink[DeviceEvent] | None = None, *,
                 backoff_s: tuple[float, float] = (0.5, 30.0), hold: bool | None = None,
                 connection: Connection | None = None) -> None:
        """`connection`: use this one instead of the one `url` names (a MemoryConnection in
        unit tests); nothing is opened here."""
        self.url = url
        self._given = connection
        # None: as the connection says (serial/USB are ours alone and stay open; a network
        # printer is connected per operation: its raw port serves one client at a time).
        self.hold = hold
        self.profile = profile
        self.timeout_s = timeout_s
        self.events = events
        self._backoff = backoff_s
        self._delay = backoff_s[0]
        self._retry_at = 0.0
        self._lock = threading.RLock()
        self._conn: Connection | None = None
        self._last: sb.PrinterStatus | None = None
        self._read_at = 0.0                  # monotonic time of the last reading
        self._jobs = count(1)
        self._monitor: threading.Thread | None = None
        self._monitor_stop = threading.Event()

    # ---- lifecycle ---------------------------------------------------------------------------

    def open(self, probe: bool = True) -> None:
        """Connect now. A printer that is not there is not an error: it is OFFLINE, and
        `status()`/`print_document()` keep trying with back-off. `probe=False`: check the URL
        only and read nothing — for a command about to print, whose job reads the status
        anyway (a silent printer would otherwise cost the citizen two full waits)."""
        if self._given is None:
            connection_for_url(self.url, self.timeout_s)   # a bad URL is a config error: now
        if not probe:
            return
        with self._lock:
            self._publish(self._read_status(force=True))
            self._release()

    def close(self) -> None:
        self._monitor_stop.set()
        if self._monitor is not None:
            self._monitor.join(timeout=self.timeout_s + 1)
            self._monitor = None
        with self._lock:
            self._drop()

    def start_monitor(self, interval_s: float = 5.0) -> None:
        """Poll status() every `interval_s` on a thread of its own, so status events (paper
        low, cover open, offline) reach the UI before a citizen taps Print. Stops on close()."""
        if self._monitor is not None:
            return
        self._monitor_stop.clear()

        def run() -> None:
            while not self._monitor_stop.wait(interval_s):
                self.status()

        self._monitor = threading.Thread(target=run, daemon=True, name="receipt-printer-monitor")
        self._monitor.start()

    def __enter__(self) -> ReceiptPrinter:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- public ------------------------------------------------------------------------------

    def status(self) -> StatusUpdate:
        """The printer's state now (DLE EOT 1-4). While disconnected, reconnects no more often
        than the back-off allows, and says OFFLINE meanwhile."""
        with self._lock:
            try:
                return self._publish(self._read_status(force=False))
            finally:
                self._release()

    def last_status(self) -> sb.PrinterStatus | None:
        """The last reading, with cover and cutter (StatusUpdate carries device and paper).
        Lock-free: a screen may ask while a long job holds the lock."""
        return self._last

    def print_document(self, doc: ReceiptDocument) -> JobOutcome:
        """Print, or refuse with a reason. `ok` only if the printer was fine before and after.

        One bounded wait: a citizen waits at most about `timeout_s` for a printer that does
        not answer. If the monitor was asking the printer while this job waited for it and got
        no answer, that reading refuses the job at once rather than a second full wait."""
        asked = time.monotonic()
        with self._lock:
            try:
                return self._job(str(next(self._jobs)), doc, asked)
            finally:
                self._release()

    def print_parts(self, parts: list[ReceiptDocument]) -> tuple[JobOutcome, int]:
        """Print `parts` as one job on one connection, checking the status after each part
        and stopping at the first that did not come out. Returns the outcome and how many
        parts were *begun* (a part whose first byte may have gone out counts): a queue
        ticket prints its number as the last part, so `begun < len(parts)` after a failure
        means the number was never sent (kiosk/receipts/ticket_layout.py)."""
        asked = time.monotonic()
        with self._lock:
            try:
                return self._parts_job(str(next(self._jobs)), parts, asked)
            finally:
                self._release()

    # ---- internals ---------------------------------------------------------------------------

    def _parts_job(self, job_id: str, parts: list[ReceiptDocument], asked: float
                   ) -> tuple[JobOutcome, int]:
        sent = 0
        outcome = JobOutcome(True, "", "", 0, job_id)
        for begun, doc in enumerate(parts):
            outcome = (self._job(job_id, doc, asked) if begun == 0
                       else self._job_more(job_id, doc))
            sent += outcome.bytes_sent
            if not outcome.ok:
                # Bytes sent, or a link that broke while sending: this part may be on paper.
                maybe = outcome.bytes_sent > 0 or outcome.detail.startswith("OFFLINE")
                started = begun + 1 if maybe else begun
                return replace(outcome, bytes_sent=sent), started
        return replace(outcome, bytes_sent=sent), len(parts)

    def _job_more(self, job_id: str, doc: ReceiptDocument) -> JobOutcome:
        """A later part of a job: the status after the previous part said it came out."""
        try:
            data = render(doc, self.profile)
        except Exception as exc:   # a missing font must not take the kiosk down
            log.exception("receipt job %s: rendering failed", job_id)
            return JobOutcome(False, f"RENDER: {exc}", MSG_FAULT, 0, job_id)
        if self._conn is None:
            return JobOutcome(False, "NOT_SENT: connection lost between parts",
                              MSG_INCOMPLETE, 0, job_id)
        return self._send(job_id, data)

    def _job(self, job_id: str, doc: ReceiptDocument, asked: float) -> JobOutcome:
        last = self._last
        if last is not None and not last.reachable and self._read_at >= asked:
            before = last        # read while this job waited for the lock: no second wait
        else:
            before = self._read_status(force=True, job=True)
            self._publish(before)
        if not before.can_print:
            cause, message = _refusal(before)
            log.warning("receipt job %s refused: %s", job_id, cause)
            return JobOutcome(False, cause, message, 0, job_id)
        try:
            data = render(doc, self.profile)
        except Exception as exc:   # a missing font must not take the kiosk down
            log.exception("receipt job %s: rendering failed", job_id)
            return JobOutcome(False, f"RENDER: {exc}", MSG_FAULT, 0, job_id)
        return self._send(job_id, data)

    def _send(self, job_id: str, data: bytes) -> JobOutcome:
        assert self._conn is not None
        try:
            self._conn.write(data)
            self._conn.end_job()
        except PrinterOffline as exc:
            self._lost(exc)
            self._publish(self._unreachable(str(exc)))
            return JobOutcome(False, f"OFFLINE: {exc}", MSG_INCOMPLETE, 0, job_id)
        wire_s = len(data) * 10 / baud_of(self.url)
        after = self._query(extra_wait=wire_s * 1.5)
        self._publish(after)
        if not after.can_print:
            cause, _ = _refusal(after)
            log.warning("receipt job %s stopped: %s", job_id, cause)
            return JobOutcome(False, f"{cause} (after sending)", MSG_INCOMPLETE, len(data),
                              job_id)
        log.info("receipt job %s printed, %d bytes", job_id, len(data))
        return JobOutcome(True, "", "", len(data), job_id)

    def _read_status(self, force: bool, job: bool = False) -> sb.PrinterStatus:
        """Status from the open connection; if there is none (or it just broke), connect
        again when the back-off allows — always when `force` (a citizen is waiting). `job`:
        a citizen is waiting for this reading (a slow reply is announced)."""
        had_conn = self._conn is not None
        if had_conn:
            st = self._query(job=job)
            if st.reachable or not force or NO_REPLY in st.detail:
                return st   # a printer that stays silent is not asked a second time
        if not force and time.monotonic() < self._retry_at:
            return self._unreachable("waiting to reconnect")
        try:
            self._connect()
        except PrinterOffline as exc:
            self._lost(exc)
            return self._unreachable(str(exc))
        return self._query(job=job)

    def _connect(self) -> None:
        conn = self._given or connection_for_url(self.url, self.timeout_s)
        conn.open()
        self._conn = conn
        self._delay = self._backoff[0]
        # A TCP printer is connected per operation (every monitor poll): "connected" is said
        # once it answers again (_publish), not every 5 s (964 of 1,078 lines in 80 minutes).
        log.debug("receipt printer connection opened: %s", self.url)

    def _query(self, extra_wait: float = 0.0, job: bool = False) -> sb.PrinterStatus:
        conn = self._conn
        if conn is None:
            return self._unreachable("not connected")
        if not conn.readable:
            return sb.PrinterStatus(reachable=True, detail=f"{self.url} has no status channel")
        try:
            while conn.read(64, 0.0):   # stale bytes from an earlier exchange
                pass
            conn.write(b"".join(sb.request(n) for n in (1, 2, 3, 4)))
            replies = self._collect(conn, self.timeout_s + extra_wait, job)
            return sb.parse(replies)
        except (PrinterOffline, ValueError) as exc:
            self._lost(exc)
            return self._unreachable(str(exc))

    def _collect(self, conn: Connection, wait_s: float, job: bool = False) -> dict[int, int]:
        start = time.monotonic()
        deadline = start + wait_s
        announce = start + NO_REPLY_AFTER_S if job and self.events is not None else None
        got: list[int] = []
        while len(got) < 4:
            now = time.monotonic()
            if now >= deadline:
                raise PrinterOffline(f"{self.url}: {NO_REPLY} within {wait_s:.1f} s "
                                     f"({len(got)} of 4 bytes)")
            if announce is not None and now >= announce and not got:
                announce = None
                self._progress(JobProgress(DEVICE, "NO_REPLY", now - start, wait_s))
            until = deadline if announce is None else min(deadline, announce)
            got += [b for b in conn.read(4 - len(got), until - now) if sb.is_status_byte(b)]
        return dict(zip((1, 2, 3, 4), got, strict=True))

    def _progress(self, update: JobProgress) -> None:
        if self.events is not None:
            self.events.put(update)

    def _unreachable(self, detail: str) -> sb.PrinterStatus:
        return sb.PrinterStatus(reachable=False, detail=detail)

    def _lost(self, exc: Exception) -> None:
        """Forget the connection and wait longer before the next try (0.5 s … 30 s). Logged
        as a warning when it was reachable until now; further failed tries at DEBUG."""
        was_up = self._last is None or self._last.reachable
        (log.warning if was_up else log.debug)("receipt printer %s: %s", self.url, exc)
        self._drop()
        self._retry_at = time.monotonic() + self._delay
        self._delay = min(self._delay * 2, self._backoff[1])

    def _release(self) -> None:
        conn = self._conn
        if conn is not None and not (self.hold if self.hold is not None else conn.hold):
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _publish(self, st: sb.PrinterStatus) -> StatusUpdate:
        self._read_at = time.monotonic()
        if st.reachable and (self._last is None or not self._last.reachable):
            log.info("receipt printer connected: %s", self.url)   # a change of state
        names = _events(self._last, st)
        if not st.reachable and self._last is not None:
            # Keep the last known paper/cover/cutter: coming back must not re-announce them.
            st = replace(self._last, reachable=False, detail=st.detail)
        self._last = st
        paper = st.paper if st.reachable else PaperState.UNKNOWN
        updates = [StatusUpdate(DEVICE, st.device, name, paper, st.detail) for name in names]
        if self.events is not None:
            for u in updates:
                self.events.put(u)
        return updates[0] if updates else StatusUpdate(DEVICE, st.device, "", paper, st.detail)
