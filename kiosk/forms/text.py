"""Line breaking for Chinese on paper: break between any two characters, keep closing
punctuation on the line it closes (it may overhang the margin, as Chinese typesetting allows),
honour explicit newlines."""

from __future__ import annotations

from collections.abc import Callable

NO_LINE_START = set("，。、；：？！）》」』”’%,.;:?!)")


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """`text` in lines no wider than `width` (measured by `measure`), at least one line."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for ch in para:
            if line and measure(line + ch) > width and ch not in NO_LINE_START:
                lines.append(line)
                line = ch.lstrip() if ch == " " else ch
            else:
                line += ch
        lines.append(line)
    return lines


def balanced_wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Like wrap, but lines of even length: a label '申请人姓名' in a narrow cell becomes
    '申请人 / 姓名', not '申请人姓 / 名'."""
    lines = wrap(text, width, measure)
    if len(lines) < 2 or "\n" in text:
        return lines
    total = measure(text)
    target = total / len(lines)
    while target < width:
        trial = wrap(text, target, measure)
        if len(trial) <= len(lines):
            return trial
        target += max(1.0, total * 0.02)
    return lines
