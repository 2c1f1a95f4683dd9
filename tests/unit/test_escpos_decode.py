"""The virtual printer's decoder: what the renderer emits comes back as the meant text, in
any chunking; status requests are answered; random bytes never crash it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.receipt_printer import status_bits as sb
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
from devices.sim.escpos_decode import BarcodeMark, Decoder, Line, Picture, QRMark
from devices.status import CoverState, CutterState, DeviceState, PaperState

DOC = ReceiptDocument([
    Text("示例县青山镇便民服务中心", align=Align.CENTER),
    Text("A007", width=3, height=3, bold=True, align=Align.CENTER),
    Text("¥0 〇 ① ℃ — 镕"),
    Rule(),
    CheckList((("居民身份证", "原件1份，复印件1份"),)),
    QR("https://example.gov.cn/guide/T-0001", size=5),
    Barcode("A007"),
    Feed(1),
    Cut(),
])


def decode(data: bytes, chunk: int, profile: ProfileSpec) -> tuple[Decoder, list[list[str]]]:
    dec = Decoder(cols=profile.cols, encoding="gbk" if profile.text_mode == "gbk" else "gb18030")
    receipts = []
    for i in range(0, len(data), chunk):
        receipts += dec.feed(data[i:i + chunk])
    return dec, [r.text_lines() for r in receipts]


def test_text_modes_round_trip_in_any_chunking() -> None:
    for profile in (ProfileSpec(), ProfileSpec(paper_mm=58, text_mode="gbk", cut="full")):
        data = render(DOC, profile)
        meant = DOC.plain_text(profile.cols)
        if profile.text_mode == "gbk":
            meant = [line.replace("¥", "￥") for line in meant]
        for chunk in (1, 3, 7, len(data)):
            dec, receipts = decode(data, chunk, profile)
            assert len(receipts) == 1
            assert receipts[0][:len(meant)] == meant
            assert dec.skipped == 0 and dec.auto_wraps == 0


def test_styles_and_graphics_are_recovered() -> None:
    dec = Decoder()
    (receipt,) = dec.feed(render(DOC, ProfileSpec()))
    big = receipt.elements[1]
    assert big == Line("A007", align=1, bold=True, width=3, height=3)
    assert QRMark("https://example.gov.cn/guide/T-0001", 5) in receipt.elements
    assert any(isinstance(e, BarcodeMark) and e.data == "A007" for e in receipt.elements)
    assert receipt.cut == "partial"
    assert receipt.raw == render(DOC, ProfileSpec())


def test_raster_mode_gives_pictures() -> None:
    profile = ProfileSpec(paper_mm=58, text_mode="raster", qr="image")
    (receipt,) = Decoder(cols=32).feed(render(DOC, profile))
    pics = [e for e in receipt.elements if isinstance(e, Picture)]
    assert len(pics) == 7   # a picture per text line (3 texts, rule, 2 checklist) + the QR
    assert all(p.image.width <= 384 and p.image.width % 8 == 0 for p in pics)
    assert not any(isinstance(e, Line) and e.text.strip() for e in receipt.elements)


def test_status_requests_are_answered_in_order() -> None:
    asked: list[int] = []
    dec = Decoder(respond=asked.append)
    dec.feed(b"\x10\x04\x01\x10\x04")
    dec.feed(b"\x02\x10\x04\x03\x10\x04\x04")
    assert asked == [1, 2, 3, 4]


def test_overlong_line_is_wrapped_by_the_printer_and_counted() -> None:
    dec = Decoder(cols=32)
    dec.feed(b"x" * 40 + b"\n")
    assert dec.auto_wraps == 1


def test_no_cut_ends_at_finish() -> None:
    dec = Decoder()
    assert dec.feed(b"\x1b@hello\n") == []
    receipt = dec.finish()
    assert receipt is not None and receipt.text_lines() == ["hello"] and receipt.cut == ""
    assert dec.finish() is None


def test_status_bytes_parse() -> None:
    ok = sb.parse({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12})
    assert ok.device is DeviceState.ONLINE and ok.paper is PaperState.FULL and ok.can_print
    low = sb.parse({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E})
    assert low.paper is PaperState.LOW and low.can_print
    out = sb.parse({1: 0x1A, 2: 0x72, 3: 0x12, 4: 0x7E})
    assert out.paper is PaperState.OUT and out.device is DeviceState.USER_ERROR
    cover = sb.parse({1: 0x1A, 2: 0x56, 3: 0x12, 4: 0x12})
    assert cover.cover is CoverState.OPEN and not cover.can_print
    cutter = sb.parse({1: 0x12, 2: 0x12, 3: 0x1A, 4: 0x12})
    assert cutter.cutter is CutterState.ERROR and cutter.device is DeviceState.HW_ERROR
    try:
        sb.parse({1: 0x00})
    except ValueError as exc:
        assert "DLE EOT 1" in str(exc) and "0x00" in str(exc)
    else:
        raise AssertionError("a byte without the fixed bits must be rejected")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=64), max_size=12))
def test_random_bytes_never_crash(chunks: list[bytes]) -> None:
    answers: list[int] = []
    dec = Decoder(respond=answers.append)
    for chunk in chunks:
        for receipt in dec.feed(chunk):
            receipt.text_lines()
    dec.finish()
    assert all(1 <= n <= 4 for n in answers)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=48), st.sampled_from([b"\x1dv0\x00", b"\x1d(k", b"\x1dk", b"\x1c&",
                                                 b"\x1b", b"\x1d", b"\x10\x04"]))
def test_random_bytes_after_command_prefixes(tail: bytes, prefix: bytes) -> None:
    dec = Decoder()
    dec.feed(prefix + tail)
    dec.feed(b"\n" * 4)
    dec.finish()
