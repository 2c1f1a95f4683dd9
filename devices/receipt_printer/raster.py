"""Pictures for the printer: text lines drawn with the CJK font, QR images, and the
`GS v 0` raster command that carries them.

Images are 1-bit with ink = 1, which is exactly ESC/POS's bit order (MSB = leftmost dot,
1 = black), so `Image.tobytes()` is the payload with no conversion.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from devices.receipt_printer.fonts import load_font
from devices.receipt_printer.wrap import char_width, text_width

GLYPH_PX = 24        # standard font: a CJK character is 24 x 24 dots, ASCII 12 x 24
LINE_PX = 30         # 24 dots of glyph + 6 of line spacing, the ESC 2 default
FRAGMENT_ROWS = 256  # tall images go as several GS v 0 commands (see python-escpos #628/#662)


def raster_command(img: Image.Image) -> bytes:
    """`GS v 0` for a 1-bit image whose width is a multiple of 8, split into fragments."""
    if img.mode != "1" or img.width % 8:
        raise ValueError(f"raster_command: expected a 1-bit image, width multiple of 8, got "
                         f"{img.mode} {img.width}x{img.height}")
    out = bytearray()
    width_bytes = img.width // 8
    for top in range(0, img.height, FRAGMENT_ROWS):
        part = img.crop((0, top, img.width, min(img.height, top + FRAGMENT_ROWS)))
        out += b"\x1dv0\x00" + width_bytes.to_bytes(2, "little")
        out += part.height.to_bytes(2, "little") + part.tobytes()
    return bytes(out)


def trim_right(img: Image.Image) -> Image.Image:
    """Drop blank columns on the right (whole bytes): they cost bytes and print nothing, and
    the left edge — hence alignment — stays where it was."""
    box = img.getbbox()
    right = 8 if box is None else -(-box[2] // 8) * 8
    return img.crop((0, 0, right, img.height)) if right < img.width else img


def _line_image(line: str, bold: bool, font_path: str) -> Image.Image:
    """One line at standard size, each character in its grid cell so columns match the
    printer's own font whatever the face's advance widths are."""
    img = Image.new("1", (max(1, text_width(line) * GLYPH_PX // 2), LINE_PX), 0)
    draw = ImageDraw.Draw(img)
    font = load_font(GLYPH_PX, font_path)
    top = -font.getbbox("中")[1]   # the face's leading above CJK glyphs: start them at row 0
    x = 0
    for ch in line:
        if ch != " ":
            for dx in ((0, 1) if bold else (0,)):   # emphasised = struck twice, 1 dot apart
                draw.text((x + dx, top), ch, font=font, fill=1)
        x += char_width(ch) * GLYPH_PX // 2
    return img


def text_image(lines: list[str], dots: int, *, width: int = 1, height: int = 1,
               bold: bool = False, align: str = "left", font_path: str = "") -> Image.Image:
    """Lines drawn across the paper width, magnified like GS ! does (dots doubled/tripled)."""
    pitch = LINE_PX * height
    img = Image.new("1", (dots, max(1, pitch * len(lines))), 0)
    for row, line in enumerate(lines):
        if not line.strip():
            continue
        li = _line_image(line, bold, font_path)
        li = li.resize((li.width * width, li.height * height), Image.Resampling.NEAREST)
        li = li.crop((0, 0, min(li.width, dots), li.height))
        x = {"center": (dots - li.width) // 2, "right": dots - li.width}.get(align, 0)
        img.paste(li, (x, row * pitch))
    return img


def qr_image(data: str, module_px: int, dots: int) -> Image.Image:
    """A QR code drawn as dots, centred on the paper width, with a 2-module quiet zone."""
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=2)
    qr.add_data(data.encode("utf-8"))
    qr.make(fit=True)
    matrix: list[list[bool]] = qr.get_matrix()
    n = len(matrix)
    module_px = max(1, min(module_px, dots // n))
    side = n * module_px
    img = Image.new("1", (dots, side), 0)
    left = (dots - side) // 2
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                x0, y0 = left + x * module_px, y * module_px
                draw.rectangle((x0, y0, x0 + module_px - 1, y0 + module_px - 1), fill=1)
    return img
