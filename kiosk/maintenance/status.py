"""What maintenance mode shows and `kiosk status --json` prints: devices, today's tickets,
catalog, disk, uptime, version. One model for both, so the screen and the script never
disagree.

The running kiosk owns its devices (a serial port has one reader at a time), so it writes a
snapshot of their last known state to var/status.json; `kiosk status` uses a fresh snapshot
when the kiosk is running and probes the devices itself when it is not.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from devices.status import DeviceState, PaperState, in_trouble
from kiosk import __version__
from kiosk.config import Config
from kiosk.queue.remote_store import Link

DEVICE_NAMES_ZH = {
    "receipt_printer": "凭条打印机",
    "document_printer": "A4打印机",
    "scanner": "扫描仪",
    "id_reader": "身份证阅读器",
    "hall_service": "叫号服务",
}
HALL_LOST = "连不上叫号服务，暂停取号；连上后自动恢复"
HALL_UP = "正常（通过叫号服务取号）"

_STATE_ZH = {
    DeviceState.ONLINE: "正常",
    DeviceState.OFFLINE: "未连接，请检查电源和数据线",
    DeviceState.POWER_OFF: "电源已关闭，请打开电源",
    DeviceState.NO_DEVICE: "未找到设备，请检查连接或设置",
    DeviceState.HW_ERROR: "设备故障，请重启设备或联系技术人员",
    DeviceState.USER_ERROR: "需要处理（如纸仓盖未关好）",
    DeviceState.BUSY: "正在工作",
}

_PAPER_ZH = {
    PaperState.LOW: "纸快用完了，请及时装纸",
    PaperState.OUT: "缺纸，请装纸",
    PaperState.JAMMED: "卡纸，请打开纸仓取出卡住的纸",
}


def plain_words(state: DeviceState, paper: PaperState = PaperState.UNKNOWN,
                event: str = "") -> str:
    """The device's state as hall staff say it (not XFS names). Paper trouble is named first:
    a printer without paper also reports itself in error, but "装纸" is what staff must do."""
    if state not in (DeviceState.OFFLINE, DeviceState.POWER_OFF, DeviceState.NO_DEVICE):
        if paper in (PaperState.OUT, PaperState.JAMMED):
            return _PAPER_ZH[paper]
        if "COVER_OPEN" in event:
            return "纸仓盖没有关好，请关好"
        if state == DeviceState.ONLINE and paper == PaperState.LOW:
            return _PAPER_ZH[paper]
    return _STATE_ZH[state]


def error_note(ok: bool, words: str, last_error: str, at: float,
               now: float | None = None) -> str:
    """See DeviceReport.error_note (a function too, for `kiosk status --json` dicts)."""
    if not last_error or last_error == words:
        return ""
    when = ""
    if at:
        t, today = time.localtime(at), time.localtime(now or time.time())
        same_day = (t.tm_year, t.tm_yday) == (today.tm_year, today.tm_yday)
        when = time.strftime("%H:%M" if same_day else "%m月%d日 %H:%M", t).lstrip("0")
    head = f"上次出错 {when}：" if when else "上次出错："
    return f"（{head}{last_error}{'；已恢复' if ok else ''}）"


@dataclass(frozen=True)
class DeviceReport:
    device: str                  # receipt_printer | document_printer | scanner | id_reader
    enabled: bool
    state: str                   # DeviceState value, or "DISABLED"
    paper: str = PaperState.UNKNOWN.value
    words: str = ""              # plain Chinese for staff
    last_error: str = ""         # plain Chinese, "" when none
    detail: str = ""             # for the technician (URL, queue, SAM id …)
    checked_at: float = 0.0
    last_error_at: float = 0.0   # when last_error happened (epoch s); 0: unknown

    def error_note(self, now: float | None = None) -> str:
        """The last error as staff should read it: '' when none or when it is what the device
        says now; a past one as past, with its time ("上次出错 14:05：缺纸，请装纸；已恢复")."""
        return error_note(self.ok, self.words, self.last_error, self.last_error_at, now)

    @property
    def name_zh(self) -> str:
        return DEVICE_NAMES_ZH.get(self.device, self.device)

    @property
    def ok(self) -> bool:
        return not self.enabled or not in_trouble(self.state, self.paper)

    @classmethod
    def disabled(cls, device: str) -> DeviceReport:
        return cls(device, False, "DISABLED", words="本机未配置此设备", checked_at=time.time())

    @classmethod
    def of(cls, device: str, state: DeviceState, paper: PaperState = PaperState.UNKNOWN,
           last_error: str = "", detail: str = "", event: str = "",
           last_error_at: float = 0.0) -> DeviceReport:
        return cls(device, True, state.value, paper.value, plain_words(state, paper, event),
                   last_error, detail, time.time(), last_error_at)


@dataclass(frozen=True)
class DiskReport:
    path: str
    free_bytes: int
    total_bytes: int
    writable: bool

    @property
    def low(self) -> bool:
        return self.free_bytes < 200 * 1024 * 1024


@dataclass(frozen=True)
class StatusReport:
    version: str
    hall: str
    generated_at: float
    uptime_s: float | None            # None: the kiosk is not running
    devices: list[DeviceReport]
    catalog: dict[str, Any]          # version, published, items
    tickets_today: list[dict[str, Any]] = field(default_factory=list)
    usage_today: dict[str, int] = field(default_factory=dict)   # kiosk/usage.py kinds
    disk: DiskReport | None = None
    problems: list[str] = field(default_factory=list)   # plain Chinese, one per line

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        for dev, rep in zip(d["devices"], self.devices, strict=True):
            dev["name_zh"] = rep.name_zh
            dev["ok"] = rep.ok
        if self.disk is not None:
            d["disk"]["low"] = self.disk.low
        d["ok"] = self.ok
        return d


USAGE_ZH = (("guide_viewed", "看指南"), ("guide_printed", "打印指南"),
            ("bundle_printed", "打印一件事清单"), ("form_printed", "打印表格"),
            ("copy_printed", "复印"), ("ticket_issued", "取号"), ("ticket_failed", "取号失败"),
            ("print_failed", "打印失败"))


def usage_line(counts: Mapping[str, int]) -> str:
    """'今日使用：看指南 12 次，打印指南 3 次，… 取号失败 0 次' (kiosk/usage.py's counts)."""
    return "今日使用：" + "，".join(f"{zh} {counts.get(k, 0)} 次" for k, zh in USAGE_ZH)


VOID_REASON_ZH = {"interrupted": "程序中断", "staff": "工作人员作废", "reset": "清空排队"}


VERIFY_NOTE = "小票可能没有打全：照常叫号，请核对小票，需要时补打"
"""What staff read beside numbers in state verify (the print failed after the number was sent)."""


def void_reason_zh(reason: str) -> str:
    if reason.startswith("print failed"):
        return "没有打印出来"
    return VOID_REASON_ZH.get(reason, reason or "作废")


def disk_report(cfg: Config) -> DiskReport:
    var = cfg.path("var")
    try:
        var.mkdir(parents=True, exist_ok=True)
        probe = var / f".write-test-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
        writable = True
    except OSError:
        writable = False
    usage = shutil.disk_usage(var if var.exists() else cfg.path("."))
    return DiskReport(str(var), usage.free, usage.total, writable)


# ---- the snapshot the running kiosk keeps ----------------------------------------------------

SNAPSHOT_NAME = "status.json"


def snapshot_path(cfg: Config) -> Path:
    return cfg.path("var") / SNAPSHOT_NAME


def write_snapshot(cfg: Config, started_at: float, devices: list[DeviceReport]) -> None:
    """Atomically replace var/status.json (no personal data is ever in a DeviceReport)."""
    path = snapshot_path(cfg)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    data = {"pid": os.getpid(), "started_at": started_at, "written_at": time.time(),
            "devices": [asdict(d) for d in devices]}
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_kiosk(cfg: Config, max_age_s: float = 90.0) -> tuple[int, list[DeviceReport]] | None:
    """(pid, devices) of the kiosk running on this config now (its fresh snapshot), else None:
    that process holds the devices' ports, so a probe would find them "not connected"."""
    try:
        data = json.loads(snapshot_path(cfg).read_text(encoding="utf-8"))
        pid = int(data["pid"])
        if time.time() - float(data["written_at"]) > max_age_s or not _alive(pid):
            return None
        return pid, [DeviceReport(**d) for d in data["devices"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_snapshot(cfg: Config, max_age_s: float = 90.0) -> tuple[float, list[DeviceReport]] | None:
    """(started_at, devices) from a running kiosk's fresh snapshot, else None."""
    try:
        data = json.loads(snapshot_path(cfg).read_text(encoding="utf-8"))
        if time.time() - float(data["written_at"]) > max_age_s or not _alive(int(data["pid"])):
            return None
        return float(data["started_at"]), [DeviceReport(**d) for d in data["devices"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


# ---- assembling a report ---------------------------------------------------------------------

Probe = Callable[[Config], DeviceReport]
S = TypeVar("S")


def collect(cfg: Config, probes: Mapping[str, Probe],
            catalog: Callable[[Config], dict[str, Any]],
            tickets: Callable[[Config], list[dict[str, Any]]],
            use_snapshot: bool = True,
            usage: Callable[[Config], dict[str, int]] | None = None) -> StatusReport:
    """Everything maintenance mode shows. Each probe and source is isolated: one failing
    (a store locked, a device hanging) shows as a problem, not as a missing report."""
    snap = read_snapshot(cfg) if use_snapshot else None
    devices = snap[1] if snap else [_safe_probe(name, probe, cfg) for name, probe in
                                    probes.items()]
    problems = [f"{d.name_zh}：{d.words}" for d in devices if not d.ok]
    cat: dict[str, Any] = _safe_source(catalog, cfg, problems, "目录", {})
    tix: list[dict[str, Any]] = _safe_source(tickets, cfg, problems, "排队数据", [])
    used: dict[str, int] = (_safe_source(usage, cfg, problems, "使用统计", {})
                            if usage is not None else {})
    disk = disk_report(cfg)
    if not disk.writable:
        problems.append(f"磁盘：{disk.path} 无法写入")
    elif disk.low:
        problems.append(f"磁盘：剩余空间不足（{disk.free_bytes // (1024 * 1024)} MB）")
    return StatusReport(
        version=__version__, hall=cfg.hall.name, generated_at=time.time(),
        uptime_s=(time.time() - snap[0]) if snap else None, devices=devices, catalog=cat,
        tickets_today=tix, usage_today=used, disk=disk, problems=problems)


def hall_report(link: Link) -> DeviceReport:
    """The hall service as a line among the devices: a kiosk that cannot reach it refuses to
    issue, and says so here until it is back."""
    if link.up:
        return DeviceReport("hall_service", True, DeviceState.ONLINE.value, words=HALL_UP,
                            detail=link.url, checked_at=time.time())
    return DeviceReport("hall_service", True, DeviceState.OFFLINE.value, words=HALL_LOST,
                        last_error=HALL_LOST, detail=f"{link.url} {link.problem}".strip(),
                        checked_at=time.time(), last_error_at=link.since.timestamp())


def _safe_probe(name: str, probe: Probe, cfg: Config) -> DeviceReport:
    try:
        return probe(cfg)
    except Exception as exc:  # a probe's bug must not hide the other devices
        return DeviceReport.of(name, DeviceState.HW_ERROR, last_error="状态检查失败",
                               detail=f"{type(exc).__name__}: {exc}")


def _safe_source(source: Callable[[Config], S], cfg: Config, problems: list[str], label: str,
                 empty: S) -> S:
    try:
        return source(cfg)
    except Exception as exc:  # same: report it, show the rest
        problems.append(f"{label}：读取失败（{type(exc).__name__}: {exc}）")
        return empty
