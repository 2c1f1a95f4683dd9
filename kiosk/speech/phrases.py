"""What to say, as a sequence of voice-pack clips: pure text rules, no audio.

An announcement is "请A012号到3号窗口办理": the letters as letters, the ticket's digits one by
one as halls read them (A零一二), the window as a number (十二号窗口). A recall inserts 再次.
Any other text (a prompt, `kiosk speak`) is split into the pack's phrases (longest first);
what no clip covers is left for the synthesiser, or refused when there is none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DIGITS = "零一二三四五六七八九"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHIME = "chime"

# Every clip an announcement can need; a voice pack must have all of them.
WORDS = ("请", "号", "到", "窗口", "办理", "再次")
ANNOUNCEMENT_CLIPS: tuple[str, ...] = (CHIME, *WORDS, *DIGITS, "十", "百", *LETTERS)

# Prompts the evaluator and the kiosk speak as whole clips (recorded or synthesised once).
PROMPTS: tuple[str, ...] = (
    "请您对本次服务进行评价",
    "请选择不满意的原因",
    "谢谢您的评价",
    "非常满意", "满意", "基本满意", "不满意", "非常不满意",
    "服务效率", "服务水平", "服务态度",
)

_TICKET = r"([A-Z]{1,2})\s*(\d{1,3})"
ANNOUNCEMENT_RE = re.compile(
    rf"^\s*请?\s*{_TICKET}\s*号\s*(再次)?\s*到\s*(\d{{1,3}})\s*号?\s*窗口\s*(办理)?\s*[。.!！]?\s*$")
_PAUSE_CHARS = "，,、；;：:。.!！?？ \t\n"


@dataclass(frozen=True)
class Pause:
    ms: int


@dataclass(frozen=True)
class Synth:
    """Text no clip covers: the synthesiser says it (or rendering refuses, naming it)."""

    text: str


Step = str | Pause | Synth
"""A clip name, a pause, or text for the synthesiser."""


@dataclass(frozen=True)
class Call:
    """One call to announce: the ticket number, the window's number, whether it is a recall."""

    number: str
    window: int
    recall: bool = False

    @property
    def text(self) -> str:
        again = "再次" if self.recall else ""
        return f"请{self.number}号{again}到{self.window}号窗口办理"


def number_words(n: int) -> list[str]:
    """0..999 as Chinese numerals, one clip per character: 12 → 十二, 20 → 二十, 105 → 一百零五."""
    if not 0 <= n <= 999:
        raise ValueError(f"window number must be 0..999, got {n}")
    if n < 10:
        return [DIGITS[n]]
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out: list[str] = []
    if hundreds:
        out += [DIGITS[hundreds], "百"]
        if rest == 0:
            return out
        if tens == 0:
            return [*out, "零", DIGITS[ones]]
        out += [DIGITS[tens], "十"]
    else:
        out += ["十"] if tens == 1 else [DIGITS[tens], "十"]
    if ones:
        out.append(DIGITS[ones])
    return out


def ticket_words(number: str) -> list[str]:
    """"A012" → A 零 一 二 (letters as letters, digits one by one)."""
    m = re.fullmatch(_TICKET, number.strip().upper())
    if not m:
        raise ValueError(f"not a ticket number: {number!r} (expected letters then digits, "
                         "e.g. A012)")
    return [*m.group(1), *(DIGITS[int(d)] for d in m.group(2))]


def call_steps(call: Call) -> list[Step]:
    """The clips of one saying of a call (no chime)."""
    steps: list[Step] = ["请", Pause(60), *ticket_words(call.number), "号"]
    if call.recall:
        steps.append("再次")
    steps += ["到", *number_words(call.window), "号", "窗口", "办理"]
    return steps


def announcement_steps(call: Call, repeat: int = 2, between_ms: int = 700) -> list[Step]:
    """Chime, then the call `repeat` times with a pause between."""
    steps: list[Step] = [CHIME, Pause(250)]
    for i in range(max(1, repeat)):
        if i:
            steps.append(Pause(between_ms))
        steps += call_steps(call)
    return steps


def parse_call(text: str) -> Call | None:
    """"请A012号到3号窗口办理" (or "A012号再次到3号窗口") → Call; anything else → None."""
    m = ANNOUNCEMENT_RE.match(text.upper())
    if not m:
        return None
    return Call(m.group(1) + m.group(2), int(m.group(4)), recall=bool(m.group(3)))


def text_steps(text: str, phrases: Iterable[str]) -> list[Step]:
    """Any text as clips: an announcement by its rules; text the pack's phrases cover
    completely (longest first, ticket numbers letter by letter, punctuation as pauses) as those
    clips; anything else whole, for the synthesiser — a sentence half in clips and half
    synthesised sounds worse than one synthesised sentence."""
    call = parse_call(text)
    if call is not None:
        return call_steps(call)
    steps = _cover(text, phrases)
    if any(isinstance(s, Synth) for s in steps):
        return [Synth(text.strip())]
    return steps


def _cover(text: str, phrases: Iterable[str]) -> list[Step]:
    known = sorted(set(phrases) - {CHIME}, key=len, reverse=True)
    steps: list[Step] = []
    pending = ""
    i = 0
    while i < len(text):
        taken, size = _match_at(text, i, known)
        if not taken:
            pending += text[i]
            i += 1
            continue
        if pending:
            steps.append(Synth(pending))
            pending = ""
        steps += taken
        i += size
    if pending:
        steps.append(Synth(pending))
    return _merge_pauses(steps)


def _match_at(text: str, i: int, known: list[str]) -> tuple[list[Step], int]:
    ch = text[i]
    if ch in _PAUSE_CHARS:
        return [Pause(300 if ch in "。.!！?？" else 180)], 1
    m = re.match(_TICKET, text[i:].upper())
    if m and (i == 0 or not text[i - 1].isalnum()):
        return list[Step](ticket_words(m.group(0).replace(" ", ""))), m.end()
    if ch.isdigit():
        run = re.match(r"\d+", text[i:])
        assert run is not None
        digits = run.group(0)
        words = number_words(int(digits)) if len(digits) <= 3 and digits[0] != "0" else [
            DIGITS[int(d)] for d in digits]
        return list(words), len(digits)
    if ch.upper() in LETTERS and ch.isascii():
        return [ch.upper()], 1
    for phrase in known:
        if text.startswith(phrase, i):
            return [phrase], len(phrase)
    return [], 0


def _merge_pauses(steps: list[Step]) -> list[Step]:
    out: list[Step] = []
    for s in steps:
        if isinstance(s, Pause) and out and isinstance(out[-1], Pause):
            out[-1] = Pause(max(out[-1].ms, s.ms))
        else:
            out.append(s)
    while out and isinstance(out[-1], Pause):
        out.pop()
    while out and isinstance(out[0], Pause):
        out.pop(0)
    return out
