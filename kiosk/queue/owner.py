"""Which process is printing a ticket, and whether it still runs.

recover() must void a ticket left in `issuing` by a crashed kiosk, but not one a second kiosk
process on the same store is printing at this moment. A ticket therefore records its owner as
"host/pid/start", where start is the process's start time from /proc: a pid reused after a
reboot has another start time, so it is not mistaken for the process that died.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _stat(pid: int) -> list[str]:
    """/proc/PID/stat from field 3 (state) on; [] if unknown (no /proc, or gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return []
    # The command name (field 2) is in parentheses and may contain spaces: split after it.
    return stat.rsplit(")", 1)[-1].split()


def _start_ticks(pid: int) -> str:
    """Field 22 of /proc/PID/stat (start time in clock ticks since boot); '' if unknown."""
    fields = _stat(pid)
    return fields[19] if len(fields) > 19 else ""


def current_owner() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}/{pid}/{_start_ticks(pid)}"


def owner_alive(owner: str) -> bool | None:
    """True/False for an owner on this host; None when it cannot be told (another host, an
    owner string from elsewhere): the caller then decides by the ticket's age."""
    parts = owner.split("/")
    if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return None
    pid = int(parts[1])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by another user
    fields = _stat(pid)
    if fields and fields[0] in ("Z", "X"):
        return False  # killed, not yet reaped by its parent
    if parts[2] and len(fields) > 19:
        return fields[19] == parts[2]
    return True
