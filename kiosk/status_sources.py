"""Where status and doctor get their facts: the device probes, the catalog and the queue.
This is the one module that knows every subsystem (so it sits beside kiosk.bootstrap, above
kiosk/maintenance), so maintenance's status.py and doctor.py stay small.

The probes here open a device for a moment; they are for `kiosk status` and `kiosk doctor`
when the kiosk is not running (a running kiosk owns its devices and reports through its
snapshot instead)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from devices.status import CoverState, DeviceState, in_trouble
from kiosk.bootstrap import (
    document_printer,
    hall_settings,
    id_reader,
    open_receipt_printer,
    queue_store,
)
from kiosk.config import Config
from kiosk.errors import KioskError, QueueError
from kiosk.guide_queue import Served, served_by, unserved_windows
from kiosk.maintenance.doctor import Check, CheckFn
from kiosk.maintenance.status import (
    DeviceReport,
    Probe,
    StatusReport,
    collect,
    hall_report,
    plain_words,
    running_kiosk,
    void_reason_zh,
)
from kiosk.queue.model import ServiceView, Ticket, TicketState
from kiosk.usage import USAGE_FILE, UsageCounters


def probe_receipt_printer(cfg: Config) -> DeviceReport:
    printer = open_receipt_printer(cfg)
    try:
        st = printer.status()
        last = printer.last_status()
    finally:
        printer.close()
    event = st.event or ("COVER_OPEN" if last is not None and last.cover == CoverState.OPEN
                         else "")
    words = plain_words(st.state, st.paper, event)
    err = words if st.in_trouble else ""
    return DeviceReport.of("receipt_printer", st.state, st.paper, err,
                           f"{cfg.receipt_printer.url} {event} {st.detail}".strip(),
                           event=event)


def probe_id_reader(cfg: Config) -> DeviceReport:
    r = cfg.id_reader
    if not r.enabled:
        return DeviceReport.disabled("id_reader")
    reader = id_reader(cfg)
    try:
        reader.open(poll=False)
        st = reader.status()
    finally:
        reader.close()
    err = plain_words(st.state) if in_trouble(st.state) else ""
    return DeviceReport.of("id_reader", st.state, last_error=err,
                           detail=f"{r.port} SAM {st.sam_id}" if st.sam_id
                           else f"{r.port} {st.detail}")


def probe_document_printer(cfg: Config) -> DeviceReport:
    if not cfg.document_printer.enabled:
        return DeviceReport.disabled("document_printer")
    printer = document_printer(cfg).open()
    try:
        st = printer.status()
    finally:
        printer.close()
    up = st.update()
    return DeviceReport.of("document_printer", up.state, up.paper, st.citizen_message,
                           f"{st.queue} {st.state} {' '.join(st.reasons)}".strip())


def probe_scanner(cfg: Config) -> DeviceReport:
    from devices.scanner.sane import list_device

    if not cfg.scanner.enabled:
        return DeviceReport.disabled("scanner")
    found = list_device(cfg.scanner.device)
    if not found.installed:
        return DeviceReport.of("scanner", DeviceState.NO_DEVICE, last_error="未安装扫描软件",
                               detail=found.detail)
    if not found.answered:
        return DeviceReport.of("scanner", DeviceState.HW_ERROR, last_error="扫描仪没有响应",
                               detail=found.detail)
    if found.listed:
        return DeviceReport.of("scanner", DeviceState.ONLINE, detail=found.detail)
    return DeviceReport.of("scanner", DeviceState.NO_DEVICE, last_error="未找到扫描仪",
                           detail=found.detail)


def probe_hall_service(cfg: Config) -> DeviceReport:
    """For a kiosk with [queue].server: does the hall service answer now?"""
    from kiosk.queue.remote_store import HallServerStore

    return hall_report(HallServerStore(cfg.queue.server, timeout_s=cfg.queue.timeout_s,
                                       probe_s=0).health())


def device_probes(cfg: Config) -> dict[str, Probe]:
    probes: dict[str, Probe] = {"receipt_printer": probe_receipt_printer,
                                "document_printer": probe_document_printer,
                                "scanner": probe_scanner,
                                "id_reader": probe_id_reader}
    if cfg.queue.server:
        probes["hall_service"] = probe_hall_service
    return probes


def catalog_info(cfg: Config) -> dict[str, Any]:
    """The current catalog's version and size, from the store seeded as every command seeds
    it (a fresh terminal shows its seed catalog, not "none")."""
    from kiosk.catalog import open_store
    from kiosk.errors import CatalogError

    try:
        store = open_store(cfg)
    except CatalogError as exc:
        return {"version": "", "items": 0, "note": f"尚未导入目录（{exc}）"}
    try:
        cur = store.stats().get("current")
    finally:
        store.close()
    if not cur:
        return {"version": "", "items": 0, "note": "尚未导入目录"}
    from kiosk.sync.state import status_fields

    return {"version": cur["catalog_version"], "published": cur["published"],
            "items": cur["items"], "imported_at": cur["imported_at"],
            **status_fields(cfg.path(cfg.catalog.sync_dir))}


def tickets_today(cfg: Config) -> list[dict[str, Any]]:
    """One row per service of the hall: prefix, name, issued (not void), waiting, void, last.
    Read-only: no store is created, no recovery runs."""
    if not cfg.queue.server and not cfg.path(cfg.queue.db).exists():
        return []
    store = queue_store(cfg)
    store.open(readonly=True)
    try:
        services = store.services()
        tickets = store.tickets()
    finally:
        store.close()
    return ticket_rows(services, tickets)


def ticket_rows(services: list[ServiceView], tickets: list[Ticket]) -> list[dict[str, Any]]:
    """Per service: counts, the numbers voided (with why) and the numbers whose slip may be
    incomplete (state verify: servable; staff check the slip or reprint it)."""
    rows = []
    for svc in services:
        mine = [t for t in tickets if t.service_prefix == svc.prefix]
        rows.append({
            "prefix": svc.prefix, "name": svc.name,
            "issued": sum(t.state is not TicketState.VOID for t in mine),
            "waiting": sum(t.waiting for t in mine),
            "void": sum(t.state is TicketState.VOID for t in mine),
            "verify": sum(t.state is TicketState.VERIFY for t in mine),
            "void_numbers": [f"{t.number}（{void_reason_zh(t.void_reason)}）"
                             for t in mine if t.state is TicketState.VOID],
            "verify_numbers": [t.number for t in mine if t.state is TicketState.VERIFY],
            "last_number": mine[-1].number if mine else "",
        })
    return rows


def usage_today(cfg: Config) -> dict[str, int]:
    """Today's counts (kiosk/usage.py), from the file the running kiosk writes."""
    return UsageCounters(cfg.path(USAGE_FILE)).today()


