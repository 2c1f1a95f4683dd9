"""The scanner through SANE's `scanimage`: one scan of a given area into a private folder.

Why a subprocess and not python-sane: scanimage ships with every SANE install (UOS, Kylin,
Debian), needs no compiled module, and a hung backend can be killed without taking the kiosk
with it; cancelling is SIGINT, which scanimage turns into sane_cancel().

Scans are personal data (ID cards): they go to a folder only this process can read (0700), in
RAM — the systemd unit's own RuntimeDirectory when it runs as the service (gone when the unit
stops, even after a kill -9), else /dev/shm where the system has it — and are overwritten and
deleted as soon as the caller is done (discard) and at the end of the visit (wipe). A folder
left by a process that was killed (kill -9 during an ID copy) is shredded by
`sweep_stale_scans()`, which the terminal runs at start and every scanner runs when it opens.

    scanner = SaneScanner("test", resolution_dpi=300, mode="Color").open()
    png = scanner.scan(ScanArea(85.6, 54.0))     # raises ScannerError subclasses
    … use png …
    scanner.discard(png); scanner.close()        # close() wipes whatever is left
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from devices import messages
from devices.errors import ScannerError
from devices.status import DeviceState, EventSink, StatusUpdate

SCAN_PREFIX = "kiosk-scan-"     # + the owning process id + "-" + random


class ScannerAbsent(ScannerError):
    citizen_message = messages.SCANNER_ABSENT
    state = DeviceState.NO_DEVICE


class ScannerBusy(ScannerError):
    citizen_message = messages.SCANNER_BUSY
    state = DeviceState.BUSY


class ScanCancelled(ScannerError):
    citizen_message = messages.SCAN_CANCELLED
    state = DeviceState.ONLINE


class ScannerJammed(ScannerError):
    citizen_message = messages.SCANNER_JAMMED
    state = DeviceState.USER_ERROR


class ScannerCoverOpen(ScannerError):
    citizen_message = messages.SCANNER_COVER_OPEN
    state = DeviceState.USER_ERROR


class ScanFailed(ScannerError):
    citizen_message = messages.SCAN_FAILED
    state = DeviceState.HW_ERROR


# scanimage reports SANE's sane_strstatus() text on stderr; first match wins.
_STDERR: tuple[tuple[str, type[ScannerError]], ...] = (
    ("cancel", ScanCancelled),
    ("device busy", ScannerBusy),
    ("no sane devices", ScannerAbsent),
    ("open of device", ScannerAbsent),
    ("jammed", ScannerJammed),
    ("out of documents", ScannerJammed),
    ("cover is open", ScannerCoverOpen),
)


@dataclass(frozen=True)
class ScanArea:
    """The rectangle to scan, in millimetres from the glass's top-left corner."""

    width_mm: float
    height_mm: float
    left_mm: float = 0.0
    top_mm: float = 0.0


def classify(device: str, returncode: int, stderr: str) -> ScannerError:
    """The error a failed scanimage run means, naming the device and what it said."""
    said = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {returncode}"
    text = stderr.lower()
    for needle, cls in _STDERR:
        if needle in text:
            return cls(f"scanner {device!r}: {said}")
    return ScanFailed(f"scanner {device!r}: scanimage exit {returncode}: {said}")


