"""Exact bytes of the renderer, block by block (each document starts with ESC @)."""

from __future__ import annotations

import pytest

from devices.receipt_printer.document import (
    QR,
    Align,
    Barcode,
    CheckList,
    Cut,
    Feed,
    ReceiptDocument,
    Rule,
    Text,
)
from devices.receipt_printer.escpos_render import ProfileSpec, render

P80 = ProfileSpec()
P58 = ProfileSpec(paper_mm=58)
PLAIN = b"\x1ba\x00\x1bE\x00\x1d!\x00"   # ESC a 0, ESC E 0, GS ! 0


def one(block: object, profile: ProfileSpec = P80) -> bytes:
    data = render(ReceiptDocument([block]), profile)  # type: ignore[list-item]
    assert data[:2] == b"\x1b@"
    return data[2:]


def test_ascii_text_is_sent_as_is() -> None:
    assert one(Text("A007")) == PLAIN + b"A007\n"


def test_chinese_text_in_fs_mode_gb18030() -> None:
    assert one(Text("办事")) == PLAIN + b"\x1c&\xb0\xec\xca\xc2\x1c.\n"


def test_gb18030_four_byte_and_gbk_substitute() -> None:
    assert one(Text("¥5元")) == PLAIN + b"\x1c&\x810\x846" + b"5\xd4\xaa\x1c.\n"
    gbk = ProfileSpec(text_mode="gbk")
    assert one(Text("¥5元"), gbk) == PLAIN + b"\x1c&\xa3\xa45\xd4\xaa\x1c.\n"
    assert one(Text("☐"), gbk) == PLAIN + b"\x1c&\xa1\xf5\x1c.\n"


def test_size_bold_alignment_then_reset() -> None:
    assert one(Text("A1", width=3, height=2, bold=True, align=Align.CENTER)) == (
        b"\x1ba\x01\x1bE\x01\x1d!\x21" + b"A1\n" + PLAIN)
    assert one(Text("A1", align=Align.RIGHT)) == b"\x1ba\x02\x1bE\x00\x1d!\x00A1\n" + PLAIN


def test_text_wraps_at_the_width_of_its_size() -> None:
    # 58 mm = 32 columns; at double width 16 columns = 8 CJK characters per line.
    data = one(Text("一二三四五六七八九十", width=2), P58)
    assert data.count(b"\n") == 2


def test_rule_spans_the_paper() -> None:
    assert one(Rule()) == PLAIN + b"-" * 48 + b"\n"
    assert one(Rule(), P58) == PLAIN + b"-" * 32 + b"\n"


def test_checklist_box_and_detail_lines() -> None:
    assert one(CheckList((("户口簿", "原件1份"),))) == (
        PLAIN + b"\x1c&\xa1\xf5 \xbb\xa7\xbf\xda\xb2\xbe\x1c.\n"
        + b"\x1c&   \xd4\xad\xbc\xfe1\xb7\xdd\x1c.\n")


def test_native_qr() -> None:
    assert one(QR("T1", size=4)) == (
        b"\x1ba\x01"
        b"\x1d(k\x04\x001A2\x00"          # model 2
        b"\x1d(k\x03\x001C\x04"           # module size 4
        b"\x1d(k\x03\x001E1"              # error correction M
        b"\x1d(k\x05\x001P0T1"            # store 2 bytes (+3)
        b"\x1d(k\x03\x001Q0"              # print
        b"\x1ba\x00")


def test_image_qr_is_a_centred_raster() -> None:
    data = one(QR("T1", size=4), ProfileSpec(qr="image"))
    # 21 modules + 2x2 quiet = 25 modules x 4 dots = 100 rows, centred on 576 dots: ink ends
    # at 238 + 100 - 8 (quiet zone) = 330 → 42 bytes a row once the blank right is trimmed.
    assert data[:8] == b"\x1dv0\x00\x2a\x00\x64\x00"
    assert len(data) == 8 + 42 * 100


def test_barcode_code128() -> None:
    assert one(Barcode("A007", height=60)) == (
        b"\x1ba\x01\x1dh\x3c\x1dw\x02\x1dH\x02\x1dkI\x06{BA007\x1ba\x00")


def test_feed_and_cut_modes() -> None:
    assert one(Feed(3)) == b"\x1bd\x03"
    assert one(Cut()) == b"\x1bd\x04\x1dV\x01"
    assert one(Cut(), ProfileSpec(cut="full", feed_before_cut=2)) == b"\x1bd\x02\x1dV\x00"
    assert one(Cut(), ProfileSpec(cut="none")) == b"\x1bd\x04"


def test_raster_text_is_drawn() -> None:
    data = one(Text("办事指南"), ProfileSpec(paper_mm=58, text_mode="raster"))
    assert data[:9] == PLAIN
    # 4 characters x 24 dots = 12 bytes a row (blank right side trimmed) x 24 glyph rows,
    # then the 6-dot line gap as paper feed (ESC J 6), not as white rows.
    assert data[9:17] == b"\x1dv0\x00\x0c\x00\x18\x00"
    assert len(data) == 17 + 12 * 24 + 3 and data.endswith(b"\x1bJ\x06")
    assert any(data[17:17 + 12 * 24])                   # some ink


def test_raster_blank_line_is_feed_and_each_line_a_picture() -> None:
    data = one(Text("一\n\n二", height=2), ProfileSpec(text_mode="raster"))
    assert data.count(b"\x1dv0\x00") == 2
    assert b"\x1bJ\x3c" in data                          # the blank line: 60 dots of feed


def test_tall_raster_is_fragmented() -> None:
    from PIL import Image

    from devices.receipt_printer.raster import raster_command

    data = raster_command(Image.new("1", (576, 600), 1))
    assert data.count(b"\x1dv0\x00") == 3                # 256 + 256 + 88 rows
    assert len(data) == 3 * 8 + 72 * 600


def test_bad_values_are_named() -> None:
    with pytest.raises(ValueError, match=r"Text\.width"):
        Text("x", width=4)
    with pytest.raises(ValueError, match=r"ProfileSpec\.text_mode"):
        ProfileSpec(text_mode="utf8")
    with pytest.raises(ValueError, match=r"Barcode\.data"):
        Barcode("二维码")