def collect_status(cfg: Config, use_snapshot: bool = True) -> StatusReport:
    return collect(cfg, device_probes(cfg), catalog_info, tickets_today, use_snapshot,
                   usage=usage_today)


def _as_check(name: str, probe: Probe, device: str) -> CheckFn:
    def check(cfg: Config) -> Check:
        running = running_kiosk(cfg)
        if running is not None:
            return _in_use(name, device, *running)
        rep = probe(cfg)
        if not rep.enabled:
            return Check(name, True, rep.words, skipped=True)
        if rep.state == DeviceState.ONLINE.value:
            return Check(name, True, f"可以连接（{rep.detail}）")
        return Check(name, False, f"{rep.words}（{rep.detail}）", _FIXES.get(rep.device, ""))

    check.__doc__ = name
    return check


def _in_use(name: str, device: str, pid: int, reports: list[DeviceReport]) -> Check:
    """The running kiosk holds the port: say so, with what the kiosk itself last saw."""
    rep = next((r for r in reports if r.device == device), None)
    said = f"，它报告：{rep.words}{rep.error_note()}" if rep is not None else ""
    ok = rep is None or rep.ok
    return Check(name, ok, f"正由运行中的自助终端程序使用（进程 {pid}）{said}",
                 "" if ok else _FIXES.get(device, ""))


