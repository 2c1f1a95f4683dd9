"""The dashboard's HTML: plain server-made pages (no script framework), readable on a county
office PC. Every value from the database is escaped. The overview reloads itself every
REFRESH_S seconds, so a wall screen keeps up without anyone touching it.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import Any

from county.service.fleetview import DEVICE_ZH

REFRESH_S = 15
COLOUR_ZH = {"green": "正常", "yellow": "注意", "red": "故障", "grey": "失联"}
KIND_ZH = {"heartbeat": "心跳", "event": "事件", "screenshot": "截屏", "command_result": "回复"}
EVENT_ZH = {"paper_out": "缺纸", "paper_jammed": "卡纸", "printer_offline": "打印机离线",
            "reader_gone": "身份证阅读器不可用", "device_offline": "设备离线",
            "recovered": "已恢复"}

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;margin:0;background:#f4f5f7;
color:#1d2733;font-size:16px}
header{background:#1f4e79;color:#fff;padding:12px 24px;display:flex;align-items:center;
gap:24px}
header h1{font-size:22px;margin:0;font-weight:600}header a{color:#fff}
header form{margin-left:auto}main{padding:16px 24px}
.counts{display:flex;gap:12px;margin:8px 0 16px}
.count{padding:8px 16px;border-radius:6px;background:#fff;border-left:8px solid #999}
.count b{font-size:24px;margin-right:6px}
.green{border-color:#2e8b57}.yellow{border-color:#e0a800}.red{border-color:#c62828}
.grey{border-color:#9e9e9e}
.hall{background:#fff;border-radius:8px;padding:12px 16px;margin-bottom:16px}
.hall h2{font-size:18px;margin:0 0 10px}
.tiles{display:flex;flex-wrap:wrap;gap:10px}
.tile{display:block;width:230px;padding:10px 12px;border-radius:6px;text-decoration:none;
color:inherit;border:1px solid #dde;border-left:10px solid #999;background:#fafbfc}
.tile.green{border-left-color:#2e8b57}.tile.yellow{border-left-color:#e0a800;
background:#fffbea}.tile.red{border-left-color:#c62828;background:#fdecea}
.tile.grey{border-left-color:#9e9e9e;background:#eee;color:#555}
.tile .name{font-weight:600;font-size:17px}.tile .state{float:right;font-size:14px}
.tile .why{color:#b71c1c;font-size:14px;margin-top:4px}.tile.yellow .why{color:#8a6100}
.tile.grey .why{color:#555}.tile.green .why{color:#2e6b45}.small{font-size:13px;color:#555}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{background:#eef1f5;font-weight:600}
button{font-size:15px;padding:4px 12px;border-radius:4px;border:1px solid #1f4e79;
background:#fff;color:#1f4e79;cursor:pointer}
.section{margin:20px 0}.section h2{font-size:18px}
.pill{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;color:#fff}
.pill.green{background:#2e8b57}.pill.yellow{background:#e0a800}.pill.red{background:#c62828}
.pill.grey{background:#9e9e9e}
img.shot{max-width:360px;border:1px solid #ccc}
.login{max-width:360px;margin:80px auto;background:#fff;padding:24px;border-radius:8px}
.login input{display:block;width:100%;font-size:16px;margin:6px 0 14px;padding:6px}
.error{color:#c62828}
"""


def t(value: Any) -> str:
    return escape("" if value is None else str(value))


def when(value: datetime | str | None) -> str:
    """Local time, to the second; an ISO text (from a heartbeat) is read first."""
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return escape(text)
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def page(title: str, body: str, operator: str | None = None, refresh: bool = False) -> str:
    meta = f'<meta http-equiv="refresh" content="{REFRESH_S}">' if refresh else ""
    user = (f'<span>{t(operator)}</span><form method="post" action="/logout">'
            '<button>退出</button></form>') if operator else ""
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">{meta}'
            f"<title>{t(title)}</title><style>{CSS}</style></head><body>"
            f'<header><h1>{t(title)}</h1><a href="/">全县总览</a>{user}</header>'
            f"<main>{body}</main></body></html>")


