"""Wrapping by display width, as a thermal printer lays text out.

In the printer's Chinese mode every double-byte character takes two columns and ASCII one, so
width is counted per character, never with len(). A run of ASCII letters or digits (a word, a
phone number, "2026-11-23") is never split across lines unless it alone is wider than a line,
nor is a range ("上午8:30—12:00": a time range broken after the dash read as two times).
Closing punctuation is kept off the start of a line and opening brackets off its end
(避头尾), as Chinese typesetting expects.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devices.receipt_printer.document import Block

# Tokens: a range of numbers or times kept whole ("8:30—12:00", "10～15", "3至5"), a run of
# non-space ASCII (a word/number/URL), a single space, or one other character.
_RANGE = r"[\x21-\x7e]*[0-9]%?(?:[—–～至][0-9][\x21-\x7e]*)+"
_TOKEN = re.compile(_RANGE + r"|[\x21-\x7e]+| |[^\x00-\x7f]|[\x00-\x20]")
_NO_LINE_START = set("，。、；：？！）》」』】〕〉”’·…—%,.;:?!)")
_NO_LINE_END = set("（《「『【〔〈“‘(")


def char_width(ch: str) -> int:
    """Columns a character takes on the printer: ASCII 1, anything else 2."""
    return 1 if ord(ch) < 0x80 else 2


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def _split_long(token: str, cols: int) -> list[str]:
    """Hard-split a token wider than a whole line (a long URL): nothing else fits."""
    pieces: list[str] = []
    cur = ""
    for ch in token:
        if cur and text_width(cur) + char_width(ch) > cols:
            pieces.append(cur)
            cur = ""
        cur += ch
    if cur:
        pieces.append(cur)
    return pieces


def _tokens(paragraph: str, cols: int) -> list[str]:
    out: list[str] = []
    for tok in _TOKEN.findall(paragraph):
        if len(tok) > 1 and text_width(tok) > cols:
            out.extend(_split_long(tok, cols))
        else:
            out.append(tok)
    return out


def _clean(paragraph: str) -> str:
    """Tabs become spaces; other control characters would move the print head: dropped."""
    return "".join(" " if c == "\t" else c for c in paragraph
                   if c == "\t" or (ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F))


def _carry(cur: str, punct: str, cols: int) -> tuple[str, str]:
    """Split `cur` so that closing punctuation does not start a line: the last character goes
    down with it — or the whole last ASCII word, which must not be split. If that cannot fit,
    the punctuation starts the line after all."""
    word = re.search(_RANGE + r"$|[\x21-\x7e]+$", cur)
    keep = word.start() if word else len(cur) - 1
    if keep <= 0 or text_width(cur[keep:]) + text_width(punct) > cols:
        return cur, ""
    return cur[:keep], cur[keep:]


def _wrap_paragraph(paragraph: str, cols: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    for tok in _tokens(paragraph, cols):
        if text_width(cur) + text_width(tok) <= cols:
            cur += tok
            continue
        if tok == " ":
            lines.append(cur)
            cur = ""
            continue
        line, cur = _carry(cur, tok, cols) if tok in _NO_LINE_START else (cur, "")
        if (len(line) > 1 and line[-1] in _NO_LINE_END      # an opening bracket goes down too
                and text_width(line[-1] + cur + tok) <= cols):
            line, cur = line[:-1], line[-1] + cur
        lines.append(line.rstrip(" "))
        cur += tok
    lines.append(cur.rstrip(" "))
    return lines


def wrap(text: str, cols: int, indent: int = 0) -> list[str]:
    """Lines of at most `cols` columns; explicit newlines are kept. `indent` spaces start
    every line after the first (hanging indent for list items)."""
    if cols < 2:
        raise ValueError(f"wrap: expected at least 2 columns, got {cols}")
    indent = min(max(0, indent), cols // 2)
    out: list[str] = []
    for raw in text.split("\n"):
        paragraph = _clean(raw)
        first = _wrap_paragraph(paragraph, cols)
        if indent and len(first) > 1:
            rest = _wrap_paragraph(paragraph[len(first[0]):].lstrip(" "), cols - indent)
            first = [first[0]] + [" " * indent + line for line in rest]
        out.extend(first)
    return out


def checklist_lines(items: tuple[tuple[str, str], ...], box: str, cols: int) -> list[str]:
    """'□ 居民身份证' then the detail indented under the text, each wrapped."""
    pad = text_width(box) + 1
    lines: list[str] = []
    for text, detail in items:
        lines.extend(wrap(f"{box} {text}", cols, indent=pad))
        if detail:
            lines.extend(" " * pad + line for line in wrap(detail, cols - pad))
    return lines


def block_lines(block: Block, cols: int) -> list[str]:
    """The text lines a block prints (for text comparison and the txt of the virtual printer)."""
    from devices.receipt_printer import document as d

    if isinstance(block, d.Text):
        return [line for line in wrap(block.text, max(2, cols // block.width), block.indent)]
    if isinstance(block, d.Rule):
        return [block.char * (cols // text_width(block.char))]
    if isinstance(block, d.CheckList):
        return checklist_lines(block.items, block.box, cols)
    if isinstance(block, d.QR):
        return [f"[QR {block.data}]"]
    if isinstance(block, d.Barcode):
        return [f"[BARCODE {block.data}]"]
    if isinstance(block, d.Feed):
        return [""] * block.lines
    return []
