"""The virtual printer's condition and the line commands that change it at run time (from
`--control`, the command line, or tests): one small language for every way of injecting faults.

    paper ok|near|out      paper out-after N (lines, then the roll ends mid-job)
    cover open|closed      cutter error|ok     offline | online     baud N (0 = full speed)
    silent | answering     (takes the connection and the bytes, never answers a status request)
    drop (cut every connection, as a power cycle does)   status   help
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from devices.receipt_printer import status_bits as sb

HELP = __doc__.split("\n\n", 1)[1].strip() if __doc__ else ""


@dataclass
class SimState:
    paper: str = "ok"                      # ok | near | out
    cover_open: bool = False
    cutter_error: bool = False
    offline: bool = False                  # unreachable: connections refused/dropped
    silent: bool = False                   # connected, but status requests get no reply
    paper_out_after: int | None = None     # lines left on the roll
    baud: int = 0                          # 0 = as fast as the link goes

    @property
    def halted(self) -> bool:
        """Print data arriving now is lost (the printer has stopped)."""
        return self.paper == "out" or self.cover_open or self.cutter_error

    def status_byte(self, n: int) -> int:
        bits = sb.FIXED
        if n == 1 and self.halted:
            bits |= sb.N1_OFFLINE
        elif n == 2:
            bits |= (sb.N2_COVER_OPEN if self.cover_open else 0)
            bits |= (sb.N2_PAPER_STOP if self.paper == "out" else 0)
            bits |= (sb.N2_ERROR if self.halted else 0)
        elif n == 3:
            bits |= sb.N3_CUTTER if self.cutter_error else 0
        elif n == 4:
            bits |= {"near": sb.N4_NEAR_END, "out": sb.N4_NEAR_END | sb.N4_END}.get(self.paper, 0)
        return bits

    def line_printed(self) -> None:
        if self.paper_out_after is not None:
            self.paper_out_after -= 1
            if self.paper_out_after <= 0:
                self.paper, self.paper_out_after = "out", None

    def to_json(self) -> str:
        return json.dumps(asdict(self))


def _flag(value: str, yes: str, no: str) -> bool:
    if value not in (yes, no):
        raise ValueError(f"expected '{yes}' or '{no}', got '{value}'")
    return value == yes


def _int(value: str, what: str) -> int:
    if not value.isdigit():
        raise ValueError(f"{what}: expected a whole number, got '{value}'")
    return int(value)


def _paper(state: SimState, args: list[str]) -> None:
    if args[:1] == ["out-after"] and len(args) == 2:
        state.paper_out_after = _int(args[1], "paper out-after")
        return
    if len(args) != 1 or args[0] not in ("ok", "near", "out"):
        raise ValueError(f"paper: expected ok, near, out or out-after N, got {' '.join(args)!r}")
    state.paper, state.paper_out_after = args[0], None


def apply(state: SimState, line: str) -> str:
    """Change `state` by one command line; returns the reply ("ok …" or raises ValueError)."""
    words = line.strip().lower().split()
    if not words:
        raise ValueError("empty command; try 'help'")
    cmd, args = words[0], words[1:]
    if cmd == "paper" and args:
        _paper(state, args)
    elif cmd == "cover" and len(args) == 1:
        state.cover_open = _flag(args[0], "open", "closed")
    elif cmd == "cutter" and len(args) == 1:
        state.cutter_error = _flag(args[0], "error", "ok")
    elif cmd in ("offline", "online") and not args:
        state.offline = cmd == "offline"
    elif cmd in ("silent", "answering") and not args:
        state.silent = cmd == "silent"
    elif cmd == "baud" and len(args) == 1:
        state.baud = _int(args[0], "baud")
    elif cmd == "status" and not args:
        return state.to_json()
    elif cmd == "help":
        return HELP.replace("\n", " | ")
    else:
        raise ValueError(f"unknown command {line.strip()!r}; try 'help'")
    return "ok " + state.to_json()
