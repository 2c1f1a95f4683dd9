"""Decoding the ESC/POS byte stream the project emits, as the virtual printer sees it.

Pure and incremental: `feed()` takes whatever arrived (a command may be split across reads)
and returns the receipts that a cut completed. It never raises on bad input: an unknown or
impossible command is skipped byte by byte and counted, because a real printer prints garbage
rather than stopping, and the hypothesis test feeds it random bytes.

Real-time status requests (DLE EOT n) are answered through `respond`, in stream order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image

MAX_IMAGE_BYTES = 1 << 20   # a GS v 0 bigger than this is garbage, not a picture


@dataclass(frozen=True)
class Line:
    text: str
    align: int = 0       # 0 left, 1 centre, 2 right
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass(frozen=True)
class Picture:
    image: Image.Image   # mode "1", ink = 1


@dataclass(frozen=True)
class QRMark:
    data: str
    size: int


@dataclass(frozen=True)
class BarcodeMark:
    data: str
    height: int


@dataclass(frozen=True)
class Gap:
    dots: int            # paper fed by ESC J n (no text line)


Element = Line | Picture | QRMark | BarcodeMark | Gap


@dataclass
class Receipt:
    elements: list[Element] = field(default_factory=list)
    raw: bytes = b""
    cut: str = ""        # "full", "partial", or "" (torn off / connection ended)

    def text_lines(self) -> list[str]:
        """The slip as text: lines as printed, graphics as bracketed marks."""
        out: list[str] = []
        for e in self.elements:
            if isinstance(e, Line):
                out.append(e.text)
            elif isinstance(e, QRMark):
                out.append(f"[QR {e.data}]")
            elif isinstance(e, BarcodeMark):
                out.append(f"[BARCODE {e.data}]")
            elif isinstance(e, Gap):
                continue
            else:
                out.append(f"[IMAGE {e.image.width}x{e.image.height}]")
        return out


# ESC/GS/FS commands this decoder only needs to skip: command byte → number of parameter bytes.
_ESC_ARGS = {0x20: 1, 0x21: 1, 0x24: 2, 0x2D: 1, 0x32: 0, 0x33: 1, 0x3D: 1, 0x40: 0, 0x45: 1,
             0x47: 1, 0x4A: 1, 0x4D: 1, 0x52: 1, 0x56: 1, 0x5C: 2, 0x61: 1, 0x63: 2, 0x64: 1,
             0x65: 1, 0x69: 0, 0x6D: 0, 0x70: 3, 0x74: 1, 0x7B: 1, 0x55: 1, 0x6A: 1}
_GS_ARGS = {0x21: 1, 0x42: 1, 0x48: 1, 0x49: 1, 0x4C: 2, 0x57: 2, 0x50: 2, 0x61: 1, 0x62: 1,
            0x66: 1, 0x68: 1, 0x72: 1, 0x77: 1}
_FS_ARGS = {0x21: 1, 0x26: 0, 0x2E: 0, 0x2D: 1, 0x43: 1, 0x57: 1, 0x53: 2, 0x70: 2}
NEED_MORE = 0


class Decoder:
    """One printer's interpretation of a byte stream."""

    def __init__(self, *, encoding: str = "gb18030", cols: int = 48,
                 respond: Callable[[int], None] | None = None) -> None:
        self.encoding = encoding
        self.cols = cols
        self.respond = respond or (lambda n: None)
        self.on_line: Callable[[], None] = lambda: None
        self.halted = False          # paper out / cover open: print data is lost
        self.skipped = 0             # bytes that made no sense
        self.auto_wraps = 0          # lines wider than the paper (the printer wrapped them)
        self._buf = bytearray()
        self._raw = bytearray()
        self._elements: list[Element] = []
        self._line: list[tuple[str, int]] = []   # (decoded text, columns)
        self._line_style: tuple[int, bool, int, int] | None = None
        self._qr_data = ""
        self._qr_size = 3
        self._barcode_height = 162
        self._reset()

    def _reset(self) -> None:
        self.align, self.bold, self.width, self.height, self.chinese = 0, False, 1, 1, False

    # ---- stream ----------------------------------------------------------------------------

    def feed(self, data: bytes) -> list[Receipt]:
        self._buf += data
        done: list[Receipt] = []
        pos = 0
        while pos < len(self._buf):
            used, receipt = self._step(pos)
            if used == NEED_MORE:
                break
            if receipt is not None:       # the cut belongs to the receipt it ends
                receipt.raw += bytes(self._buf[pos:pos + used])
                done.append(receipt)
            elif not self.halted:
                self._raw += self._buf[pos:pos + used]
            pos += used
        del self._buf[:pos]
        return done

    def finish(self) -> Receipt | None:
        """What was printed since the last cut (the paper ran out, or the stream ended)."""
        self._flush_line(force=False)
        if not self._elements:
            self._raw.clear()
            return None
        return self._take("")

    def end_of_stream(self) -> Receipt | None:
        """The connection closed: a half-received command is dropped (so one bad sender
        cannot swallow the next job) and the slip so far is torn off."""
        self._buf.clear()
        self._reset()
        return self.finish()

    def _take(self, cut: str) -> Receipt:
        receipt = Receipt(self._elements, bytes(self._raw), cut)
        self._elements, self._raw = [], bytearray()
        return receipt

    def _step(self, pos: int) -> tuple[int, Receipt | None]:
        b = self._buf[pos]
        handler = {0x1B: self._esc, 0x1D: self._gs, 0x1C: self._fs, 0x10: self._dle}.get(b)
        if handler is not None:
            return handler(pos)
        if b == 0x0A:
            self._flush_line(force=True)
            return 1, None
        if b < 0x20:
            if b not in (0x0D, 0x09, 0x00):
                self.skipped += 1
            return 1, None
        return self._text(pos), None

    def _have(self, pos: int, n: int) -> bool:
        return len(self._buf) - pos >= n

    # ---- text ------------------------------------------------------------------------------

    def _char_len(self, pos: int) -> int:
        """Bytes in the character at pos (1, 2 or 4), NEED_MORE if cut short."""
        b = self._buf[pos]
        if b < 0x80 or not self.chinese or b == 0x80 or b == 0xFF:
            return 1
        if not self._have(pos, 2):
            return NEED_MORE
        second = self._buf[pos + 1]
        if 0x30 <= second <= 0x39 and self.encoding == "gb18030":
            return 4 if self._have(pos, 4) else NEED_MORE
        return 2

    def _text(self, pos: int) -> int:
        n = self._char_len(pos)
        if n == NEED_MORE:
            return NEED_MORE
        chunk = bytes(self._buf[pos:pos + n])
        if n == 1 and chunk[0] >= 0x80:
            ch = chunk.decode("cp437")
        else:
            ch = chunk.decode(self.encoding if self.chinese else "ascii", errors="replace")
        self._put_char(ch, 1 if n == 1 else 2)
        return n

    def _put_char(self, ch: str, cw: int) -> None:
        if self.halted:
            return
        if self._line_style is None:
            self._line_style = (self.align, self.bold, self.width, self.height)
        used = sum(w for _, w in self._line) * self._line_style[2]
        if self._line and used + cw * self._line_style[2] > self.cols:
            self.auto_wraps += 1
            self._flush_line(force=True)
            self._line_style = (self.align, self.bold, self.width, self.height)
        self._line.append((ch, cw))

    def _flush_line(self, force: bool) -> None:
        if self.halted or (not force and not self._line):
            return
        align, bold, width, height = self._line_style or (self.align, self.bold, self.width,
                                                          self.height)
        self._elements.append(Line("".join(t for t, _ in self._line), align, bold, width, height))
        self._line, self._line_style = [], None
        self.on_line()

    def _add(self, element: Element) -> None:
        if not self.halted:
            self._flush_line(force=False)
            self._elements.append(element)

    # ---- ESC ---------------------------------------------------------------------------------

    def _esc(self, pos: int) -> tuple[int, Receipt | None]:
        if not self._have(pos, 2):
            return NEED_MORE, None
        cmd = self._buf[pos + 1]
        nargs = _ESC_ARGS.get(cmd)
        if nargs is None:
            self.skipped += 1
            return 1, None
        if not self._have(pos, 2 + nargs):
            return NEED_MORE, None
        arg = self._buf[pos + 2] if nargs else 0
        return 2 + nargs, self._esc_apply(cmd, arg)

    def _esc_apply(self, cmd: int, arg: int) -> Receipt | None:
        if cmd == 0x40:
            self._flush_line(force=False)
            self._reset()
        elif cmd == 0x61:
            self.align = arg % 3 if arg < 0x30 else (arg - 0x30) % 3
        elif cmd == 0x45:
            self.bold = bool(arg & 1)
        elif cmd == 0x21:
            self.bold = bool(arg & 0x08)
            self.height, self.width = 1 + bool(arg & 0x10), 1 + bool(arg & 0x20)
        elif cmd == 0x64:
            self._flush_line(force=False)
            for _ in range(arg):
                self._flush_line(force=True)
        elif cmd == 0x4A:
            self._flush_line(force=False)
            if arg:
                self._add(Gap(arg))
        elif cmd in (0x69, 0x6D):
            return self._cut("full" if cmd == 0x69 else "partial")
        return None

    def _cut(self, kind: str) -> Receipt | None:
        self._flush_line(force=False)
        if self.halted or not self._elements:
            return None
        return self._take(kind)

    # ---- GS ----------------------------------------------------------------------------------

    def _gs(self, pos: int) -> tuple[int, Receipt | None]:
        if not self._have(pos, 2):
            return NEED_MORE, None
        cmd = self._buf[pos + 1]
        special = {0x56: self._gs_cut, 0x76: self._gs_raster, 0x28: self._gs_paren,
                   0x6B: self._gs_barcode}.get(cmd)
        if special is not None:
            return special(pos)
        nargs = _GS_ARGS.get(cmd)
        if nargs is None:
            self.skipped += 1
            return 1, None
        if not self._have(pos, 2 + nargs):
            return NEED_MORE, None
        arg = self._buf[pos + 2]
        if cmd == 0x21:
            self.width, self.height = 1 + min(7, arg >> 4), 1 + min(7, arg & 0x0F)
        elif cmd == 0x68:
            self._barcode_height = arg
        return 2 + nargs, None

    def _gs_cut(self, pos: int) -> tuple[int, Receipt | None]:
        if not self._have(pos, 3):
            return NEED_MORE, None
        m = self._buf[pos + 2]
        size = 4 if m in (0x41, 0x42, 0x61, 0x62, 0x67, 0x68) else 3
        if not self._have(pos, size):
            return NEED_MORE, None
        kind = "full" if m in (0x00, 0x30, 0x41, 0x61) else "partial"
        return size, self._cut(kind)

    def _gs_raster(self, pos: int) -> tuple[int, Receipt | None]:
        if not self._have(pos, 3):
            return NEED_MORE, None
        if self._buf[pos + 2] != 0x30:
            self.skipped += 1
            return 1, None
        if not self._have(pos, 8):
            return NEED_MORE, None
        xb = int.from_bytes(self._buf[pos + 4:pos + 6], "little")
        rows = int.from_bytes(self._buf[pos + 6:pos + 8], "little")
        size = xb * rows
        if size == 0 or size > MAX_IMAGE_BYTES:
            self.skipped += 8
            return 8, None
        if not self._have(pos, 8 + size):
            return NEED_MORE, None
        img = Image.frombytes("1", (xb * 8, rows), bytes(self._buf[pos + 8:pos + 8 + size]))
        self._add(Picture(img))
        return 8 + size, None

    def _gs_paren(self, pos: int) -> tuple[int, Receipt | None]:
        if not self._have(pos, 5):
            return NEED_MORE, None
        length = int.from_bytes(self._buf[pos + 3:pos + 5], "little")
        if not self._have(pos, 5 + length):
            return NEED_MORE, None
        body = bytes(self._buf[pos + 5:pos + 5 + length])
        if self._buf[pos + 2] == 0x6B and len(body) >= 2 and body[0] == 0x31:
            self._qr(body[1], body[2:])
        return 5 + length, None

    def _qr(self, fn: int, params: bytes) -> None:
        if fn == 0x43 and params:
            self._qr_size = params[0]
        elif fn == 0x50 and params:
            self._qr_data = params[1:].decode("utf-8", errors="replace")
        elif fn == 0x51 and self._qr_data:
            self._add(QRMark(self._qr_data, self._qr_size))

    def _gs_barcode(self, pos: int) -> tuple[int, Receipt | None]:
        if not self._have(pos, 4):
            return NEED_MORE, None
        m = self._buf[pos + 2]
        if m <= 6:
            end = self._buf.find(b"\x00", pos + 3, pos + 3 + 256)
            if end < 0:
                return (NEED_MORE, None) if len(self._buf) - pos < 259 else (1, None)
            data, size = bytes(self._buf[pos + 3:end]), end + 1 - pos
        else:
            n = self._buf[pos + 3]
            if not self._have(pos, 4 + n):
                return NEED_MORE, None
            data, size = bytes(self._buf[pos + 4:pos + 4 + n]), 4 + n
        if m == 73 and data[:1] == b"{":
            data = data[2:]
        self._add(BarcodeMark(data.decode("latin-1"), self._barcode_height))
        return size, None

    # ---- FS, DLE -----------------------------------------------------------------------------

    def _fs(self, pos: int) -> tuple[int, Receipt | None]:
        if not self._have(pos, 2):
            return NEED_MORE, None
        cmd = self._buf[pos + 1]
        nargs = _FS_ARGS.get(cmd)
        if nargs is None:
            self.skipped += 1
            return 1, None
        if not self._have(pos, 2 + nargs):
            return NEED_MORE, None
        if cmd in (0x26, 0x2E):
            self.chinese = cmd == 0x26
        return 2 + nargs, None

    def _dle(self, pos: int) -> tuple[int, Receipt | None]:
        if not self._have(pos, 3):
            return NEED_MORE, None
        cmd, n = self._buf[pos + 1], self._buf[pos + 2]
        if cmd == 0x04 and 1 <= n <= 4:
            self.respond(n)
            return 3, None
        if cmd == 0x05:
            return 3, None
        if cmd == 0x14:
            return (5, None) if self._have(pos, 5) else (NEED_MORE, None)
        self.skipped += 1
        return 1, None
