"""Receipt document + printer profile → ESC/POS bytes. Pure: no I/O but reading the font in
raster mode, so tests assert exact bytes and the same bytes go to any connection.

Chinese is sent in the printer's Chinese mode (`FS &` … `FS .`) as GB18030 or GBK double bytes,
encoded here rather than by python-escpos, whose "magic encode" never sends `FS &` and turns
CJK punctuation and 〇 into `?`. Printers with no Chinese font get the text drawn (`GS v 0`).
Every text block sets its own alignment, emphasis and size, so a block's bytes do not depend on
what came before it (and a lost byte cannot leave the rest of the slip in double height).
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.receipt_printer import document as d
from devices.receipt_printer import raster
from devices.receipt_printer.wrap import checklist_lines, wrap

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
LF = b"\n"
INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
_ALIGN = {d.Align.LEFT: 0, d.Align.CENTER: 1, d.Align.RIGHT: 2}
_CUT = {"full": GS + b"V\x00", "partial": GS + b"V\x01", "none": b""}
# Characters some GBK-only firmware lacks, replaced by the look-alike every font has.
_GBK_SUBSTITUTES = str.maketrans({"¥": "￥", "☐": "□", "☑": "√", "•": "·", "\u00a0": " "})


@dataclass(frozen=True)
class ProfileSpec:
    """What the renderer needs to know about one printer model (kiosk.config.PrinterProfile
    is converted to this in kiosk/receipts/service.py: devices/ never imports kiosk/)."""

    paper_mm: int = 80
    text_mode: str = "gb18030"     # "gb18030" | "gbk" | "raster"
    qr: str = "native"             # "native" (GS ( k) | "image" (GS v 0)
    cut: str = "partial"           # "full" | "partial" | "none"
    feed_before_cut: int = 4
    font_path: str = ""            # raster mode's CJK font; "" = find one

    def __post_init__(self) -> None:
        checks = (("paper_mm", self.paper_mm, (58, 80)),
                  ("text_mode", self.text_mode, ("gb18030", "gbk", "raster")),
                  ("qr", self.qr, ("native", "image")), ("cut", self.cut, tuple(_CUT)))
        for name, value, allowed in checks:
            if value not in allowed:
                raise ValueError(f"ProfileSpec.{name}: expected one of {allowed}, got {value!r}")

    @property
    def dots(self) -> int:
        return 384 if self.paper_mm == 58 else 576

    @property
    def cols(self) -> int:
        """ASCII columns of the standard 12x24 font (a CJK character takes two)."""
        return self.dots // 12


def style(align: d.Align = d.Align.LEFT, bold: bool = False, width: int = 1,
          height: int = 1) -> bytes:
    """ESC a (alignment), ESC E (emphasis), GS ! (magnification)."""
    return (ESC + b"a" + bytes([_ALIGN[align]]) + ESC + b"E" + bytes([int(bold)])
            + GS + b"!" + bytes([(width - 1) << 4 | (height - 1)]))


def encode_line(line: str, encoding: str) -> bytes:
    """A line's bytes: ASCII as is, anything else inside FS & … FS . in the profile's
    encoding. What the encoding cannot carry prints as '?' rather than failing the job."""
    if line.isascii():
        return line.encode("ascii")
    if encoding == "gbk":
        line = line.translate(_GBK_SUBSTITUTES)
    return CHINESE_ON + line.encode(encoding, errors="replace") + CHINESE_OFF


def qr_native(data: str, size: int) -> bytes:
    """GS ( k: model 2, module size, error correction M, store, print — centred."""
    payload = data.encode("utf-8")
    store_len = len(payload) + 3
    return (ESC + b"a\x01"
            + GS + b"(k\x04\x001A2\x00"
            + GS + b"(k\x03\x001C" + bytes([size])
            + GS + b"(k\x03\x001E1"
            + GS + b"(k" + store_len.to_bytes(2, "little") + b"1P0" + payload
            + GS + b"(k\x03\x001Q0"
            + ESC + b"a\x00")


def barcode(data: str, height: int) -> bytes:
    """CODE128 (GS k 73) in code set B, human-readable text below, centred."""
    payload = b"{B" + data.encode("ascii")
    return (ESC + b"a\x01" + GS + b"h" + bytes([height]) + GS + b"w\x02" + GS + b"H\x02"
            + GS + b"kI" + bytes([len(payload)]) + payload + ESC + b"a\x00")


class Renderer:
    """Renders blocks for one profile. One instance per profile; cheap to build."""

    def __init__(self, profile: ProfileSpec) -> None:
        self.p = profile

    def render(self, doc: d.ReceiptDocument) -> bytes:
        return INIT + b"".join(self.block(b) for b in doc.blocks)

    def block(self, block: d.Block) -> bytes:
        if isinstance(block, d.Text):
            lines = wrap(block.text, max(2, self.p.cols // block.width), block.indent)
            return self._lines(lines, block.align, block.bold, block.width, block.height)
        if isinstance(block, d.Rule):
            return self._lines([block.char * self.p.cols], d.Align.LEFT, False, 1, 1)
        if isinstance(block, d.CheckList):
            lines = checklist_lines(block.items, block.box, self.p.cols)
            return self._lines(lines, d.Align.LEFT, False, 1, 1)
        return self._graphic(block)

    def _graphic(self, block: d.Block) -> bytes:
        if isinstance(block, d.QR):
            if self.p.qr == "native":
                return qr_native(block.data, block.size)
            img = raster.qr_image(block.data, block.size, self.p.dots)
            return raster.raster_command(raster.trim_right(img))
        if isinstance(block, d.Barcode):
            return barcode(block.data, block.height)
        if isinstance(block, d.Feed):
            return ESC + b"d" + bytes([block.lines])
        if isinstance(block, d.Cut):
            return ESC + b"d" + bytes([self.p.feed_before_cut]) + _CUT[self.p.cut]
        raise TypeError(f"render: unknown block {block!r}")

    def _lines(self, lines: list[str], align: d.Align, bold: bool, width: int,
               height: int) -> bytes:
        if self.p.text_mode == "raster":
            return style() + b"".join(self._raster_line(line, align, bold, width, height)
                                      for line in lines)
        body = b"".join(encode_line(line, self.p.text_mode) + LF for line in lines)
        reset = style() if (bold or width > 1 or height > 1 or align != d.Align.LEFT) else b""
        return style(align, bold, width, height) + body + reset


    def _raster_line(self, line: str, align: d.Align, bold: bool, width: int,
                     height: int) -> bytes:
        """One line as a picture of its glyph rows only, trimmed on the right; the line gap
        (and a blank line) is paper feed (ESC J), not rows of white dots: ~40 % fewer bytes."""
        pitch = raster.LINE_PX * height
        if not line.strip():
            return feed_dots(pitch)
        img = raster.text_image([line], self.p.dots, width=width, height=height, bold=bold,
                                align=align.value, font_path=self.p.font_path)
        box = img.getbbox()
        glyph = img.crop((0, 0, img.width, box[3] if box else 1))   # down to the lowest ink
        return raster.raster_command(raster.trim_right(glyph)) + feed_dots(pitch - glyph.height)


def feed_dots(n: int) -> bytes:
    """ESC J: feed n dots (in 255-dot steps)."""
    return b"".join(ESC + b"J" + bytes([min(255, n - i)]) for i in range(0, n, 255))


def render(doc: d.ReceiptDocument, profile: ProfileSpec) -> bytes:
    """The bytes that print `doc` on a printer described by `profile`."""
    return Renderer(profile).render(doc)
