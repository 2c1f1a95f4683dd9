"""Simplified Chinese text: finding the SC face, a fallback chain, and glyph coverage.

Why not pygame.font: the Noto CJK `.ttc` collections hold JP, KR, SC, TC and HK faces, and a
loader that opens face 0 draws Chinese with Japanese glyph shapes (e.g. 这, 骨, 直 differ). We
open the face whose name says "CJK SC" with pygame.freetype, never a hard-coded index.
A missing glyph renders blank without any error, so coverage is checked explicitly
(`FontSet.missing`), and the UI test walks every string of the catalog through it.
"""

from __future__ import annotations

import functools
import os
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pygame
import pygame.freetype

ASSET_FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT_DIRS = (ASSET_FONTS, Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
             Path.home() / ".fonts")
# Face names in order of preference: the sans SC face first; serif SC still beats a JP face.
PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Serif CJK SC", "WenQuanYi",
             "Droid Sans Fallback")
LINE_CACHE_PX = 6_000_000  # rendered lines kept: ~24 MB of RGBA pixels at most
_NOT_A_GLYPH = {"\n", "\r", "\t", "\u200b", "\ufeff"}


@dataclass(frozen=True)
class FaceRef:
    path: str
    index: int
    name: str  # family and style, e.g. "Noto Sans CJK SC Regular"

    @property
    def bold(self) -> bool:
        return "Bold" in self.name


def _font_files() -> list[Path]:
    files: list[Path] = []
    for d in FONT_DIRS:
        if d.is_dir():
            files += [p for p in sorted(d.rglob("*"))
                      if p.suffix.lower() in (".ttc", ".otf", ".ttf")]
    return files


def _faces_of(path: Path) -> list[FaceRef]:
    faces: list[FaceRef] = []
    for index in range(32):  # a collection holds a handful of faces; stop at the first gap
        try:
            font = pygame.freetype.Font(str(path), 12, font_index=index)
        except (OSError, pygame.error):
            break
        faces.append(FaceRef(str(path), index, f"{font.name} {font.style_name}"))
        if path.suffix.lower() != ".ttc":
            break
    return faces


@functools.cache
def _installed_faces() -> tuple[FaceRef, ...]:
    """Every face of the likely font files (opened once per process: opening all of
    /usr/share/fonts would cost a noticeable part of the start-up time)."""
    pygame.freetype.init()
    files = _font_files()
    likely = [p for p in files if any(k in p.name.lower() for k in ("cjk", "sourcehan"))]
    if not likely:  # no Noto/Source Han CJK: look at the other usual Chinese fonts
        likely = [p for p in files if any(k in p.name.lower() for k in ("wqy", "droid", "noto"))]
    likely.sort(key=lambda p: ("sans" not in p.name.lower(), p.name))
    found: list[FaceRef] = []
    for path in likely:
        found += [f for f in _faces_of(path) if "Mono" not in f.name]
        names = {f.name for f in found}
        if {f"{PREFERRED[0]} Regular", f"{PREFERRED[0]} Bold"} <= names:
            break  # the best face in both weights: no need to open the rest
    return tuple(found)


def find_faces(bold: bool = False) -> tuple[FaceRef, ...]:
    """Installed faces matching PREFERRED, best first (regular or bold as asked)."""

    def rank(f: FaceRef) -> tuple[int, int]:
        pref = next((i for i, p in enumerate(PREFERRED) if p in f.name), len(PREFERRED))
        return (pref, 0 if f.bold == bold else 1)

    return tuple(sorted((f for f in _installed_faces() if rank(f)[0] < len(PREFERRED)),
                        key=rank))


