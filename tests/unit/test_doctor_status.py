"""`kiosk doctor` checks and the status model, on real files (no devices needed here; the
device probes are tested against the simulators in tests/integration)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from devices.status import DeviceState, PaperState
from kiosk.config import load_config
from kiosk.maintenance.doctor import check_pin, render, run_checks
from kiosk.maintenance.status import (
    DeviceReport,
    collect,
    plain_words,
    read_snapshot,
    write_snapshot,
)

DATA = Path(__file__).parent / "data"


def _config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text('[hall]\nname = "测试镇便民服务中心"\n' + extra, encoding="utf-8")
    return path


def test_doctor_on_a_broken_config_names_the_key_and_skips_the_rest() -> None:
    checks = run_checks(DATA / "broken-kiosk.toml")
    first = checks[0]
    assert not first.ok and "display.width" in first.message and '"wide"' in first.message
    assert "kiosk config check" in first.fix
    assert all(c.skipped and not c.ok for c in checks[1:])
    text = render(checks)
    assert "✗ 配置文件" in text and "怎么修" in text and "需要处理" in text


def test_doctor_on_a_good_config_reports_each_check(tmp_path: Path) -> None:
    checks = run_checks(_config(tmp_path, "[document_printer]\nenabled = false\n"
                                          "[scanner]\nenabled = false\n"))
    by_name = {c.name: c for c in checks}
    assert by_name["配置文件"].ok
    assert by_name["磁盘"].ok, by_name["磁盘"].message
    assert by_name["A4打印队列"].skipped and by_name["扫描仪"].skipped
    assert not by_name["维护密码"].ok and "kiosk admin set-pin" in by_name["维护密码"].fix


def test_doctor_reports_unwritable_var(tmp_path: Path) -> None:
    cfg = load_config(_config(tmp_path, "[scanner]\nenabled = false\n"))
    (tmp_path / "var").write_text("a file where the folder should be")
    checks = {c.name: c for c in run_checks(tmp_path / "kiosk.toml")}
    assert not checks["磁盘"].ok and "无法写入" in checks["磁盘"].message
    assert cfg.hall.name == "测试镇便民服务中心"


def test_pin_check_passes_when_set(tmp_path: Path) -> None:
    from kiosk.maintenance.pin import hash_pin

    cfg = load_config(_config(tmp_path, f'[maintenance]\npin_hash = "{hash_pin("482913")}"\n'))
    assert check_pin(cfg).ok


def test_plain_words_prefer_paper_trouble() -> None:
    assert plain_words(DeviceState.ONLINE, PaperState.OUT) == "缺纸，请装纸"
    assert plain_words(DeviceState.ONLINE, PaperState.FULL) == "正常"
    assert "电源" in plain_words(DeviceState.OFFLINE)


def test_snapshot_round_trip_and_staleness(tmp_path: Path) -> None:
    cfg = load_config(_config(tmp_path))
    devs = [DeviceReport.of("receipt_printer", DeviceState.ONLINE, PaperState.LOW),
            DeviceReport.disabled("scanner")]
    write_snapshot(cfg, time.time() - 100, devs)
    snap = read_snapshot(cfg)
    assert snap is not None and snap[1] == devs and 99 < time.time() - snap[0] < 200
    data = json.loads((tmp_path / "var" / "status.json").read_text(encoding="utf-8"))
    data["pid"] = 2**22 + 12345                     # a process that does not exist
    (tmp_path / "var" / "status.json").write_text(json.dumps(data), encoding="utf-8")
    assert read_snapshot(cfg) is None
    data["pid"] = os.getpid()
    data["written_at"] = time.time() - 3600          # stale
    (tmp_path / "var" / "status.json").write_text(json.dumps(data), encoding="utf-8")
    assert read_snapshot(cfg) is None


def test_collect_isolates_failing_probes_and_sources(tmp_path: Path) -> None:
    cfg = load_config(_config(tmp_path))

    def bad_probe(_: object) -> DeviceReport:
        raise TimeoutError("port hung")

    def bad_source(_: object) -> dict[str, object]:
        raise RuntimeError("database is locked")

    report = collect(cfg, {"id_reader": bad_probe,
                           "receipt_printer": lambda c: DeviceReport.of(
                               "receipt_printer", DeviceState.ONLINE, PaperState.OUT)},
                     catalog=bad_source, tickets=lambda c: [], use_snapshot=False)
    d = report.to_json()
    assert [x["device"] for x in d["devices"]] == ["id_reader", "receipt_printer"]
    assert d["devices"][0]["state"] == "HW_ERROR" and "port hung" in d["devices"][0]["detail"]
    assert "凭条打印机：缺纸，请装纸" in d["problems"]
    assert any("目录" in p and "database is locked" in p for p in d["problems"])
    assert d["ok"] is False and d["uptime_s"] is None


def test_cups_privacy_check_reads_cupsd_conf(tmp_path: Path) -> None:
    from kiosk.maintenance.doctor import check_cups_privacy

    cfg = load_config(_config(tmp_path))
    conf = tmp_path / "cupsd.conf"
    conf.write_text("LogLevel warn\nPreserveJobFiles 86400\n", encoding="utf-8")
    bad = check_cups_privacy(cfg, conf)
    assert not bad.ok and "cups-privacy.sh" in bad.fix and "身份证" in bad.message
    conf.write_text("LogLevel warn\nPreserveJobFiles No\n", encoding="utf-8")
    assert check_cups_privacy(cfg, conf).ok
    assert not check_cups_privacy(cfg, tmp_path / "absent.conf").ok
