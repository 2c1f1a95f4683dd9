"""`kiosk doctor`: check a fresh installation; `kiosk status`: what maintenance mode shows."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from kiosk.commands.common import Subparsers, config_from_args, print_json
from kiosk.config import default_config_path
from kiosk.maintenance.doctor import CheckFn
from kiosk.maintenance.status import VERIFY_NOTE, error_note, usage_line


def register(sub: Subparsers, extra_checks: Sequence[CheckFn] = ()) -> None:
    """`extra_checks`: checks from layers above kiosk/ (the UI's font coverage), handed in by
    township/cli.py so this module never imports them."""
    p = sub.add_parser("doctor", help="check this installation and say what to fix")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=partial(_doctor, extra_checks=tuple(extra_checks)))
    s = sub.add_parser("status", help="devices, tickets, catalog, disk, uptime (as maintenance "
                                      "mode shows them)")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.add_argument("--probe", action="store_true",
                   help="query the devices even when a running kiosk has a fresh snapshot")
    s.set_defaults(handler=_status)


def _doctor(args: argparse.Namespace, extra_checks: tuple[CheckFn, ...] = ()) -> int:
    from kiosk.maintenance.doctor import render, run_checks
    from kiosk.status_sources import doctor_checks

    checks = run_checks(Path(args.config or default_config_path()),
                        [*doctor_checks(), *extra_checks])
    if args.json:
        print_json([asdict(c) for c in checks])
    else:
        print(render(checks))
    return 0 if all(c.ok or c.skipped for c in checks) else 1


def _status(args: argparse.Namespace) -> int:
    from kiosk.status_sources import collect_status

    cfg = config_from_args(args)
    report = collect_status(cfg, use_snapshot=not args.probe)
    if args.json:
        print_json(report.to_json())
    else:
        print(render_status(report.to_json()))
    return 0 if report.ok else 1


def render_status(d: dict[str, Any]) -> str:
    up = d["uptime_s"]
    lines = [f"{d['hall']}  kiosk {d['version']}",
             f"运行时间：{_duration(up) if up is not None else '自助终端程序未运行'}"]
    for dev in d["devices"]:
        mark = "✓" if dev["ok"] else "✗"
        extra = error_note(dev["ok"], dev["words"], dev["last_error"],
                           dev.get("last_error_at", 0.0))
        lines.append(f"{mark} {dev['name_zh']}：{dev['words']}{extra}  [{dev['state']}"
                     f"{'/' + dev['paper'] if dev['paper'] != 'UNKNOWN' else ''}]")
    cat = d["catalog"]
    if cat:
        from kiosk.sync.state import signature_lines

        lines.append(f"目录：版本 {cat.get('version')}，{cat.get('items')} 项，"
                     f"发布于 {cat.get('published')}")
        lines += signature_lines(cat)
    for t in d["tickets_today"]:
        lines.append(f"今日 {t['prefix']} {t['name']}：已发 {t['issued']}，等候 {t['waiting']}")
        if t.get("void_numbers"):
            lines.append(f"  作废 {t['void']}：{'、'.join(t['void_numbers'])}")
        if t.get("verify_numbers"):
            lines.append(f"  待核对 {len(t['verify_numbers'])}：{'、'.join(t['verify_numbers'])}"
                         f"（{VERIFY_NOTE}）")
    if d.get("usage_today"):
        lines.append(usage_line(d["usage_today"]))
    disk = d["disk"]
    if disk:
        lines.append(f"磁盘：剩余 {disk['free_bytes'] // 2**20} MB"
                     f"{'' if disk['writable'] else '，不可写'}")
    lines += [f"！{p}" for p in d["problems"]] or ["一切正常。"]
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    m = int(seconds) // 60
    h, m = divmod(m, 60)
    d, h = divmod(h, 24)
    return (f"{d}天" if d else "") + f"{h}小时{m}分"

