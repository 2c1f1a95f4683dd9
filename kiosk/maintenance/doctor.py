"""`kiosk doctor`: checks a fresh installation and says, for each failure, what to fix.

Written for the county technician on site: each check names the thing it looked at (the key
in kiosk.toml, the file, the port, the CUPS queue) and the fix in plain words. Checks never
raise: an unexpected error is itself a failed check with its message.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Config, load_config
from kiosk.errors import ConfigError


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str
    fix: str = ""
    skipped: bool = False


CheckFn = Callable[[Config], Check]

FONT_GLOBS = (
    "assets/fonts/*.tt[fc]", "assets/fonts/*.otf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-*.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK*.tt[fc]",
)


def check_config(path: Path) -> tuple[Check, Config | None]:
    try:
        cfg = load_config(path)
    except ConfigError as exc:
        return Check("配置文件", False, f"{path} 有 {len(exc.problems)} 处错误：\n    "
                     + "\n    ".join(exc.problems),
                     f"按上面的提示修改 {path}，再运行 kiosk config check"), None
    return Check("配置文件", True, f"{path} 有效"), cfg


def font_files(cfg: Config) -> list[str]:
    found: list[str] = []
    for pattern in FONT_GLOBS:
        base = "" if pattern.startswith("/") else str(cfg.path(".")) + "/"
        found += sorted(glob.glob(base + pattern))
    return found


def check_fonts(cfg: Config) -> Check:
    files = font_files(cfg)
    if not files:
        return Check("中文字体", False, "没有找到简体中文字体（Noto Sans CJK）",
                     "sudo apt-get install fonts-noto-cjk，或把字体文件放到 assets/fonts/")
    return Check("中文字体", True, f"{len(files)} 个字体文件，如 {files[0]}")


def check_disk(cfg: Config) -> Check:
    from kiosk.maintenance.status import disk_report

    disk = disk_report(cfg)
    if not disk.writable:
        return Check("磁盘", False, f"{disk.path} 无法写入",
                     f"检查 {disk.path} 的属主和权限（应属于运行自助终端的用户）")
    if disk.low:
        return Check("磁盘", False, f"剩余空间只有 {disk.free_bytes // 2**20} MB",
                     "清理磁盘（旧日志、下载文件），至少留出 200 MB")
    return Check("磁盘", True, f"{disk.path} 可写，剩余 {disk.free_bytes // 2**30} GB")


def check_pin(cfg: Config) -> Check:
    if not cfg.maintenance.pin_hash:
        return Check("维护密码", False, "尚未设置，工作人员无法进入维护模式",
                     "运行 kiosk admin set-pin 设置维护密码")
    return Check("维护密码", True, "已设置（仅保存加盐散列）")


def _run(cmd: list[str], timeout: float = 10.0) -> subprocess.CompletedProcess[str] | None:
    if shutil.which(cmd[0]) is None:
        return None
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


def check_cups_queue(cfg: Config) -> Check:
    name = "A4打印队列"
    if not cfg.document_printer.enabled:
        return Check(name, True, "本机未配置 A4 打印机（document_printer.enabled = false）",
                     skipped=True)
    queue = cfg.document_printer.queue
    res = _run(["lpstat", "-p", queue])
    if res is None:
        return Check(name, False, "找不到 lpstat（CUPS 未安装）", "sudo apt-get install cups")
    if res.returncode != 0:
        return Check(name, False, f"CUPS 中没有打印队列 {queue!r}（document_printer.queue）："
                     f"{(res.stderr or res.stdout).strip()}",
                     f"用 lpadmin -p {queue} -E -v <设备URI> -m everywhere 添加，"
                     "或改正 kiosk.toml 的 document_printer.queue")
    if "disabled" in res.stdout or "已禁用" in res.stdout:
        return Check(name, False, f"打印队列 {queue} 已停用：{res.stdout.strip()}",
                     f"cupsenable {queue}")
    return Check(name, True, res.stdout.strip().splitlines()[0] if res.stdout else queue)


CUPSD_CONF = Path("/etc/cups/cupsd.conf")


def check_cups_privacy(cfg: Config, conf: Path = CUPSD_CONF) -> Check:
    """CUPS keeps printed documents a day by default: on a kiosk that is citizens' ID copies."""
    name = "打印文件清除"
    if not cfg.document_printer.enabled:
        return Check(name, True, "本机未配置 A4 打印机", skipped=True)
    try:
        text = conf.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return Check(name, False, f"读不到 {conf}，无法确认打印完的文件会被删除",
                     "sudo bash deploy/cups-privacy.sh")
    for line in text.splitlines():
        words = line.split()
        if len(words) == 2 and words[0] == "PreserveJobFiles":
            if words[1].lower() in ("no", "off", "false"):
                return Check(name, True, "CUPS 打印完即删除文件（PreserveJobFiles No）")
            break
    return Check(name, False, "CUPS 会把打印过的文件（含身份证复印件）保留一天",
                 "sudo bash deploy/cups-privacy.sh")


def check_scanner(cfg: Config) -> Check:
    name = "扫描仪"
    if not cfg.scanner.enabled:
        return Check(name, True, "本机未配置扫描仪（scanner.enabled = false）", skipped=True)
    from devices.scanner.sane import list_device

    device = cfg.scanner.device
    found = list_device(device)
    if not found.installed:
        return Check(name, False, "找不到 scanimage（SANE 未安装）",
                     "sudo apt-get install sane-utils")
    if not found.listed:
        why = "" if found.answered else f"（scanimage 没有响应：{found.detail}）"
        return Check(name, False, f"SANE 没有找到设备 {device!r}（scanner.device）{why}",
                     "检查扫描仪的电源和 USB 线；用 scanimage -L 查看设备名并填入 "
                     "kiosk.toml 的 scanner.device")
    return Check(name, True, f"找到 {device}")


BASE_CHECKS: list[CheckFn] = [check_fonts, check_disk, check_pin, check_cups_queue,
                              check_cups_privacy, check_scanner]
# Device and catalog checks register here from the modules that own those parts, so the
# doctor does not grow a dependency on every subsystem's internals.
EXTRA_CHECKS: list[CheckFn] = []


def run_checks(config_path: Path, extra: Iterable[CheckFn] = ()) -> list[Check]:
    first, cfg = check_config(config_path)
    checks = [first]
    fns = [*BASE_CHECKS, *EXTRA_CHECKS, *extra]
    for fn in fns:
        if cfg is None:
            checks.append(Check(_title(fn), False, "未检查：配置文件无效", skipped=True))
            continue
        try:
            checks.append(fn(cfg))
        except Exception as exc:  # a check's own bug is a failed check, not a crash
            checks.append(Check(_title(fn), False, f"检查出错：{type(exc).__name__}: {exc}"))
    return checks


def _title(fn: CheckFn) -> str:
    return (fn.__doc__ or fn.__name__).strip().splitlines()[0]


def render(checks: list[Check]) -> str:
    lines = []
    for c in checks:
        mark = "—" if c.skipped else ("✓" if c.ok else "✗")
        lines.append(f"{mark} {c.name}：{c.message}")
        if not c.ok and c.fix:
            lines.append(f"    怎么修：{c.fix}")
    bad = sum(1 for c in checks if not c.ok and not c.skipped)
    lines.append("全部通过。" if not bad else f"{bad} 项需要处理。")
    return "\n".join(lines)