_FIXES = {
    "receipt_printer": "检查凭条打印机的电源和数据线；核对 kiosk.toml 的 receipt_printer.url",
    "id_reader": "检查身份证阅读器的电源和串口线；核对 kiosk.toml 的 id_reader.port "
                 "（可用 kiosk card status --port URL 试连）",
}


def check_catalog(cfg: Config) -> Check:
    """办事指南目录"""
    info = catalog_info(cfg)
    if info.get("items"):
        return Check("办事指南目录", True, f"版本 {info['version']}，{info['items']} 项")
    seed = cfg.path(cfg.catalog.seed) if cfg.catalog.seed else None
    if seed is not None and Path(seed).exists():
        return Check("办事指南目录", True, f"尚未导入；首次启动时将导入 {seed}")
    return Check("办事指南目录", False, "没有已导入的目录，也没有可导入的种子目录",
                 "用 kiosk catalog import FILE 导入县里发布的目录")


def hall_services(cfg: Config) -> Sequence[Served]:
    """The hall's services and their windows: from hall.toml when this kiosk holds the queue,
    else as the hall service says."""
    if not cfg.queue.server:
        return served_by(hall_settings(cfg))
    store = queue_store(cfg)
    store.open(readonly=True)
    try:
        return store.services()
    finally:
        store.close()


def check_windows_served(cfg: Config) -> Check:
    """排队业务覆盖指南里的窗口: every window a guide names ("9号窗口") is in some
    hall.toml window's services, so 去取号 leads somewhere and no guide sends people to a window
    that calls no ticket."""
    name = "指南里的窗口都能取号"
    try:
        from kiosk.lookup import load_catalog

        catalog = load_catalog(cfg)
        items = [(s.code, s.name, catalog.get(s.code).location) for s in catalog.summaries()]
    except Exception as exc:  # the catalog check reports the catalog itself
        return Check(name, True, f"目录读不出来，跳过（{type(exc).__name__}）", skipped=True)
    try:
        services = hall_services(cfg)
    except (KioskError, OSError) as exc:  # the queue check reports the hall itself
        return Check(name, True, f"排队业务读不出来，跳过（{type(exc).__name__}）", skipped=True)
    missing = unserved_windows(services, items)
    if not missing:
        return Check(name, True, f"{len(items)} 个事项里提到的窗口都有排队业务")
    said = "；".join(f"{w}（{len(names)} 项，如 {names[0]}）" for w, names in missing.items())
    return Check(name, False, f"没有排队业务的窗口：{said}",
                 "在 hall.toml 里让某个 [[windows]] 叫这些窗口的号（number 和 services）")


def doctor_checks() -> list[CheckFn]:
    return [check_catalog, check_queue, check_windows_served,
            _as_check("凭条打印机", probe_receipt_printer, "receipt_printer"),
            _as_check("身份证阅读器", probe_id_reader, "id_reader")]


def check_queue(cfg: Config) -> Check:
    """排队取号数据: the store opens (or its folder can hold it) and the ID-hash secret is
    readable by this user only."""
    name = "排队取号数据"
    path = cfg.path(cfg.queue.db)
    secret = cfg.path(cfg.queue.secret_file)
    if secret.exists() and stat.S_IMODE(secret.stat().st_mode) & 0o077:
        return Check(name, False, f"{secret}（queue.secret_file）其他用户也能读取",
                     f"chmod 600 {secret}")
    if not path.exists():
        folder = next((p for p in path.parents if p.exists()), path.parent)
        if os.access(folder, os.W_OK):
            return Check(name, True, f"尚未取过号；首次取号时创建 {path}")
        return Check(name, False, f"无法在 {folder} 创建 {path.name}（queue.db）",
                     f"让运行自助终端的用户可以写入 {folder}")
    store = queue_store(cfg)
    try:
        store.open(readonly=True)
        count = len(store.tickets())
    except QueueError as exc:
        return Check(name, False, str(exc), f"检查 {path}（queue.db）的权限和磁盘空间")
    finally:
        store.close()
    return Check(name, True, f"{path}：今日 {count} 张号票")