def login_page(error: str = "") -> str:
    err = f'<p class="error">{t(error)}</p>' if error else ""
    return page("自助终端运维平台 · 登录", f"""<form class="login" method="post" action="/login">
        {err}<label>用户名<input name="name" autocomplete="username" required></label>
        <label>密码<input name="password" type="password" autocomplete="current-password"
        required></label><button>登录</button></form>""")


def _tile(k: dict[str, Any]) -> str:
    why = "；".join(k["reasons"]) or "一切正常"
    return (f'<a class="tile {k["colour"]}" href="/kiosks/{t(k["id"])}" data-kiosk="{t(k["id"])}"'
            f' data-colour="{k["colour"]}"><span class="state">{COLOUR_ZH[k["colour"]]}</span>'
            f'<div class="name">{t(k["name"])}</div>'
            f'<div class="small">目录 {t(k["catalog"] or "—")} · {t(k["last_seen"])}</div>'
            f'<div class="why">{t(why)}</div></a>')


def overview_page(view: dict[str, Any], operator: str) -> str:
    counts = "".join(f'<div class="count {c}"><b>{n}</b>{COLOUR_ZH[c]}</div>'
                     for c, n in view["counts"].items())
    halls = "".join(
        f'<section class="hall"><h2>{t(h["name"])} <span class="pill {h["worst"]}">'
        f'{COLOUR_ZH[h["worst"]]}</span></h2><div class="tiles">'
        + "".join(_tile(k) for k in h["kiosks"]) + "</div></section>"
        for h in view["halls"]) or "<p>还没有登记任何大厅。用 kiosk county enrol-hall 登记。</p>"
    versions = "，".join(f"{t(v)}：{n} 台" for v, n in sorted(view["catalog_versions"].items()))
    return page("自助终端运维平台", f"""<div class="counts">{counts}</div>
        <p class="small">各终端的办事指南目录版本：{versions or "—"}</p>{halls}
        <div class="section"><h2>告警</h2>{alerts_table(view["alerts"], with_kiosk=True)}</div>
        """, operator, refresh=True)


def alerts_table(alerts: list[dict[str, Any]], with_kiosk: bool = False) -> str:
    if not alerts:
        return "<p>没有待处理的告警。</p>"
    head = "<th>大厅 · 终端</th>" if with_kiosk else ""
    rows = []
    for a in alerts:
        where = (f'<td><a href="/kiosks/{t(a["kiosk_id"])}">{t(a["hall"])} · {t(a["kiosk"])}'
                 "</a></td>") if with_kiosk else ""
        state = "已恢复 " + when(a["resolved_at"]) if a["resolved_at"] else "未恢复"
        ack = (f"已确认（{t(a['acked_by'])} {when(a['acked_at'])}）" if a["acked_at"] else
               f'<form method="post" action="/alerts/{a["id"]}/ack"><button>确认</button></form>')
        device = t(DEVICE_ZH.get(a["device"], a["device"]))
        rows.append(f'<tr data-alert="{a["id"]}">{where}<td>{device}</td>'
                    f'<td>{t(a["words"])}</td><td>{when(a["opened_at"])}</td>'
                    f"<td>{state}</td><td>{ack}</td></tr>")
    return (f"<table><tr>{head}<th>设备</th><th>情况</th><th>发生时间</th><th>状态</th>"
            f"<th>确认</th></tr>{''.join(rows)}</table>")


def _devices(hb: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{t(DEVICE_ZH.get(d.get('device', ''), d.get('device', '')))}</td>"
        f"<td>{'已配置' if d.get('enabled', True) else '未配置'}</td><td>{t(d.get('words'))}</td>"
        f"<td>{_std_state(d)}</td><td>{t(d.get('last_error'))}</td></tr>"
        for d in hb.get("devices", []))
    return ("<table><tr><th>设备</th><th></th><th>状态</th><th>标准状态</th><th>最近故障</th>"
            f"</tr>{rows}</table>")


def _std_state(d: dict[str, Any]) -> str:
    if not d.get("enabled", True):
        return "—"
    paper = d.get("paper")
    return t(d.get("state")) + (f" / 纸 {t(paper)}" if paper and paper != "UNKNOWN" else "")


