"""A guide's windows → its queue service, and the doctor check that every window is served."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from kiosk.config import load_config, parse_config
from kiosk.guide_queue import service_for, unserved_windows, windows_named
from kiosk.status_sources import check_windows_served
from tests.ui.helpers import REPO


def test_windows_named_and_the_service_that_serves_them() -> None:
    cfg = load_config(REPO / "kiosk.toml")
    assert windows_named("清河镇便民服务中心一楼9号窗口（公安户籍窗口）") == ["9号窗口"]
    assert windows_named("青禾县婚姻登记处（县政务服务中心二楼）") == []
    svc = service_for(cfg.services, "清河镇便民服务中心一楼9号窗口（公安户籍窗口）")
    assert svc is not None and svc.name == "户籍证件"
    assert service_for(cfg.services, "一楼99号窗口") is None


def test_the_demo_serves_every_window_its_guides_name() -> None:
    check = check_windows_served(load_config(REPO / "kiosk.toml"))
    assert check.ok, check.message


def _config_without_window_9(tmp: Path) -> Any:
    data = tomllib.loads((REPO / "kiosk.toml").read_text(encoding="utf-8"))
    data["services"] = [s for s in data["services"] if "9号窗口" not in s["counters"]]
    data["catalog"].update(db=str(tmp / "catalog.sqlite"),
                           seed=str(REPO / "assets" / "catalog" / "sample-catalog.json"),
                           forms_dir=str(REPO / "assets" / "forms"))
    return parse_config(data, base_dir=str(tmp))


def test_doctor_names_a_window_no_service_covers(tmp_path: Path) -> None:
    check = check_windows_served(_config_without_window_9(tmp_path))
    assert not check.ok
    assert "9号窗口（4 项，如 居住证申领）" in check.message
    assert "counters" in check.fix
    missing = unserved_windows([], [("X", "某事", "一楼3号窗口"), ("Y", "别的", "一楼3号窗口")])
    assert missing == {"3号窗口": ["某事", "别的"]}
