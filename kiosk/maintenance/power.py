"""Keeping the screen on and the program fresh.

A kiosk that blanks after ten idle minutes looks broken to the next citizen, so blanking and
DPMS are switched off for the X session at start (deploy/install-service.sh does it too; two
lines of defence because a desktop update can reset one). The nightly restart bounds what a
long-running process can accumulate (fragmented memory, a wedged driver): the UI loop asks
`NightlyRestart.due()` and exits with RESTART_EXIT_CODE, which the systemd unit treats as a
clean exit to restart at once.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from datetime import datetime, timedelta

log = logging.getLogger(__name__)

RESTART_EXIT_CODE = 75  # EX_TEMPFAIL; deploy/kiosk.service lists it in SuccessExitStatus


def blanking_commands(environ: dict[str, str] | None = None) -> list[list[str]]:
    """The commands that turn blanking off for this session (empty when there is no X
    display: Wayland compositors and the console are configured by the installer)."""
    env = os.environ if environ is None else environ
    if not env.get("DISPLAY") or env.get("SDL_VIDEODRIVER") in ("dummy", "offscreen"):
        return []
    return [["xset", "s", "off"], ["xset", "s", "noblank"], ["xset", "-dpms"]]


def disable_blanking(environ: dict[str, str] | None = None) -> list[str]:
    """Run the blanking commands; returns the ones that failed (logged, never fatal: a kiosk
    that blanks is better than a kiosk that does not start)."""
    failed: list[str] = []
    for cmd in blanking_commands(environ):
        if shutil.which(cmd[0]) is None:
            failed.append(" ".join(cmd))
            continue
        try:
            subprocess.run(cmd, check=True, timeout=5, capture_output=True)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("could not turn screen blanking off (%s): %s", " ".join(cmd), exc)
            failed.append(" ".join(cmd))
    if failed:
        log.warning("screen blanking may stay on: %s", "; ".join(failed))
    return failed


class NightlyRestart:
    """When the next nightly restart is due. `at` is "HH:MM" local time, or "" for never.

    The first due time is the next occurrence after start-up that is at least `min_uptime`
    away, so a kiosk started at 03:29 does not restart a minute later. The restart also waits
    for the visit in progress: the loop asks only while the attract screen is showing.
    """

    def __init__(self, at: str, started: datetime,
                 min_uptime: timedelta = timedelta(hours=1)) -> None:
        self.at = at
        self.next: datetime | None = None
        if at:
            hh, mm = (int(x) for x in at.split(":"))
            candidate = started.replace(hour=hh, minute=mm, second=0, microsecond=0)
            while candidate < started + min_uptime:
                candidate += timedelta(days=1)
            self.next = candidate

    def due(self, now: datetime) -> bool:
        return self.next is not None and now >= self.next