class SaneScanner:
    """One SANE device. No I/O until open(); one scan at a time (a second caller gets
    ScannerBusy rather than a queue: the citizen is told to wait)."""

    def __init__(self, device: str, *, resolution_dpi: int = 300, mode: str = "Color",
                 options: Sequence[str] = (), env: dict[str, str] | None = None,
                 timeout_s: float = 120.0,
                 events: EventSink[StatusUpdate] | None = None) -> None:
        self.device = device
        self.resolution_dpi = resolution_dpi
        self.mode = mode
        self.options = tuple(options)
        self.env = dict(env or {})
        self.timeout_s = timeout_s
        self.events = events
        self._last_state: DeviceState | None = None
        self._dir: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._cancelled = threading.Event()

    def open(self) -> SaneScanner:
        if shutil.which("scanimage") is None:
            raise ScannerAbsent("scanimage not installed (apt-get install sane-utils)")
        root = scan_root()
        sweep_stale_scans(root)
        self._dir = Path(tempfile.mkdtemp(prefix=f"{SCAN_PREFIX}{os.getpid()}-", dir=root))
        os.chmod(self._dir, 0o700)
        return self

    @property
    def folder(self) -> Path | None:
        """Where scans are kept while in use (None when closed)."""
        return self._dir

    def close(self) -> None:
        self.cancel()
        self.wipe()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def command(self, area: ScanArea, out: Path) -> list[str]:
        return ["scanimage", "-d", self.device, "--format=png", "-o", str(out),
                "--resolution", str(self.resolution_dpi), "--mode", self.mode,
                "-l", f"{area.left_mm:g}", "-t", f"{area.top_mm:g}",
                "-x", f"{area.width_mm:g}", "-y", f"{area.height_mm:g}", *self.options]

    def scan(self, area: ScanArea, name: str = "scan") -> Path:
        """Scan `area` to <private dir>/<name>.png and return its path."""
        if self._dir is None:
            raise RuntimeError("SaneScanner is not open; call open() first")
        if not self._lock.acquire(blocking=False):
            raise ScannerBusy(f"scanner {self.device!r}: a scan is already running")
        try:
            path = self._scan_locked(area, self._dir / f"{name}.png")
        except ScannerError as exc:
            self._emit(getattr(exc, "state", DeviceState.HW_ERROR), type(exc).__name__,
                       str(exc))
            raise
        finally:
            self._lock.release()
        self._emit(DeviceState.ONLINE, "SCAN_OK", self.device)
        return path

    def _emit(self, state: DeviceState, event: str, detail: str) -> None:
        """A StatusUpdate when the scanner's state changed (not for every scan)."""
        if self.events is not None and state is not self._last_state:
            self.events.put(StatusUpdate(device="scanner", state=state, event=event,
                                         detail=detail))
        self._last_state = state

    def _scan_locked(self, area: ScanArea, out: Path) -> Path:
        self._cancelled.clear()
        env = {**os.environ, "LC_ALL": "C", **self.env}
        try:
            self._proc = subprocess.Popen(self.command(area, out), stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, env=env)
            _, err = self._proc.communicate(timeout=self.timeout_s)
            code = self._proc.returncode
        except subprocess.TimeoutExpired as exc:
            self._kill()
            out.unlink(missing_ok=True)
            raise ScanFailed(f"scanner {self.device!r}: no image after "
                             f"{self.timeout_s:g} s") from exc
        finally:
            self._proc = None
        stderr = err.decode(errors="replace")
        if self._cancelled.is_set() or code != 0 or not out.is_file() or not out.stat().st_size:
            out.unlink(missing_ok=True)  # never keep half an ID card
            if self._cancelled.is_set():
                raise ScanCancelled(f"scanner {self.device!r}: cancelled")
            raise classify(self.device, code, stderr)
        return out

    def cancel(self) -> None:
        """Stop a running scan (from another thread); its partial file is deleted."""
        proc = self._proc
        if proc is None:
            return
        self._cancelled.set()
        try:
            proc.send_signal(signal.SIGINT)  # scanimage calls sane_cancel() on SIGINT
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._kill()
        except ProcessLookupError:
            pass

    def _kill(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    def discard(self, path: Path) -> None:
        """Delete one scan now that it has been used."""
        if self._dir is not None and path.parent == self._dir:
            _shred(path)

    def wipe(self) -> None:
        """Delete every scan left (end of the visit)."""
        if self._dir is not None and self._dir.is_dir():
            for f in self._dir.iterdir():
                _shred(f)


def scan_root() -> str | None:
    """Where scan folders go: the service's RuntimeDirectory (systemd sets RUNTIME_DIRECTORY;
    a tmpfs only the unit owns, removed when it stops), else RAM-backed /dev/shm, else the
    system's temporary folder (None). Scans then never reach a disk where RAM exists."""
    runtime = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
    for candidate in (runtime, "/dev/shm"):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    return None


def sweep_stale_scans(root: str | None = None) -> list[Path]:
    """Shred scan folders in `root` (default: scan_root()) left by a process of ours that no
    longer runs — one killed during a copy. Folders of live processes are left alone.
    Returns what was removed."""
    folder = Path(root or scan_root() or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(folder.glob(f"{SCAN_PREFIX}*"))
    except OSError:
        return removed
    for entry in entries:
        if _stale(entry):
            for f in entry.iterdir() if entry.is_dir() else ():
                _shred(f)
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _stale(entry: Path) -> bool:
    """Ours, a folder, and its process (named in the folder's name) is gone."""
    try:
        st = entry.lstat()
    except OSError:
        return False
    if not entry.is_dir() or entry.is_symlink() or st.st_uid != os.getuid():
        return False
    pid = entry.name[len(SCAN_PREFIX):].split("-", 1)[0]
    if not pid.isdigit():
        return True          # from before folders were named by process: nobody owns it
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False         # a live process of someone else's
    return False


def _shred(path: Path) -> None:
    """Overwrite, then delete: a deleted ID scan must not be readable from the free blocks of
    a kiosk's disk by whoever gets the machine next (best effort on SSDs)."""
    try:
        size = path.stat().st_size
        with path.open("r+b") as f:
            f.write(b"\0" * size)
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        pass
    path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Listing:
    """What `scanimage -L` says about one device: the one place its output is read, for the
    maintenance status and for `kiosk doctor` alike."""

    installed: bool      # scanimage is on PATH
    answered: bool       # it ran and returned within the time-out
    listed: bool         # the device is in its list
    detail: str = ""


def list_device(device: str, timeout_s: float = 30.0) -> Listing:
    if shutil.which("scanimage") is None:
        return Listing(False, False, False, "scanimage not found")
    try:
        res = subprocess.run(["scanimage", "-L"], capture_output=True, text=True,
                             timeout=timeout_s, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return Listing(True, False, False, str(exc))
    # scanimage quotes names as `name' (older) or 'name' (newer).
    listed = f"`{device}" in res.stdout or f"'{device}" in res.stdout
    return Listing(True, True, listed, device if listed else f"{device} not in scanimage -L")