class FontSet:
    """A primary face plus fallbacks; text is drawn run by run with the first face that has
    each character. Advances are cached per (character, size): the layout code measures a
    lot and freetype's own measuring is the slow part."""

    def __init__(self, faces: Iterable[FaceRef]) -> None:
        pygame.freetype.init()
        self.fonts: list[pygame.freetype.Font] = []
        self.names: list[str] = []
        for ref in faces:
            font = pygame.freetype.Font(ref.path, 24, font_index=ref.index)
            self.fonts.append(font)
            self.names.append(ref.name)
        default = pygame.freetype.Font(None, 24)  # pygame's bundled Latin face: last resort
        self.fonts.append(default)
        self.names.append(str(default.name))
        for font in self.fonts:
            font.origin = True      # positions are baselines: runs from two faces line up
            font.pad = False
            font.antialiased = True
        self._face_of: dict[str, int] = {}
        self._adv: dict[tuple[str, int], float] = {}
        self._lines: OrderedDict[tuple[str, tuple[int, int, int], int], pygame.Surface] = (
            OrderedDict())
        self._lines_px = 0

    @property
    def primary_name(self) -> str:
        return self.names[0]

    def face_index(self, ch: str) -> int:
        """Index of the first face holding `ch`; len(fonts) when none does."""
        idx = self._face_of.get(ch)
        if idx is None:
            idx = len(self.fonts)
            for i, font in enumerate(self.fonts):
                if font.get_metrics(ch)[0] is not None:
                    idx = i
                    break
            self._face_of[ch] = idx
        return idx

    def missing(self, text: str) -> set[str]:
        """Characters of `text` that no face can draw (they would show as blanks)."""
        return {ch for ch in set(text)
                if ch not in _NOT_A_GLYPH and not ch.isspace()
                and self.face_index(ch) == len(self.fonts)}

    def advance(self, ch: str, px: int) -> float:
        key = (ch, px)
        adv = self._adv.get(key)
        if adv is None:
            font = self.fonts[min(self.face_index(ch), len(self.fonts) - 1)]
            m = font.get_metrics(ch, size=px)
            adv = float(m[0][4]) if m and m[0] is not None else px * 0.5
            self._adv[key] = adv
        return adv

    def width(self, text: str, px: int) -> int:
        return round(sum(self.advance(ch, px) for ch in text))

    def ascender(self, px: int) -> int:
        return int(self.fonts[0].get_sized_ascender(px))

    def line_height(self, px: int) -> int:
        """1.45 × the size: the ageing-friendly rules ask for ≥ 1.3× line spacing."""
        return round(px * 1.45)

    def runs(self, text: str) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for ch in text:
            i = min(self.face_index(ch), len(self.fonts) - 1)
            if out and out[-1][0] == i:
                out[-1] = (i, out[-1][1] + ch)
            else:
                out.append((i, ch))
        return out

    def draw(self, surface: pygame.Surface, x: float, top: float, text: str,
             color: tuple[int, int, int], px: int) -> int:
        """Draw one line with its top at `top`; returns the x after it. Lines are rendered
        once and kept (LRU): list rows and labels repeat from frame to frame and from one
        search to the next, and blitting is several times cheaper than freetype."""
        key = (text, color, px)
        line = self._lines.get(key)
        if line is None:
            line = self._render_line(text, color, px)
            self._lines[key] = line
            self._lines_px += line.get_width() * line.get_height()
            while self._lines_px > LINE_CACHE_PX and len(self._lines) > 1:
                _, old = self._lines.popitem(last=False)
                self._lines_px -= old.get_width() * old.get_height()
        else:
            self._lines.move_to_end(key)
        surface.blit(line, (round(x), round(top)))
        return round(x + sum(self.advance(ch, px) for ch in text))

    def _render_line(self, text: str, color: tuple[int, int, int], px: int) -> pygame.Surface:
        asc = self.ascender(px)
        box = asc - int(self.fonts[0].get_sized_descender(px))
        baseline = (self.line_height(px) - box) / 2 + asc
        width = round(sum(self.advance(ch, px) for ch in text)) + px // 2  # italics, overhang
        line = pygame.Surface((max(1, width), self.line_height(px)), pygame.SRCALPHA)
        x = 0.0
        for i, run in self.runs(text):
            self.fonts[i].render_to(line, (round(x), round(baseline)), run, color, size=px)
            x += sum(self.advance(ch, px) for ch in run)
        return line


def _env_faces(bold: bool) -> tuple[FaceRef, ...]:
    """$KIOSK_FONT (a font file) goes first: a hall can ship its own face."""
    path = os.environ.get("KIOSK_FONT", "")
    return tuple(_faces_of(Path(path))) if path and Path(path).exists() else ()


@functools.cache
def fontset(bold: bool = False) -> FontSet:
    """The shared regular (or bold) font set; raises if no Chinese face is installed."""
    faces = _env_faces(bold) + find_faces(bold)
    if not faces:
        raise RuntimeError("no Simplified Chinese font found: install fonts-noto-cjk "
                           "(scripts/setup.sh does) or put a .ttc/.otf in assets/fonts")
    return FontSet(faces)