def _catalog(hb: dict[str, Any]) -> str:
    c = hb.get("catalog", {})
    head = (f"<p>办事指南目录 {t(c.get('version') or '—')}，发布于 {t(c.get('published'))}，"
            f"{t(c.get('items'))} 项；")
    if not c.get("verified_at") and not c.get("last_outcome"):
        return head + "这台终端还没有收到过县里签名发布的目录。</p>"
    expired = "（已过期，仍用最后核验的目录）" if c.get("expired") else ""
    return (head + f"签名核验于 {when(c.get('verified_at')) or '—'}，"
            f"有效期至 {when(c.get('expires')) or '—'}{expired}；"
            f"最近一次更新：{t(c.get('words'))}</p>")


def _today(hb: dict[str, Any]) -> str:
    names = {"guide_viewed": "查看指南", "guide_printed": "打印指南", "form_printed": "打印表格",
             "copy_printed": "复印", "ticket_issued": "取号", "ticket_failed": "取号失败",
             "print_failed": "打印失败", "visit_ended": "服务人次", "bundle_printed": "一件事清单"}
    cells = "".join(f"<td>{t(names.get(k, k))}<br><b>{int(v)}</b></td>"
                    for k, v in hb.get("today", {}).items())
    return f"<table><tr>{cells}</tr></table>" if cells else "<p>—</p>"


def _summary(m: dict[str, Any]) -> str:
    b = m["body"]
    if m["kind"] == "event":
        event = EVENT_ZH.get(b.get("event"), b.get("event"))
        return f"{event} {DEVICE_ZH.get(b.get('device'), '')}"
    if m["kind"] == "heartbeat":
        bad = [DEVICE_ZH.get(d.get("device"), "") + (d.get("words") or "")
               for d in b.get("devices", []) if d.get("state") != "ONLINE" and d.get("enabled")]
        return "；".join(bad) or "设备正常"
    return json.dumps(b, ensure_ascii=False)[:120]


def kiosk_page(view: dict[str, Any], operator: str) -> str:
    k, hb = view["kiosk"], view["heartbeat"]
    shots = "".join(
        f"<tr><td>{when(c['asked_at'])}</td><td>{t(c['asked_by'])}</td>"
        f"<td>{t(c['words'] or ('等待终端空闲时截屏' if not c['done_at'] else ''))}</td><td>"
        + (f'<img class="shot" alt="截屏" src="/screenshots/{c["id"]}.png">'
           if c["has_png"] else "")
        + "</td></tr>" for c in view["commands"])
    history = "".join(
        f"<tr><td>{when(m['at'])}</td><td>{KIND_ZH.get(m['kind'], m['kind'])}"
        f"{' · 紧急' if m['urgent'] else ''}</td><td>{t(_summary(m))}</td>"
        f"<td class='small'>{t(m['via'])}</td></tr>" for m in view["history"])
    reasons = "；".join(view["reasons"]) or "一切正常"
    body = f"""<h2>{t(k['hall'])} · {t(k['name'])} <span class="pill {view['colour']}"
        id="colour" data-colour="{view['colour']}">{COLOUR_ZH[view['colour']]}</span></h2>
        <p>{t(reasons)}</p><p class="small">编号 {t(k['id'])} · 软件 {t(hb.get('kiosk_version'))}
        · 最近心跳 {t(view['last_seen'])} · 运行 {int(hb.get('uptime_s', 0)) // 3600} 小时 ·
        磁盘剩余 {t(hb.get('disk_free_mb'))} MB · {'有群众在使用' if hb.get('visit') == 'in_use'
        else '空闲'}</p>
        <div class="section"><h2>设备</h2>{_devices(hb)}</div>
        <div class="section"><h2>目录</h2>{_catalog(hb)}</div>
        <div class="section"><h2>今日使用</h2>{_today(hb)}</div>
        <div class="section"><h2>告警</h2>{alerts_table(view['alerts'])}</div>
        <div class="section"><h2>截屏</h2>
        <form method="post" action="/kiosks/{t(k['id'])}/screenshot"><button>请求截屏</button>
        </form><p class="small">终端只在无人使用时截屏（首页、无人操作）。</p>
        <table><tr><th>请求时间</th><th>请求人</th><th>结果</th><th></th></tr>{shots}</table></div>
        <div class="section"><h2>历史</h2><table><tr><th>时间</th><th>类型</th><th>内容</th>
        <th>经由</th></tr>{history}</table></div>"""
    return page(f"终端 {k['name']}", body, operator)
