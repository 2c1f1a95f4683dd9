"""The Chinese face for generated PDFs: Noto Sans CJK SC (SIL OFL 1.1, fonts-noto-cjk).

Why the detour through fontTools: reportlab (BSD) embeds only TrueType outlines, and Noto
CJK ships as OpenType/CFF in a .ttc. So each document gets a subset of the face holding just
the characters it uses (a few hundred glyphs, ~0.5 s), its cubic CFF outlines converted to
quadratic TrueType ones (cu2qu, error ≤ 1 unit of 1000: invisible on paper), registered with
reportlab under a name derived from the character set. The OFL allows embedding subsets.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
REGULAR = NOTO_DIR / "NotoSansCJK-Regular.ttc"
BOLD = NOTO_DIR / "NotoSansCJK-Bold.ttc"
SC_INDEX = 2  # the .ttc holds JP, KR, SC, TC, HK: index 2 is Simplified Chinese (fc-query)

# Always present, so page numbers, dates and figures never miss a glyph.
BASE_CHARS = "0123456789 　：:，,。.（）()/-—年月日第页共签字盖章示例样表仅供参考"


class FontError(KioskError):
    """The CJK font is missing or unusable (names the file)."""


@dataclass(frozen=True)
class FontFace:
    """Where a face comes from: a font file and the face's index in it."""

    path: Path
    index: int = SC_INDEX


def _to_truetype(font: object) -> None:
    """Replace CFF outlines with TrueType ones in place (after fontTools' otf2ttf snippet)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    assert isinstance(font, TTFont)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: object, suffix: str) -> None:
    """Give the subset its own PostScript name: reportlab keeps one face per name, so two
    subsets both called NotoSansCJKsc-Regular would share (and miss) glyphs."""
    from fontTools.ttLib import TTFont

    assert isinstance(font, TTFont)
    table = font["name"]
    for rec in table.names:
        if rec.nameID in (4, 6):
            rec.string = f"{rec.toUnicode().replace(' ', '')}-{suffix}"[:63]


def truetype_subset(face: FontFace, text: str, suffix: str = "") -> bytes:
    """A TrueType font holding the glyphs of `text` (plus BASE_CHARS) from `face`."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    if not face.path.is_file():
        raise FontError(f"CJK font not found: {face.path} (install fonts-noto-cjk)")
    font = TTFont(str(face.path), fontNumber=face.index)
    opts = subset.Options()
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.layout_features = []
    subsetter = subset.Subsetter(opts)
    subsetter.populate(text="".join(sorted(set(text + BASE_CHARS))))
    subsetter.subset(font)
    _to_truetype(font)
    if suffix:
        _rename(font, suffix)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def register(face: FontFace, text: str, prefix: str = "KioskCJK") -> str:
    """Register a subset of `face` covering `text` with reportlab; returns the font name.

    The name depends on the character set, so two documents with different text never share
    a subset that lacks one of their glyphs, and the same text reuses the registration.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    chars = "".join(sorted(set(text + BASE_CHARS)))
    digest = hashlib.sha1(f"{face.path}:{face.index}:{chars}".encode()).hexdigest()[:10]
    name = f"{prefix}-{digest}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(RLFont(name, io.BytesIO(truetype_subset(face, chars, digest))))
    return name
