"""systemd notifications (sd_notify) without libsystemd: READY=1 once the first frame is up,
WATCHDOG=1 from the UI loop, STOPPING=1 on the way out. If the loop freezes, the pings stop
and systemd restarts the kiosk (WatchdogSec in deploy/kiosk.service).

Outside systemd ($NOTIFY_SOCKET unset) every call is a cheap no-op.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable


class Notifier:
    def __init__(self, environ: dict[str, str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        env = os.environ if environ is None else environ
        addr = env.get("NOTIFY_SOCKET", "")
        # An abstract socket is written '@name' and means a leading NUL byte.
        self._addr = "\0" + addr[1:] if addr.startswith("@") else addr
        usec = env.get("WATCHDOG_USEC", "")
        # Ping at half the watchdog period, as sd_watchdog_enabled(3) advises.
        self.interval_s = int(usec) / 2e6 if usec.isdigit() and int(usec) > 0 else 0.0
        self._clock = clock
        self._last = float("-inf")
        self._sock: socket.socket | None = None

    @property
    def enabled(self) -> bool:
        return bool(self._addr)

    def notify(self, message: str) -> bool:
        """Send one state line; False (never an exception) if it could not be sent."""
        if not self._addr:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._sock.sendto(message.encode(), self._addr)
        except OSError:
            return False
        return True

    def ready(self) -> bool:
        return self.notify("READY=1")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def ping(self) -> bool:
        """Called every frame by the UI loop; sends WATCHDOG=1 at most every interval."""
        if not self.interval_s:
            return False
        now = self._clock()
        if now - self._last < self.interval_s:
            return False
        self._last = now
        return self.notify("WATCHDOG=1")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
