"""The A4 printer through CUPS: submit with `lp`, follow the job over IPP until it is done,
and say plainly what went wrong. Device faults never raise: `print_file` returns a JobOutcome
and emits StatusUpdate events; only a programming error (no such file, copies < 1) raises.

Why a job is cancelled when the printer stops under it: the citizen has been told it failed and
will walk away; a job left queued would print later, for no one, maybe someone's ID copy.

    printer = CupsPrinter("kiosk-a4", events=q).open()
    status = printer.status()          # before the citizen starts: ready? what to tell them?
    outcome = printer.print_file(pdf, copies=2, title="高龄津贴申请表")
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from devices.document_printer import ipp, reasons
from devices.outcome import JobOutcome
from devices.status import DeviceState, EventSink, PaperState, StatusUpdate

DEVICE = "document_printer"
PRINTER_ATTRS = ("printer-state", "printer-state-reasons", "printer-state-message",
                 "printer-is-accepting-jobs")
JOB_ATTRS = ("job-state", "job-state-reasons", "job-printer-state-message",
             "job-impressions-completed")
_REQUEST_ID = re.compile(r"request id is (\S+)-(\d+)")


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer says about itself, and what that means for a citizen."""

    queue: str
    state: str                      # "idle", "printing", "stopped", "absent", "unreachable"
    reasons: tuple[str, ...] = ()   # IPP printer-state-reasons, "none" left out
    message: str = ""               # printer-state-message, for engineers
    accepting: bool = True

    @property
    def ready(self) -> bool:
        """Whether a job sent now would print. The queue's state decides, not its reasons:
        CUPS keeps a backend's last reason (media-empty-error) until the next job clears it,
        so an enabled queue whose staff have refilled the paper still shows it. A job that
        then meets a real fault is caught while it is followed."""
        return self.state in ("idle", "printing") and self.accepting

    @property
    def citizen_message(self) -> str:
        """What to tell a citizen before they start ('' when all is well). A ready printer
        may still warn (toner low); a stopped one says why, in plain words."""
        if self.ready:
            warnings = tuple(r for r in self.reasons if not reasons.is_blocking(r))
            known = reasons.explain(warnings)
            return known.message if known else ""
        known = reasons.explain(self.reasons)
        if known is not None and reasons.is_blocking_reason(known):
            return known.message
        if self.state in ("absent", "unreachable"):
            return reasons.UNAVAILABLE
        return reasons.PAUSED

    def update(self) -> StatusUpdate:
        known = reasons.explain(self.reasons)
        state = {"idle": DeviceState.ONLINE, "printing": DeviceState.BUSY,
                 "stopped": DeviceState.OFFLINE, "absent": DeviceState.NO_DEVICE,
                 "unreachable": DeviceState.OFFLINE}[self.state]
        if known is not None and not self.ready and reasons.is_blocking_reason(known):
            state = known.device
        return StatusUpdate(
            device=DEVICE, state=state, event=known.event if known else self.state.upper(),
            paper=known.paper if known else PaperState.UNKNOWN,
            detail=f"{self.queue}: {self.state} {','.join(self.reasons) or 'none'} "
                   f"{self.message}".strip())


