"""This terminal's devices and services, shared by every flow (guide printing, tickets,
forms, copies) and by maintenance mode. kiosk.bootstrap.terminal() builds them from kiosk.toml;
the Terminal takes what it is given and opens it.

Opening never fails for a device: a printer that is off is OFFLINE and is retried by its
driver; the kiosk still starts and says plainly what is unavailable. Device threads put
their events on one queue; a pump thread keeps the last known state of every device (for
maintenance mode and var/status.json) and hands each event on to the UI (`notify`).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from devices.document_printer.cups import CupsPrinter
from devices.id_reader.events import ReaderEvent
from devices.id_reader.reader import IdReader
from devices.receipt_printer.printer import ReceiptPrinter
from devices.scanner.sane import sweep_stale_scans
from devices.status import DeviceEvent, DeviceState, StatusUpdate
from kiosk.config import Config
from kiosk.maintenance.status import DeviceReport, hall_report, write_snapshot
from kiosk.queue.service import QueueService
from kiosk.usage import USAGE_FILE, UsageCounters

log = logging.getLogger(__name__)

TerminalEvent = DeviceEvent | ReaderEvent
"""What the terminal's one queue carries from every device (None wakes its pump to stop)."""

SNAPSHOT_EVERY_S = 30.0
A4_POLL_S = 15.0


@dataclass
class TerminalParts:
    """What a Terminal runs, built by kiosk.bootstrap (none of it opened yet). A device that is
    disabled in kiosk.toml is None; one that could not even be built is None with its reason
    in `problems` (shown in maintenance mode as a hardware error)."""

    events: queue.Queue[TerminalEvent | None] = field(default_factory=queue.Queue)
    receipt: ReceiptPrinter | None = None
    reader: IdReader | None = None
    a4: CupsPrinter | None = None
    queue: QueueService | None = None
    usage: UsageCounters | None = None
    problems: dict[str, str] = field(default_factory=dict)


class Terminal:
    def __init__(self, cfg: Config, parts: TerminalParts,
                 notify: Callable[[object], None] | None = None) -> None:
        self.cfg = cfg
        self.notify = notify
        self.events = parts.events
        self.receipt = parts.receipt
        self.reader = parts.reader
        self.a4 = parts.a4
        self.queue = parts.queue
        # per-day counts (docs/usage-counters.md); bootstrap gives one, a bare test rig may not
        self.usage = parts.usage or UsageCounters(cfg.path(USAGE_FILE))
        self._problems = dict(parts.problems)
        self.started_at = time.time()
        self._reports: dict[str, DeviceReport] = {}
        self._errors: dict[str, tuple[str, float]] = {}   # device → (last error, when)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pump: threading.Thread | None = None

    # ---- life cycle ---------------------------------------------------------------------------
    def open(self) -> None:
        if self.cfg.scanner.enabled:
            stale = sweep_stale_scans()   # a copy killed halfway (kill -9) left its scans
            if stale:
                log.warning("shredded %d scan folder(s) left by a process that was killed",
                            len(stale))
        for name, problem in self._problems.items():
            log.error("%s could not be built: %s", name, problem)
            self._set(DeviceReport.of(name, DeviceState.HW_ERROR, last_error="无法打开",
                                      detail=problem))
        for name, opener in (("receipt_printer", self._open_receipt),
                             ("id_reader", self._open_reader),
                             ("document_printer", self._open_a4),
                             ("queue", self._open_queue)):
            try:
                opener()
            except Exception as exc:  # one device's trouble must not keep the kiosk down
                log.error("%s could not be opened: %s: %s", name, type(exc).__name__, exc)
                self._set(DeviceReport.of(name, DeviceState.HW_ERROR, last_error="无法打开",
                                          detail=f"{type(exc).__name__}: {exc}"))
        if not self.cfg.scanner.enabled:
            self._set(DeviceReport.disabled("scanner"))
        self._pump = threading.Thread(target=self._run_pump, name="terminal-events",
                                      daemon=True)
        self._pump.start()

    def close(self) -> None:
        self._stop.set()
        self.events.put(None)   # wakes the pump now rather than at its next 1 s poll
        if self._pump is not None:
            self._pump.join(timeout=5)
        for closer in (self.reader, self.receipt, self.a4, self.queue):
            if closer is not None:
                try:
                    closer.close()
                except Exception as exc:  # closing is best effort on the way out
                    log.warning("close failed: %s: %s", type(exc).__name__, exc)

    def _open_receipt(self) -> None:
        if self.receipt is not None:
            self.receipt.open()
            self.receipt.start_monitor()

    def _open_reader(self) -> None:
        if not self.cfg.id_reader.enabled:
            self._set(DeviceReport.disabled("id_reader"))
        elif self.reader is not None:
            self.reader.open(poll=True)

    def _open_a4(self) -> None:
        if self.a4 is None:
            self._set(DeviceReport.disabled("document_printer"))
            return
        self.a4.open()
        self.events.put(self.a4.status().update())

    def _open_queue(self) -> None:
        if self.queue is not None:
            self.queue.open()

    # ---- device state -------------------------------------------------------------------------
    def reports(self) -> list[DeviceReport]:
        order = ("receipt_printer", "document_printer", "scanner", "id_reader", "hall_service")
        with self._lock:
            known = dict(self._reports)
        link = self.queue.link() if self.queue is not None else None
        if link is not None:       # a kiosk issuing through the hall service: its link too
            known["hall_service"] = hall_report(link)
        return [known[n] for n in order if n in known]

    def _set(self, report: DeviceReport) -> None:
        with self._lock:
            self._reports[report.device] = report

    def note(self, event: object) -> None:
        """Fold one device event into the last known state. A device's trouble is kept as its
        last error with its time, so staff see it as past once it is over (正在工作 — BUSY —
        is not trouble)."""
        if isinstance(event, StatusUpdate):
            if event.in_trouble:
                self._remember(event.device, DeviceReport.of(
                    event.device, event.state, event.paper, event=event.event).words)
            err, at = self._errors.get(event.device, ("", 0.0))
            self._set(DeviceReport.of(event.device, event.state, event.paper, err,
                                      event.event or event.detail, event=event.event,
                                      last_error_at=at))

    def _remember(self, device: str, words: str) -> None:
        """The time is the trouble's start: repeated reports of the same trouble keep it."""
        with self._lock:
            prev = self._reports.get(device)
        if prev is None or prev.ok or self._errors.get(device, ("", 0.0))[0] != words:
            self._errors[device] = (words, time.time())

    def _run_pump(self) -> None:
        next_snapshot = 0.0
        next_a4 = time.monotonic() + A4_POLL_S
        while not self._stop.is_set():
            try:
                event = self.events.get(timeout=1.0)
            except queue.Empty:
                event = None
            if event is not None:
                self.note(event)
                if self.notify is not None:
                    self.notify(event)
            now = time.monotonic()
            if self.a4 is not None and now >= next_a4:
                next_a4 = now + A4_POLL_S
                self.events.put(self.a4.status().update())
            if now >= next_snapshot:
                next_snapshot = now + SNAPSHOT_EVERY_S
                try:
                    write_snapshot(self.cfg, self.started_at, self.reports())
                except OSError as exc:
                    log.warning("status snapshot not written: %s", exc)
