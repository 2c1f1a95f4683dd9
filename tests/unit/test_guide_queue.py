"""A guide's windows → its queue service, and the doctor check that every window is served."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from kiosk.config import load_config, parse_config
from kiosk.guide_queue import served_by, service_for, unserved_windows, windows_named
from kiosk.queue.hallconfig import load_hall
from kiosk.status_sources import check_windows_served
from tests.ui.helpers import REPO


def test_windows_named_and_the_service_that_serves_them() -> None:
    services = served_by(load_hall(REPO / "hall.toml"))
    assert windows_named("清河镇便民服务中心一楼9号窗口（公安户籍窗口）") == ["9号窗口"]
    assert windows_named("青禾县婚姻登记处（县政务服务中心二楼）") == []
    svc = service_for(services, "清河镇便民服务中心一楼9号窗口（公安户籍窗口）")
    assert svc is not None and svc.name == "户籍证件"
    assert service_for(services, "一楼99号窗口") is None


def test_the_demo_serves_every_window_its_guides_name() -> None:
    check = check_windows_served(load_config(REPO / "kiosk.toml"))
    assert check.ok, check.message


def _config_without_window_9(tmp: Path) -> Any:
    """The demo hall with 户籍证件 called at a window 11 instead: no window 9 calls anyone."""
    text = (REPO / "hall.toml").read_text(encoding="utf-8")
    assert "[[windows]]\nnumber = 9\n" in text
    (tmp / "hall.toml").write_text(text.replace("[[windows]]\nnumber = 9\n",
                                                "[[windows]]\nnumber = 11\n"), "utf-8")
    data = tomllib.loads((REPO / "kiosk.toml").read_text(encoding="utf-8"))
    data["catalog"].update(db=str(tmp / "catalog.sqlite"),
                           seed=str(REPO / "assets" / "catalog" / "sample-catalog.json"),
                           forms_dir=str(REPO / "assets" / "forms"))
    return parse_config(data, base_dir=str(tmp))


def test_doctor_names_a_window_no_service_covers(tmp_path: Path) -> None:
    check = check_windows_served(_config_without_window_9(tmp_path))
    assert not check.ok
    assert "9号窗口（4 项，如 居住证申领）" in check.message
    assert "[[windows]]" in check.fix
    missing = unserved_windows([], [("X", "某事", "一楼3号窗口"), ("Y", "别的", "一楼3号窗口")])
    assert missing == {"3号窗口": ["某事", "别的"]}
