"""What the dashboard shows, computed when it is asked for — so a status resolves by itself:
a kiosk that stops calling turns grey after missed heartbeats, and a red one turns green with
the first heartbeat that shows its devices fine, without anyone clearing anything.

    grey    no heartbeat for MISSED heartbeat intervals (at least GREY_MIN_S)
    red     a device in trouble (paper out or jammed, printer offline, reader gone …)
    yellow  paper low, a cover open, the catalog's signature expired or an update refused,
            disk nearly full
    green   otherwise
Only live conditions colour a kiosk; an alert still waiting to be acknowledged is listed
apart and does not keep a kiosk red once its device is fine.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from county.service.db import Database
from protocol.fleet import device_trouble, device_warning

MISSED = 2.5
GREY_MIN_S = 90
DISK_LOW_MB = 500
COLOURS = ("red", "yellow", "green", "grey")
SEVERITY = ("red", "grey", "yellow", "green")     # a silent kiosk is worse than a warning

DEVICE_ZH = {"receipt_printer": "凭条打印机", "document_printer": "A4打印机",
             "scanner": "扫描仪", "id_reader": "身份证阅读器"}
_TROUBLE_ZH = {"paper_out": "缺纸", "paper_jammed": "卡纸", "printer_offline": "离线",
               "reader_gone": "不可用", "device_offline": "离线", "paper_low": "纸快用完",
               "needs_attention": "需要处理"}


def colour(state: dict[str, Any] | None, now: datetime) -> tuple[str, list[str]]:
    """(colour, reasons in plain Chinese) for one kiosk's newest state row."""
    if state is None:
        return "grey", ["还没有收到过心跳"]
    silent = (now - state["last_seen"]).total_seconds()
    if silent > max(GREY_MIN_S, MISSED * int(state["interval_s"])):
        return "grey", [f"{_ago(silent)}没有心跳"]
    hb = state["heartbeat"]
    red, yellow = _device_reasons(hb)
    cat = hb.get("catalog", {})
    if cat.get("expired"):
        yellow.append("目录签名已过期（仍用最后核验的目录）")
    elif cat.get("last_outcome") == "refused":
        yellow.append(f"目录更新被拒绝：{cat.get('words', '')}")
    if 0 <= int(hb.get("disk_free_mb", 10**6)) < DISK_LOW_MB:
        yellow.append("磁盘空间不足")
    if red:
        return "red", red + yellow
    if yellow:
        return "yellow", yellow
    return "green", []


def _device_reasons(hb: dict[str, Any]) -> tuple[list[str], list[str]]:
    red, yellow = [], []
    for d in hb.get("devices", []):
        name = DEVICE_ZH.get(d.get("device", ""), d.get("device", ""))
        trouble, warning = device_trouble(d), device_warning(d)
        if trouble:
            red.append(f"{name}{_TROUBLE_ZH.get(trouble, trouble)}")
        elif warning:
            yellow.append(f"{name}{_TROUBLE_ZH.get(warning, warning)}")
    return red, yellow


def _ago(seconds: float) -> str:
    if seconds < 120:
        return f"{int(seconds)}秒"
    if seconds < 7200:
        return f"{int(seconds // 60)}分钟"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)}小时"
    return f"{int(seconds // 86400)}天"


def ago(when: datetime | None, now: datetime) -> str:
    return "从未" if when is None else f"{_ago(max(0.0, (now - when).total_seconds()))}前"


def overview(db: Database, now: datetime | None = None) -> dict[str, Any]:
    """Every hall and kiosk with its colour, the counts, and the open alerts."""
    now = now or datetime.now(UTC)
    rows = db.rows(
        "SELECT k.id, k.name, k.enrolled_at, h.id AS hall_id, h.name AS hall, s.last_seen, "
        "s.last_at, s.interval_s, s.heartbeat FROM kiosks k JOIN halls h ON h.id = k.hall_id "
        "LEFT JOIN kiosk_state s ON s.kiosk_id = k.id ORDER BY h.name, k.name")
    halls: dict[str, dict[str, Any]] = {}
    counts = dict.fromkeys(COLOURS, 0)
    for r in rows:
        state = r if r["last_seen"] is not None else None
        c, reasons = colour(state, now)
        counts[c] += 1
        hb = r["heartbeat"] or {}
        hall = halls.setdefault(r["hall_id"], {"id": r["hall_id"], "name": r["hall"],
                                               "kiosks": [], "worst": "green"})
        hall["kiosks"].append({
            "id": r["id"], "name": r["name"], "colour": c, "reasons": reasons,
            "enrolled": r["enrolled_at"] is not None,
            "catalog": (hb.get("catalog") or {}).get("version", ""),
            "last_seen": ago(r["last_seen"], now), "version": hb.get("kiosk_version", "")})
        hall["worst"] = min(hall["worst"], c, key=SEVERITY.index)
    alerts = db.rows(
        "SELECT a.id, a.kiosk_id, k.name AS kiosk, h.name AS hall, a.device, a.kind, a.words, "
        "a.opened_at, a.resolved_at, a.acked_at, a.acked_by FROM alerts a "
        "JOIN kiosks k ON k.id = a.kiosk_id JOIN halls h ON h.id = k.hall_id "
        "WHERE a.acked_at IS NULL OR a.resolved_at IS NULL ORDER BY a.opened_at DESC LIMIT 200")
    versions: dict[str, int] = {}
    for h in halls.values():
        for k in h["kiosks"]:
            versions[k["catalog"] or "（未知）"] = versions.get(k["catalog"] or "（未知）", 0) + 1
    ordered = sorted(halls.values(), key=lambda h: (SEVERITY.index(h["worst"]), h["name"]))
    return {"now": now, "halls": ordered, "counts": counts, "alerts": alerts,
            "catalog_versions": versions}


def kiosk_page(db: Database, kiosk_id: str, now: datetime | None = None
               ) -> dict[str, Any] | None:
    now = now or datetime.now(UTC)
    k = db.one("SELECT k.id, k.name, k.enrolled_at, h.name AS hall, s.last_seen, s.last_at, "
               "s.interval_s, s.heartbeat FROM kiosks k JOIN halls h ON h.id = k.hall_id "
               "LEFT JOIN kiosk_state s ON s.kiosk_id = k.id WHERE k.id = %s", (kiosk_id,))
    if k is None:
        return None
    c, reasons = colour(k if k["last_seen"] is not None else None, now)
    history = db.rows("SELECT seq, kind, urgent, at, received_at, via, body FROM messages "
                      "WHERE kiosk_id = %s ORDER BY at DESC, seq DESC LIMIT 200", (kiosk_id,))
    alerts = db.rows("SELECT id, device, kind, words, opened_at, resolved_at, acked_at, "
                     "acked_by FROM alerts WHERE kiosk_id = %s ORDER BY opened_at DESC "
                     "LIMIT 100", (kiosk_id,))
    commands = db.rows("SELECT c.id, c.kind, c.asked_by, c.asked_at, c.done_at, c.outcome, "
                       "c.words, (s.command_id IS NOT NULL) AS has_png FROM commands c "
                       "LEFT JOIN screenshots s ON s.command_id = c.id WHERE c.kiosk_id = %s "
                       "ORDER BY c.id DESC LIMIT 20", (kiosk_id,))
    return {"kiosk": k, "colour": c, "reasons": reasons, "heartbeat": k["heartbeat"] or {},
            "last_seen": ago(k["last_seen"], now), "history": history, "alerts": alerts,
            "commands": commands, "now": now}
