"""The dashboard in a real browser (Debian's Chromium through Playwright), fed by simulated
kiosks: real Terminals over the byte-accurate virtual receipt printer, their fleet agents
heartbeating to a county service on a private PostgreSQL. A paper-out injected on one
printer shows on the dashboard within two heartbeats; staff acknowledge the alert; the page
per kiosk has its history. Screenshots go to $KIOSK_SHOTS/county (or the test's folder) —
look at them."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from county.service.auth import add_operator
from tests.support.browser import chromium_page
from tests.support.county_service import Service, county_service, enrol_kiosk
from township.simkiosk import SimKiosk

INTERVAL_S = 10
KIOSKS = (("清河镇便民服务中心", "1号机"), ("清河镇便民服务中心", "2号机"),
          ("柳林乡便民服务中心", "1号机"))


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    d = Path(os.environ["KIOSK_SHOTS"]) / "county" if os.environ.get("KIOSK_SHOTS") \
        else tmp_path / "shots"
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture
def fleet(tmp_path: Path, pg_url: str) -> Iterator[tuple[Service, list[SimKiosk]]]:
    with county_service(pg_url) as service:
        kiosks = []
        try:
            for i, (hall, name) in enumerate(KIOSKS):
                base = tmp_path / f"kiosk{i}"
                me = enrol_kiosk(service, base / "var" / "fleet", name, hall)
                kiosks.append(SimKiosk(base, me, service.url, INTERVAL_S).start())
            add_operator(service.db, "县数据局值班员", "duty-pass-1")
            yield service, kiosks
        finally:
            for k in kiosks:
                k.close()


def _tile(page: object, kiosk_id: str) -> tuple[str, str]:
    loc = page.locator(f'[data-kiosk="{kiosk_id}"]')  # type: ignore[attr-defined]
    return str(loc.get_attribute("data-colour")), str(loc.inner_text())


def _wait_tile(page: object, kiosk_id: str, colour: str, text: str, timeout_s: float) -> float:
    start = time.monotonic()
    seen = ("", "")
    url = page.url  # type: ignore[attr-defined]
    while time.monotonic() - start < timeout_s:
        page.goto(url)  # type: ignore[attr-defined]
        seen = _tile(page, kiosk_id)
        if seen[0] == colour and text in seen[1]:
            return time.monotonic() - start
        time.sleep(0.5)
    raise AssertionError(f"kiosk {kiosk_id} tile never showed {colour}/{text!r} in "
                         f"{timeout_s} s; last: {seen}")


@pytest.mark.slow
def test_paper_out_shows_within_two_heartbeats(fleet: tuple[Service, list[SimKiosk]],
                                               shots: Path) -> None:
    service, kiosks = fleet
    with chromium_page() as page:
        page.goto(service.url + "/")
        assert page.url.endswith("/login")
        page.fill("input[name=name]", "县数据局值班员")
        page.fill("input[name=password]", "wrong-password")
        page.click("button")
        assert "用户名或密码不对" in page.inner_text("main")
        page.fill("input[name=name]", "县数据局值班员")
        page.fill("input[name=password]", "duty-pass-1")
        page.click("button")
        ids = [k.identity.kiosk for k in kiosks]
        for kid in ids:
            _wait_tile(page, kid, "green", "一切正常", 3 * INTERVAL_S)
        page.screenshot(path=str(shots / "dashboard-all-green.png"), full_page=True)

        kiosks[1].fault("paper out")
        took = _wait_tile(page, ids[1], "red", "凭条打印机缺纸", 2 * INTERVAL_S)
        assert took <= 2 * INTERVAL_S
        assert _tile(page, ids[0])[0] == "green" and _tile(page, ids[2])[0] == "green"
        counts = page.inner_text(".counts")
        assert "1\n故障" in counts or "1 故障" in counts or "1故障" in counts.replace("\n", "")
        row = page.locator("tr[data-alert]")
        assert row.count() == 1 and "缺纸" in row.inner_text()
        page.screenshot(path=str(shots / "dashboard-paper-out.png"), full_page=True)

        kiosks[1].fault("paper ok")
        _wait_tile(page, ids[1], "green", "一切正常", 2 * INTERVAL_S)   # resolves by itself
        assert "已恢复" in page.locator("tr[data-alert]").inner_text()
        page.click("tr[data-alert] button")                           # 确认
        page.goto(service.url + "/")
        assert page.locator("tr[data-alert]").count() == 0
        assert "没有待处理的告警" in page.inner_text("main")

        page.click(f'[data-kiosk="{ids[1]}"]')
        assert page.locator("#colour").get_attribute("data-colour") == "green"
        history = page.inner_text("main")
        assert "缺纸 凭条打印机" in history and "已恢复 凭条打印机" in history
        assert "县数据局值班员" in history                             # who acknowledged
        page.screenshot(path=str(shots / "dashboard-kiosk-page.png"), full_page=True)
    acked = service.db.one("SELECT acked_by, resolved_at FROM alerts")
    assert acked is not None and acked["acked_by"] == "县数据局值班员" and acked["resolved_at"]
