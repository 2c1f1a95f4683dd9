"""The Chinese face for generated PDFs: Noto Sans CJK SC (SIL OFL 1.1, fonts-noto-cjk).

Why the detour through fontTools: reportlab (BSD) embeds only TrueType outlines, and Noto
CJK ships as OpenType/CFF in a .ttc. So each document gets a font holding just the characters
it uses (a few hundred glyphs, ~0.4 s), their cubic CFF outlines converted to quadratic
TrueType ones (cu2qu, error ≤ 1 unit of 1000: invisible on paper), registered with reportlab
under a name derived from the character set. The OFL allows embedding subsets; the subset
keeps the font's copyright and licence strings.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def _quadratic(glyph_set: Any, name: str) -> Any:
    """One glyph's CFF (cubic) outline as a TrueType (quadratic) glyph."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
    return pen.glyph()


def truetype_subset(face: FontFace, text: str, suffix: str = "") -> bytes:
    """A TrueType font holding the glyphs of `text` (plus BASE_CHARS) from `face`.

    Built glyph by glyph with fontTools' FontBuilder rather than with its subsetter: the
    subsetter walks the whole 65,000-glyph CFF table (~2 s), this reads only the glyphs used
    (~0.4 s). The PostScript name gets `suffix`: reportlab keeps one face per name, so two
    subsets both called NotoSansCJKsc-Regular would share (and miss) glyphs."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.ttLib import TTFont

    if not face.path.is_file():
        raise FontError(f"CJK font not found: {face.path} (install fonts-noto-cjk)")
    src = TTFont(str(face.path), fontNumber=face.index, lazy=True)
    cmap = src.getBestCmap()
    chars = {ord(c): cmap[ord(c)] for c in set(text + BASE_CHARS) if ord(c) in cmap}
    names = [".notdef", *sorted(set(chars.values()) - {".notdef"})]
    glyph_set = src.getGlyphSet()
    glyphs = {n: _quadratic(glyph_set, n) for n in names}
    hmtx = src["hmtx"]
    fb = FontBuilder(src["head"].unitsPerEm, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap(chars)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (hmtx[n][0], getattr(glyphs[n], "xMin", 0)) for n in names})
    hhea, os2 = src["hhea"], src["OS/2"]
    fb.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    ps_name = src["name"].getDebugName(6) or "NotoSansCJKsc"
    if suffix:
        ps_name = f"{ps_name}-{suffix}"[:63]
    fb.setupNameTable({"familyName": ps_name, "styleName": "Regular", "psName": ps_name,
                       "copyright": src["name"].getDebugName(0) or "",
                       "licenseDescription": src["name"].getDebugName(13) or ""})
    fb.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
                sTypoLineGap=os2.sTypoLineGap, usWinAscent=os2.usWinAscent,
                usWinDescent=os2.usWinDescent, fsType=os2.fsType,
                usWeightClass=os2.usWeightClass, sxHeight=os2.sxHeight,
                sCapHeight=os2.sCapHeight)
    fb.setupPost()
    out = io.BytesIO()
    fb.save(out)
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
