"""A simulated SAM ID card reader: answers every command of the protocol doc with correct
frames, holds scriptable cards, and injects faults on command.

The protocol state lives in `SimReader` (no I/O: frames in, timed chunks out); transports
(pty, TCP) and the control channel are in idreader_transport.py.

Faults (`fault <name> [op] [seconds]`; one-shot unless noted; op = find, select, read,
address, sam or any):
    no-card        find answers 80 though a card is placed (persistent until `fault clear`)
    select-fail    the next select answers 81
    read-fail      the next read answers 41
    bad-checksum   the next reply to op (default read) has a corrupt checksum
    truncated      the next reply to op is cut in half
    split          the next reply to op is sent in three pieces, 30 ms apart
    garbage        the next reply to op is preceded by garbage bytes
    late           the next reply to op comes after `seconds` (default 1.0): after a time-out
    sam-fail       the SAM fails its self-test: every command answers 60 (persistent)
    unplug         cable pull: the line drops; replugged after `seconds` (default 1.0, 0: stay
                   unplugged until `replug`)
    clear          remove every fault
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from devices.errors import ReaderError
from devices.id_reader.frames import build_response, parse_command
from devices.id_reader.sw import Sw3
from devices.sim.idcards import SimCard

log = logging.getLogger(__name__)

ONE_SHOT = {"select-fail": "select", "read-fail": "read", "bad-checksum": "read",
            "truncated": "read", "split": "read", "garbage": "read", "late": "read"}
PERSISTENT = {"no-card", "sam-fail"}
OPS = {"find", "select", "read", "address", "sam", "any"}
FAULTS = sorted({*ONE_SHOT, *PERSISTENT, "unplug", "clear"})
GARBAGE = bytes.fromhex("00 FF 13 AA AA 96 55 69 AA 7E 00 01 AA AA AA")
SAM_ID = bytes.fromhex("05 00 01 00 92 B7 32 01 39 30 00 00 15 CD 5B 07")
#: The card UID part of the select reply; the protocol doc shows 8 bytes, content unknown.
SELECT_DATA = bytes(8)


@dataclass
class Chunk:
    """Bytes to write after waiting `delay_s`."""

    data: bytes
    delay_s: float = 0.0


@dataclass
class _Faults:
    one_shot: dict[str, tuple[str, float]] = field(default_factory=dict)  # name → (op, seconds)
    persistent: set[str] = field(default_factory=set)


def _op_of(cmd: int, para: int) -> str:
    if cmd in (0x10, 0x11, 0x12, 0x60):
        return "sam"
    if cmd == 0x20:
        return "find" if para == 0x01 else "select"
    if cmd == 0x30:
        return "address" if para == 0x03 else "read"
    return "any"


class SimReader:
    """The reader's protocol state. Thread-safe: the control channel and the line share it."""

    def __init__(self, cards: list[SimCard], rereport: bool = False) -> None:
        self.cards = list(cards)
        #: Some readers answer find with 9F at every poll while a card stays on them; the
        #: default follows the protocol doc: 80 until the card is presented again.
        self.rereport = rereport
        self._lock = threading.Lock()
        self._placed: int | None = None
        self._reported = False   # the placed card was read: find answers 80 until re-placed
        self._selected = False
        self._faults = _Faults()
        self.commands_seen = 0

    # --- control -----------------------------------------------------------------------

    def find_card(self, name: str) -> int:
        """Index of a card by label or index, e.g. `place resident` or `place 0`."""
        for i, card in enumerate(self.cards):
            if card.label == name:
                return i
        if name.isdigit() and int(name) < len(self.cards):
            return int(name)
        raise ReaderError(f"no card {name!r}; cards: {', '.join(c.label for c in self.cards)}")

    def place(self, name: str) -> SimCard:
        index = self.find_card(name)
        with self._lock:
            self._placed, self._reported, self._selected = index, False, False
        return self.cards[index]

    def remove(self) -> None:
        with self._lock:
            self._placed, self._reported, self._selected = None, False, False

    @property
    def placed(self) -> SimCard | None:
        return None if self._placed is None else self.cards[self._placed]

    def inject(self, name: str, op: str = "", seconds: float = 1.0) -> None:
        if name not in FAULTS or name == "unplug":
            raise ReaderError(f"unknown fault {name!r}; faults: {', '.join(FAULTS)}")
        if op and op not in OPS:
            raise ReaderError(f"fault {name}: unknown op {op!r}; ops: {', '.join(sorted(OPS))}")
        with self._lock:
            if name == "clear":
                self._faults = _Faults()
            elif name in PERSISTENT:
                self._faults.persistent.add(name)
            else:
                self._faults.one_shot[name] = (op or ONE_SHOT[name], seconds)

    # --- the line ----------------------------------------------------------------------

    def handle(self, frame: bytes) -> list[Chunk]:
        """One command frame in, the reply as timed chunks out (with any fault applied)."""
        command = parse_command(frame)
        op = _op_of(command.cmd, command.para)
        with self._lock:
            self.commands_seen += 1
            sw3, data = self._answer(command.cmd, command.para, op)
            return self._deliver(op, build_response(sw3, data))

    def _answer(self, cmd: int, para: int, op: str) -> tuple[int, bytes]:
        if "sam-fail" in self._faults.persistent:
            return Sw3.SAM_SELF_TEST_FAILED, b""
        if op == "sam":
            return Sw3.SUCCESS, SAM_ID if cmd == 0x12 else b""
        if op == "find":
            return self._find()
        if op == "select":
            return self._select()
        if op == "read":
            return self._read(with_fingerprint=para == 0x10)
        if op == "address":
            card = self.placed
            if card is None or not self._selected:
                return Sw3.READ_FAILED, b""
            return (Sw3.SUCCESS, card.appended_address) if card.appended_address \
                else (Sw3.NO_CONTENT, b"")
        return Sw3.COMMAND_ERROR, b""

    def _find(self) -> tuple[int, bytes]:
        self._selected = False
        if self._placed is None or self._reported or "no-card" in self._faults.persistent:
            return Sw3.NO_CARD, b""
        return Sw3.FIND_OK, bytes(4)

    def _select(self) -> tuple[int, bytes]:
        # Assumption (the doc is silent): select answers while a card is in the field, even one
        # already reported, so the host can tell a card left on the reader from one removed.
        if self._placed is None or self._take("select-fail"):
            return Sw3.SELECT_FAILED, b""
        self._selected = True
        return Sw3.SUCCESS, SELECT_DATA

    def _read(self, with_fingerprint: bool) -> tuple[int, bytes]:
        card = self.placed
        if card is None or not self._selected or self._reported or self._take("read-fail"):
            return Sw3.READ_FAILED, b""
        lengths = len(card.text).to_bytes(2, "big") + len(card.photo).to_bytes(2, "big")
        body = card.text + card.photo
        if with_fingerprint:
            lengths += len(card.fingerprint).to_bytes(2, "big")
            body += card.fingerprint
        self._reported = not self.rereport and not self._reply_fault_pending("read")
        return Sw3.SUCCESS, lengths + body

    def _take(self, name: str) -> bool:
        return self._faults.one_shot.pop(name, None) is not None

    def _reply_fault_pending(self, op: str) -> bool:
        """A corrupting fault (not `late`) on this op: the host will not receive the reply."""
        return any(n in ("bad-checksum", "truncated") and o in (op, "any")
                   for n, (o, _) in self._faults.one_shot.items())

    def _deliver(self, op: str, frame: bytes) -> list[Chunk]:
        for name in ("bad-checksum", "truncated", "garbage", "split", "late"):
            target = self._faults.one_shot.get(name)
            if target is not None and target[0] in (op, "any"):
                del self._faults.one_shot[name]
                log.info("sim idreader: fault %s on the %s reply", name, op)
                return _apply(name, frame, target[1])
        return [Chunk(frame)]


def _apply(name: str, frame: bytes, seconds: float) -> list[Chunk]:
    if name == "bad-checksum":
        return [Chunk(frame[:-1] + bytes([frame[-1] ^ 0xFF]))]
    if name == "truncated":
        return [Chunk(frame[:len(frame) // 2])]
    if name == "garbage":
        return [Chunk(GARBAGE + frame)]
    if name == "split":
        a, b = len(frame) // 3, 2 * len(frame) // 3
        return [Chunk(frame[:a]), Chunk(frame[a:b], 0.03), Chunk(frame[b:], 0.03)]
    return [Chunk(frame, seconds)]  # late
