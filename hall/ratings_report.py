"""好差评 figures for `kiosk hall report` and the manager's page, and the CSV the provincial
好差评 system imports. Computed from rating rows only (ticket, window, staff, 办件编号, levels,
reasons, time — never anything about the person)."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.calls.rating import BAD_LEVELS, CAUSES, LEVELS, REASONS

CHANNEL_NAMES = {"evaluator": "窗口评价器", "phone": "扫码评价", "kiosk": "自助终端"}


@dataclass(frozen=True)
class RatingRow:
    rating_id: str
    ticket_id: str
    day: str
    number: str
    window: int | None
    staff: str
    case_no: str
    level: int
    reasons: tuple[str, ...]
    channel: str
    created_at: str
    acknowledged_at: str | None = None
    acknowledged_by: str = ""
    service: str = ""

    @property
    def bad(self) -> bool:
        return self.level in BAD_LEVELS

    def to_json(self) -> dict[str, Any]:
        return {"rating_id": self.rating_id, "ticket_id": self.ticket_id, "day": self.day,
                "number": self.number, "window": self.window, "staff": self.staff,
                "case_no": self.case_no, "level": self.level, "level_name": LEVELS[self.level],
                "reasons": list(self.reasons), "reason_names": reason_names(self.reasons),
                "channel": self.channel, "created_at": self.created_at,
                "acknowledged_at": self.acknowledged_at, "acknowledged_by": self.acknowledged_by,
                "service": self.service}


def reason_names(codes: Iterable[str]) -> list[str]:
    names = {**REASONS, **CAUSES}
    return [names.get(c, c) for c in codes]


def _shares(rows: Sequence[RatingRow]) -> dict[str, Any]:
    counts = Counter(r.level for r in rows)
    n = len(rows)
    return {"count": n,
            "levels": {LEVELS[lv]: counts.get(lv, 0) for lv in sorted(LEVELS, reverse=True)},
            "share": {LEVELS[lv]: round(counts.get(lv, 0) / n, 4) if n else 0.0
                      for lv in sorted(LEVELS, reverse=True)},
            "satisfied_share": round(sum(counts.get(lv, 0) for lv in (3, 4, 5)) / n, 4)
            if n else 0.0,
            "bad": sum(counts.get(lv, 0) for lv in BAD_LEVELS)}


def summary(rows: Sequence[RatingRow]) -> dict[str, Any]:
    """Share per level overall, per window and per staff; the 差评 reasons; open 差评."""
    by_window: dict[str, list[RatingRow]] = defaultdict(list)
    by_staff: dict[str, list[RatingRow]] = defaultdict(list)
    for r in rows:
        by_window[f"{r.window}号窗口" if r.window is not None else "（未知窗口）"].append(r)
        by_staff[r.staff or "（未记录）"].append(r)
    reasons = Counter(c for r in rows if r.bad for c in r.reasons)
    return {"all": _shares(rows),
            "per_window": {k: _shares(v) for k, v in sorted(by_window.items())},
            "per_staff": {k: _shares(v) for k, v in sorted(by_staff.items())},
            "bad_reasons": {name: reasons[code] for code, name in {**REASONS, **CAUSES}.items()
                            if reasons[code]},
            "open_alerts": sum(1 for r in rows if r.bad and r.acknowledged_at is None),
            "channels": dict(Counter(CHANNEL_NAMES.get(r.channel, r.channel) for r in rows))}


CSV_COLUMNS = ("评价编号", "区划代码", "大厅", "评价日期", "评价时间", "取号号码", "业务",
               "办件编号", "窗口", "工作人员工号", "评价渠道", "评价等级代码", "评价等级",
               "服务效率", "服务水平", "服务态度", "其他原因", "差评处理时间", "处理人")


def to_csv(rows: Sequence[RatingRow], region_code: str, hall_name: str) -> str:
    """One line per rating, UTF-8 with a BOM (opens in the Excel/WPS of a county office).
    Levels as the national five (5 非常满意 … 1 非常不满意); each offline indicator 是/空."""
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for r in rows:
        date, _, time = r.created_at.partition("T")
        w.writerow([r.rating_id, region_code, hall_name, date, time[:8], r.number, r.service,
                    r.case_no, r.window if r.window is not None else "", r.staff,
                    CHANNEL_NAMES.get(r.channel, r.channel), r.level, LEVELS[r.level],
                    *("是" if code in r.reasons else "" for code in REASONS),
                    "、".join(CAUSES[c] for c in r.reasons if c in CAUSES),
                    r.acknowledged_at or "", r.acknowledged_by])
    return out.getvalue()


def text_report(rows: Sequence[RatingRow]) -> list[str]:
    """The 好差评 part of `kiosk hall report`, as lines of Chinese text."""
    s = summary(rows)
    a = s["all"]
    if not a["count"]:
        return ["好差评：今天还没有评价"]
    lines = [f"好差评：{a['count']} 条，满意率 {a['satisfied_share']:.1%}，"
             f"差评 {a['bad']} 条（未处理 {s['open_alerts']} 条）",
             "  " + "  ".join(f"{k} {v}" for k, v in a["levels"].items())]
    for title, key in (("按窗口", "per_window"), ("按工作人员", "per_staff")):
        lines.append(f"  {title}：")
        for name, part in s[key].items():
            lines.append(f"    {name}：{part['count']} 条，满意率 {part['satisfied_share']:.1%}，"
                         f"差评 {part['bad']}")
    if s["bad_reasons"]:
        lines.append("  差评原因：" + "，".join(f"{k} {v}" for k, v in s["bad_reasons"].items()))
    return lines
