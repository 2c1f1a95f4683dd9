"""The test page a field engineer prints after fitting a printer: which profile it uses, whether
the width, every text style, the Chinese characters that trip GBK-only fonts, and both graphic
kinds come out right."""

from __future__ import annotations

from datetime import datetime

from devices.receipt_printer.document import (
    QR,
    Align,
    Barcode,
    Block,
    CheckList,
    Cut,
    ReceiptDocument,
    Rule,
    Text,
)
from devices.receipt_printer.escpos_render import ProfileSpec


def _ruler(cols: int) -> list[Block]:
    digits = "".join(str(i % 10) for i in range(1, cols + 1))
    return [Text(digits), Text("中" * (cols // 2))]


def test_page(profile_name: str, profile: ProfileSpec, hall_name: str,
              printed_at: datetime) -> ReceiptDocument:
    cols = profile.cols
    blocks: list[Block] = [
        Text("打印机测试页", width=2, height=2, bold=True, align=Align.CENTER),
        Text(hall_name, align=Align.CENTER),
        Rule(),
        Text(f"配置：{profile_name}"),
        Text(f"纸宽：{profile.paper_mm} mm，{profile.dots} 点，{cols} 列（汉字 {cols // 2} 个）"),
        Text(f"中文方式：{profile.text_mode}；二维码：{profile.qr}；切纸：{profile.cut}"),
        Rule(),
        *_ruler(cols),
        Text("普通：便民服务中心 ABC 123"),
        Text("加粗：便民服务中心 ABC 123", bold=True),
        Text("倍宽：便民 A1", width=2),
        Text("倍高：便民服务中心 A1", height=2),
        Text("大字：A007", width=3, height=3),
        Text("居中", align=Align.CENTER),
        Text("靠右", align=Align.RIGHT),
        Text("难字：〇 ① ￥ ¥ — … 《》 ℃ 镕 堃 喆"),
        CheckList((("勾选框", "原件1份，复印件1份"),)),
        Rule(),
        QR("https://example.gov.cn/kiosk/test", size=5),
        Barcode("KIOSK-TEST-01"),
        Text(f"打印时间：{printed_at:%Y-%m-%d %H:%M:%S}", align=Align.CENTER),
        Cut(),
    ]
    return ReceiptDocument(blocks)
