"""`kiosk hall report`: one queue day in figures, computed from the event log ONLY (so the
figures can be recomputed by anyone from the raw events, and a test does).

Per service, window, staff member and hour: issued, served, no-show, transferred, void, and
three durations in seconds with their count, p50 and p90 (nearest rank):
    wait      printed → first call  (a `verify` ticket, never printed: issued → first call)
    walk      call → 开始办理 (serving)
    handling  serving → 完成
Counts are attributed where they happen: `issued` to the service and hour of issue, `served`
to the service, window, staff and hour of 完成, and so on.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kiosk.queue.hallconfig import HallSettings
from kiosk.queue.model import Event, EventType

COUNTS = {EventType.ISSUED: "issued", EventType.DONE: "served", EventType.NO_SHOW: "no_show",
          EventType.TRANSFERRED: "transferred", EventType.VOID: "void"}
DURATIONS = ("wait_s", "walk_s", "handling_s")
DIMENSIONS = ("service", "window", "staff", "hour")


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Group:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS.values(), 0))
    durations: dict[str, list[float]] = field(
        default_factory=lambda: {d: [] for d in DURATIONS})

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.counts)
        for name, values in self.durations.items():
            out[name] = {"n": len(values), "p50": _round(percentile(values, 50)),
                         "p90": _round(percentile(values, 90))}
        return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class _Day:
    def __init__(self) -> None:
        self.groups: dict[str, dict[str, Group]] = {d: defaultdict(Group) for d in DIMENSIONS}
        self.total = Group()
        self.printed: dict[str, datetime] = {}
        self.issued: dict[str, datetime] = {}
        self.called: dict[str, datetime] = {}
        self.serving: dict[str, datetime] = {}

    def keys(self, e: Event) -> dict[str, str]:
        return {"service": e.service, "window": "" if e.window is None else str(e.window),
                "staff": e.staff if not e.staff.startswith("kiosk") else "",
                "hour": f"{e.at.hour:02d}"}

    def add(self, e: Event, what: str, value: float | None = None) -> None:
        groups = [self.total] + [self.groups[d][k] for d, k in self.keys(e).items() if k]
        for g in groups:
            if value is None:
                g.counts[what] += 1
            else:
                g.durations[what].append(value)

    def take(self, e: Event) -> None:
        tid = e.ticket_id
        if e.type in COUNTS:
            self.add(e, COUNTS[e.type])
        if e.type is EventType.ISSUED:
            self.issued[tid] = e.at
        elif e.type is EventType.PRINTED:
            self.printed[tid] = e.at
        elif e.type is EventType.CALLED and tid not in self.called:
            self.called[tid] = e.at
            start = self.printed.get(tid) or self.issued.get(tid)
            if start is not None:
                self.add(e, "wait_s", (e.at - start).total_seconds())
        elif e.type is EventType.SERVING and tid in self.called:
            self.serving[tid] = e.at
            self.add(e, "walk_s", (e.at - self.called[tid]).total_seconds())
        elif e.type is EventType.DONE:
            begun = self.serving.get(tid) or self.called.get(tid)
            if begun is not None:
                self.add(e, "handling_s", (e.at - begun).total_seconds())


def report(day: date, events: Iterable[Event], settings: HallSettings) -> dict[str, Any]:
    d = _Day()
    for e in sorted(events, key=lambda e: e.id):
        if e.day == day:
            d.take(e)
    names = {s.prefix: s.name for s in settings.services}
    return {
        "day": day.isoformat(), "hall": settings.hall.name, "total": d.total.summary(),
        "by_service": {k: {"name": names.get(k, k), **g.summary()}
                       for k, g in sorted(d.groups["service"].items())},
        "by_window": {k: g.summary() for k, g in sorted(d.groups["window"].items(),
                                                         key=lambda kv: int(kv[0]))},
        "by_staff": {k: g.summary() for k, g in sorted(d.groups["staff"].items())},
        "by_hour": {k: g.summary() for k, g in sorted(d.groups["hour"].items())},
    }


def to_csv(rep: dict[str, Any]) -> str:
    """One row per group: dimension, key, the counts, then n/p50/p90 of each duration."""
    out = io.StringIO()
    w = csv.writer(out)
    cols = list(COUNTS.values())
    w.writerow(["day", "dimension", "key", *cols,
                *[f"{d}_{m}" for d in DURATIONS for m in ("n", "p50", "p90")]])
    sections = [("total", {"": rep["total"]})] + [
        (dim, rep[f"by_{dim}"]) for dim in DIMENSIONS]
    for dim, groups in sections:
        for key, g in groups.items():
            w.writerow([rep["day"], dim, key, *[g[c] for c in cols],
                        *[g[d][m] if g[d][m] is not None else "" for d in DURATIONS
                          for m in ("n", "p50", "p90")]])
    return out.getvalue()


def render(rep: dict[str, Any]) -> str:
    """A plain-text summary for the terminal."""
    lines = [f"{rep['hall']}  {rep['day']}"]
    for label, key in (("合计", "total"),):
        lines.append(_line(label, rep[key]))
    for prefix, g in rep["by_service"].items():
        lines.append(_line(f"{prefix} {g['name']}", g))
    for number, g in rep["by_window"].items():
        lines.append(_line(f"{number}号窗口", g))
    for staff, g in rep["by_staff"].items():
        lines.append(_line(f"工号 {staff}", g))
    return "\n".join(lines)


def _line(label: str, g: dict[str, Any]) -> str:
    def sec(d: dict[str, Any]) -> str:
        return "-" if d["p50"] is None else f"{d['p50']:.0f}/{d['p90']:.0f}s"

    return (f"{label}: 取号 {g['issued']} 办结 {g['served']} 过号 {g['no_show']} "
            f"转移 {g['transferred']} 作废 {g['void']}  等候 {sec(g['wait_s'])} "
            f"到窗 {sec(g['walk_s'])} 办理 {sec(g['handling_s'])} (p50/p90)")