class CupsPrinter:
    """One CUPS queue. No I/O until open(); thread-safe for one job at a time."""

    def __init__(self, queue_name: str, *, server: str = "",
                 events: EventSink[StatusUpdate] | None = None,
                 poll_s: float = 0.2, job_timeout_s: float = 120.0) -> None:
        self.queue = queue_name
        self.server = server
        self.events = events
        self.poll_s = poll_s
        self.job_timeout_s = job_timeout_s
        self._ipp: ipp.IppClient | None = None
        self._last: PrinterStatus | None = None
        self._cancel = threading.Event()

    # -- life cycle -------------------------------------------------------------------------
    def open(self) -> CupsPrinter:
        self._ipp = ipp.IppClient(self.server)
        return self

    def close(self) -> None:
        self._ipp = None

    def _client(self) -> ipp.IppClient:
        if self._ipp is None:
            raise RuntimeError(f"CupsPrinter({self.queue!r}) is not open; call open() first")
        return self._ipp

    def _env(self) -> dict[str, str]:
        env = {**os.environ, "LC_ALL": "C"}
        if self.server:
            env["CUPS_SERVER"] = self.server
        return env

    # -- state ------------------------------------------------------------------------------
    def status(self) -> PrinterStatus:
        """The queue's state now (never raises for a device fault); emits a StatusUpdate when
        it changed since last asked."""
        try:
            resp = self._client().request(ipp.GET_PRINTER_ATTRIBUTES, self.queue,
                                          requested=PRINTER_ATTRS)
        except ipp.IppError as exc:
            return self._note(PrinterStatus(self.queue, "unreachable", message=str(exc)))
        if resp.status == ipp.STATUS_NOT_FOUND or not resp.ok:
            return self._note(PrinterStatus(
                self.queue, "absent", message=f"IPP status 0x{resp.status:04x}: no such queue"))
        state = {ipp.PRINTER_IDLE: "idle", ipp.PRINTER_PROCESSING: "printing",
                 ipp.PRINTER_STOPPED: "stopped"}.get(resp.integer("printer-state") or 0,
                                                     "stopped")
        found = tuple(r for r in resp.texts("printer-state-reasons") if r not in reasons.QUIET)
        return self._note(PrinterStatus(
            self.queue, state, found, resp.text("printer-state-message"),
            resp.flag("printer-is-accepting-jobs", True)))

    def _note(self, status: PrinterStatus) -> PrinterStatus:
        if self._last is None or (status.state, status.reasons) != (self._last.state,
                                                                    self._last.reasons):
            self._emit(status.update())
        self._last = status
        return status

    def _emit(self, update: StatusUpdate) -> None:
        if self.events is not None:
            self.events.put(update)

    # -- printing ---------------------------------------------------------------------------
    def cancel(self) -> None:
        """Ask the running print_file to cancel its job (from another thread)."""
        self._cancel.set()

    def print_file(self, pdf: Path, copies: int = 1, title: str = "") -> JobOutcome:
        """Print `pdf` and wait until CUPS says it is done, failed or was cancelled."""
        if copies < 1:
            raise ValueError(f"copies must be at least 1, got {copies}")
        if not Path(pdf).is_file():
            raise FileNotFoundError(f"nothing to print: {pdf} does not exist")
        self._cancel.clear()
        before = self.status()
        if not before.ready:
            return self._refused(before)
        job_id, error = self._submit(Path(pdf), copies, title)
        if not job_id:
            return JobOutcome(False, f"SUBMIT: {error}", reasons.UNAVAILABLE)
        return self._follow(job_id)

    def _refused(self, status: PrinterStatus) -> JobOutcome:
        cause = f"{status.state.upper()}: {','.join(status.reasons) or status.message}"
        return JobOutcome(False, cause, status.citizen_message or reasons.UNAVAILABLE)

    def _submit(self, pdf: Path, copies: int, title: str) -> tuple[str, str]:
        lp = shutil.which("lp")
        if lp is None:
            return "", "lp not installed (apt-get install cups-client)"
        cmd = [lp, "-d", self.queue, "-n", str(copies), "-o", "media=A4"]
        if title:
            cmd += ["-t", title]
        try:
            done = subprocess.run([*cmd, "--", str(pdf)], capture_output=True, text=True,
                                  env=self._env(), timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return "", f"lp failed: {exc}"
        match = _REQUEST_ID.search(done.stdout)
        if done.returncode != 0 or match is None:
            return "", f"lp exit {done.returncode}: {done.stderr.strip() or done.stdout.strip()}"
        return match.group(2), ""

    def _job(self, job_id: str) -> ipp.IppResponse | None:
        try:
            return self._client().request(ipp.GET_JOB_ATTRIBUTES, self.queue,
                                          job_id=int(job_id), requested=JOB_ATTRS)
        except ipp.IppError:
            return None

    def _follow(self, job_id: str) -> JobOutcome:
        deadline = time.monotonic() + self.job_timeout_s
        while time.monotonic() < deadline:
            job = self._job(job_id)
            state = job.integer("job-state") if job is not None else None
            if state is not None and state >= ipp.JOB_CANCELED:
                return self._finished(job_id, state, job)
            if self._cancel.is_set():
                return self._abandon(job_id, "JOB_CANCELED", reasons.CANCELLED)
            printer = self.status()
            if not printer.ready and state in (ipp.JOB_PENDING, ipp.JOB_HELD, ipp.JOB_STOPPED,
                                               None):
                return self._abandon(job_id, f"PRINTER_{printer.state.upper()}: "
                                     f"{','.join(printer.reasons) or printer.message}",
                                     printer.citizen_message or reasons.UNAVAILABLE)
            time.sleep(self.poll_s)
        return self._abandon(job_id, f"TIMEOUT after {self.job_timeout_s:g} s",
                             reasons.TOO_LONG)

    def _finished(self, job_id: str, state: int, job: ipp.IppResponse | None) -> JobOutcome:
        if state == ipp.JOB_COMPLETED:
            self.status()
            return JobOutcome(True, "COMPLETED", "", job_id=job_id)
        job_reasons = ",".join(job.texts("job-state-reasons")) if job else ""
        if state == ipp.JOB_CANCELED:
            return JobOutcome(False, f"JOB_CANCELED: {job_reasons}", reasons.CANCELLED,
                              job_id=job_id)
        printer = self.status()
        return JobOutcome(False, f"JOB_ABORTED: {job_reasons}",
                          printer.citizen_message or reasons.UNAVAILABLE, job_id=job_id)

    def _abandon(self, job_id: str, cause: str, message: str) -> JobOutcome:
        """Cancel the job so it cannot print later for no one, then report why."""
        cancel = shutil.which("cancel")
        if cancel is not None:
            subprocess.run([cancel, f"{self.queue}-{job_id}"], capture_output=True,
                           env=self._env(), timeout=30, check=False)
        return JobOutcome(False, cause, message, job_id=job_id)
