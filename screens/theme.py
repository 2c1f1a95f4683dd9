"""Sizes and colours. Sizes are millimetres on the panel (converted with kiosk.toml's panel
size), because a 60 px button is 15 mm on a 27" portrait panel but 9 mm on a 15.6" one.

Normal mode: body ≈ 24 pt, targets ≥ 15 mm. Elder mode (长者模式/大字): body ≥ 30 pt and
targets ≥ 20 mm. Every text/background pair is listed in `text_pairs()` and
a test checks each has a WCAG contrast ratio ≥ 4.5:1.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import DisplayConfig

Color = tuple[int, int, int]
PT_MM = 25.4 / 72  # one typographic point in millimetres


@dataclass(frozen=True)
class Palette:
    bg: Color = (244, 246, 249)          # page
    surface: Color = (255, 255, 255)     # cards, rows, keys
    text: Color = (26, 28, 32)
    muted: Color = (72, 78, 88)          # secondary text: still ≥ 4.5:1 on bg and surface
    primary: Color = (11, 87, 168)       # buttons, header bar
    primary_pressed: Color = (6, 56, 112)
    on_primary: Color = (255, 255, 255)
    accent: Color = (176, 58, 0)         # 办事指南 numbers, visits badge text
    hl_bg: Color = (255, 226, 122)       # matched characters in search results
    hl_text: Color = (26, 28, 32)
    pressed: Color = (214, 228, 245)     # a row or key under the finger
    line: Color = (200, 206, 214)
    warn_bg: Color = (255, 244, 229)
    warn_text: Color = (122, 46, 0)
    shade: tuple[int, int, int, int] = (0, 0, 0, 150)  # behind a dialog


@dataclass(frozen=True)
class Theme:
    elder: bool
    width: int
    height: int
    dpi: float
    body: int        # body text, px
    small: int       # secondary text, px (still ≥ 18 pt)
    title: int       # screen titles
    huge: int        # home clock, countdown
    target: int      # the smallest touch target, px
    button_h: int    # standard button height
    big_button_h: int
    gap: int
    margin: int
    radius: int
    header_h: int
    colors: Palette

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def mm(self, millimetres: float) -> int:
        return max(1, round(millimetres * self.dpi / 25.4))

    def px_to_pt(self, px: int) -> float:
        return px * 25.4 / self.dpi / PT_MM

    def px_to_mm(self, px: int) -> float:
        return px * 25.4 / self.dpi

    def text_pairs(self) -> list[tuple[str, Color, Color]]:
        """Every (foreground, background) pair a screen draws text with."""
        c = self.colors
        return [
            ("text on page", c.text, c.bg), ("text on card", c.text, c.surface),
            ("muted on page", c.muted, c.bg), ("muted on card", c.muted, c.surface),
            ("button label", c.on_primary, c.primary),
            ("pressed button label", c.on_primary, c.primary_pressed),
            ("secondary button label", c.primary, c.surface),
            ("pressed row text", c.text, c.pressed),
            ("pressed secondary label", c.primary, c.pressed),
            ("accent on card", c.accent, c.surface), ("accent on page", c.accent, c.bg),
            ("search highlight", c.hl_text, c.hl_bg),
            ("warning text", c.warn_text, c.warn_bg), ("header", c.on_primary, c.primary),
        ]


def make_theme(display: DisplayConfig, elder: bool, size: tuple[int, int] | None = None) -> Theme:
    """The theme for this panel (size overrides the configured pixels, e.g. a rotated test)."""
    width, height = size or (display.width, display.height)
    diag_px: float = (width**2 + height**2) ** 0.5
    dpi = diag_px / display.diagonal_inch
    def mm(x: float) -> int:
        return max(1, round(x * dpi / 25.4))

    body_pt, small_pt, title_pt, huge_pt = (34, 30, 44, 72) if elder else (24, 20, 32, 60)
    target_mm = 22.0 if elder else 16.0
    return Theme(
        elder=elder, width=width, height=height, dpi=dpi,
        body=mm(body_pt * PT_MM), small=mm(small_pt * PT_MM), title=mm(title_pt * PT_MM),
        huge=mm(huge_pt * PT_MM),
        target=mm(target_mm), button_h=mm(target_mm), big_button_h=mm(target_mm * 2.2),
        gap=mm(4), margin=mm(8), radius=mm(2.5), header_h=mm(target_mm + 6),
        colors=Palette(),
    )


def contrast_ratio(fg: Color, bg: Color) -> float:
    """WCAG 2.x contrast ratio between two sRGB colours."""

    def lum(c: Color) -> float:
        def ch(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

        r, g, b = (ch(v) for v in c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
