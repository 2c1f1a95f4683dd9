"""Finding the CJK font that raster mode (and the virtual printer's PNGs) draw with.

A monospaced CJK face keeps the printer's grid: an ASCII character exactly half a Chinese one,
so what is wrapped by columns lines up on paper the way the printer's own font would.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from PIL import ImageFont

from devices.errors import PrinterError

_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
# Preferred faces inside a collection, best first.
_FACES = ("Noto Sans Mono CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei Mono")

FontT = ImageFont.FreeTypeFont


def find_cjk_font(explicit: str = "") -> str:
    """The font file to use: `explicit`, $KIOSK_CJK_FONT, a known system path, or fc-match."""
    for path in (explicit, os.environ.get("KIOSK_CJK_FONT", ""), *_CANDIDATES):
        if path and Path(path).is_file():
            return path
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh-cn"], capture_output=True,
                               text=True, timeout=5, check=False).stdout.strip()
        if found and Path(found).is_file():
            return found
    raise PrinterError("no CJK font found for raster printing: install fonts-noto-cjk or set "
                       "KIOSK_CJK_FONT to a .ttc/.otf file")


def _face_index(path: str) -> int:
    """Index of the best face in a .ttc collection (0 for single-face files)."""
    best: tuple[int, int] = (len(_FACES), 0)
    for index in range(16):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except OSError:
            break
        if family in _FACES:
            best = min(best, (_FACES.index(family), index))
    return best[1]


@functools.lru_cache(maxsize=16)
def load_font(size_px: int, explicit: str = "") -> FontT:
    """The CJK font at `size_px` pixels (cached: loading a .ttc costs ~20 ms)."""
    path = find_cjk_font(explicit)
    return ImageFont.truetype(path, size_px, index=_face_index(path))
