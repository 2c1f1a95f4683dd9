"""好差评 figures and the provincial CSV, from rating rows; and the slip's rating link."""

from __future__ import annotations

import csv
import io

from hall.ratings_report import CSV_COLUMNS, RatingRow, summary, text_report, to_csv
from hall.web.ratelink import check_code, rating_code, rating_url
from kiosk.calls.rating import Rating


def row(i: int, level: int, window: int, staff: str, reasons: tuple[str, ...] = (),
        ack: str | None = None, channel: str = "evaluator") -> RatingRow:
    return RatingRow(f"r{i}", f"t{i}", "2026-11-23", f"A{i:03d}", window, staff,
                     "BJ2026-01" if i == 1 else "", level, reasons, channel,
                     f"2026-11-23T10:{i:02d}:00+08:00", ack, "9001" if ack else "", "A")


ROWS = [row(1, 5, 1, "1001"), row(2, 4, 1, "1001"), row(3, 2, 2, "1002", ("attitude", "wait")),
        row(4, 1, 2, "1002", ("efficiency",), ack="2026-11-23T11:00:00+08:00", channel="phone"),
        row(5, 3, 1, "1001")]


def test_shares_per_level_window_and_staff() -> None:
    s = summary(ROWS)
    assert s["all"]["count"] == 5 and s["all"]["bad"] == 2
    assert s["all"]["levels"] == {"非常满意": 1, "满意": 1, "基本满意": 1, "不满意": 1,
                                  "非常不满意": 1}
    assert s["all"]["satisfied_share"] == 0.6
    assert s["per_window"]["1号窗口"]["satisfied_share"] == 1.0
    assert s["per_window"]["2号窗口"]["bad"] == 2
    assert s["per_staff"]["1002"]["count"] == 2
    assert s["bad_reasons"] == {"服务效率": 1, "服务态度": 1, "等候时间太长": 1}
    assert s["open_alerts"] == 1
    assert s["channels"] == {"窗口评价器": 4, "扫码评价": 1}
    lines = text_report(ROWS)
    assert lines[0] == "好差评：5 条，满意率 60.0%，差评 2 条（未处理 1 条）"
    assert text_report([]) == ["好差评：今天还没有评价"]


def test_csv_for_the_provincial_system() -> None:
    text = to_csv(ROWS, "000000000000", "清河镇便民服务中心")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 6
    third = dict(zip(CSV_COLUMNS, rows[3], strict=True))
    assert third["评价等级代码"] == "2" and third["评价等级"] == "不满意"
    assert third["服务态度"] == "是" and third["服务效率"] == ""
    assert third["其他原因"] == "等候时间太长"
    assert third["评价时间"] == "10:03:00" and third["窗口"] == "2"
    assert dict(zip(CSV_COLUMNS, rows[1], strict=True))["办件编号"] == "BJ2026-01"
    assert dict(zip(CSV_COLUMNS, rows[4], strict=True))["处理人"] == "9001"


def test_a_rating_is_checked() -> None:
    assert Rating("t1", 5).problems() == []
    assert Rating("t1", 2).problems() == [
        "a rating of 不满意 or 非常不满意 needs at least one reason (efficiency, skill, attitude)"]
    assert "level must be one of 1..5, got 6" in Rating("t1", 6).problems()
    assert "unknown reason(s): rude" in Rating("t1", 1, ("rude",)).problems()[0]
    back = Rating.from_json(Rating("t1", 1, ("attitude",), ("wait",), "phone").to_json())
    assert back == Rating("t1", 1, ("attitude",), ("wait",), "phone")


def test_the_rating_link_only_opens_with_the_code_from_the_slip() -> None:
    secret = b"s" * 32
    code = rating_code(secret, "t-1")
    assert len(code) == 16 and check_code(secret, "t-1", code)
    assert check_code(secret, "t-1", code.upper())
    assert not check_code(secret, "t-2", code)
    assert not check_code(b"x" * 32, "t-1", code)
    assert not check_code(secret, "t-1", "")
    assert rating_url("http://192.168.1.10:8470/", secret, "t 1") == (
        f"http://192.168.1.10:8470/rate/t%201?k={rating_code(secret, 't 1')}")
    assert rating_url("", secret, "t-1") == ""
