"""The running kiosk and the county: an update check waits for a moment nobody is at the
kiosk, the verified catalog is swapped in only between visits, and a screenshot is taken
only on the attract screen. Real UI (SDL dummy) over a real Terminal (tests/ui/terminal_rig),
a real county repository on disk found as a USB stick would be."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kiosk.config import CatalogConfig
from kiosk.sync.scheduler import UpdateScheduler
from screens.county_link import CountyLink, capture_png
from screens.guide import GuideScreen
from screens.guide_content import GuideContent
from screens.search import SearchScreen
from tests.support.county_repo import make_county, mini_doc
from tests.ui.helpers import button, settle, tap
from tests.ui.terminal_rig import terminal_rig


def test_update_waits_for_no_visit_and_the_ui_swaps_between_visits(tmp_path: Path) -> None:
    county = make_county(tmp_path / "county")
    doc = mini_doc("2026.12.10", "2026-12-10")
    doc["items"][0]["name"] = "最低生活保障金申领（新版）"
    county.publish(doc)
    with terminal_rig(tmp_path / "kiosk") as rig:
        app = rig.app
        cfg = dataclasses.replace(app.cfg, catalog=dataclasses.replace(
            app.cfg.catalog, update_root=str(county.root_file), update_url="",
            update_stick=True))
        assert isinstance(cfg.catalog, CatalogConfig)
        link = CountyLink(app, cfg)
        scheduler = UpdateScheduler(cfg, link.idle.is_set, link.catalog_updated,
                                    find=lambda: county.repo.path)
        old = app.catalog.version

        tap(app, *button(app, "办事指南查询").rect.center)       # a citizen is here
        tap(app, *button(app, "查找：输入名称或拼音首字母").rect.center)
        assert isinstance(app.top, SearchScreen)
        link.tick()
        assert link.visit() == "in_use" and scheduler.step() == []   # no check now
        assert capture_png(app) is None                            # and no picture

        app.end_session()                                          # the visit is over
        settle(app)                 # home's look at the queue (is it closed?) has finished
        link.tick()
        assert link.visit() == "idle"
        png = capture_png(app)
        assert png is not None and png.startswith(b"\x89PNG")
        done = scheduler.step()
        assert [r.outcome for r in done] == ["updated"], [r.line() for r in done]
        assert app.catalog.version == old                   # verified and imported, not shown

        tap(app, *button(app, "办事指南查询").rect.center)       # the next citizen came first
        link.tick()
        assert app.catalog.version == old                   # never in the middle of a visit
        app.end_session()
        settle(app)                 # home's look at the queue (is it closed?) has finished
        link.tick()
        assert app.catalog.version == "2026.12.10"          # between visits: swapped
        assert app.catalog.get(doc["items"][0]["code"]).name.endswith("（新版）")
        assert scheduler.step() == []                       # the same stick: not again

        app.push(GuideScreen(app, doc["items"][0]["code"]))   # the guide says how new it is
        settle(app)
        assert isinstance(app.top, GuideScreen)
        content = app.top.view.content
        assert isinstance(content, GuideContent)
        shown = [p.text for p in content.paras]
        assert shown[0].endswith("（新版）") and "办事指南更新于 2026-12-10" in shown, shown[:4]
        app.pop()

        from kiosk.status_sources import collect_status
        from screens.maint.panel import status_lines

        lines = [text for text, _ in status_lines(collect_status(cfg))]   # maintenance
        assert "办事指南目录：版本 2026.12.10，共 4 项" in lines, lines
        signed = next(x for x in lines if x.startswith("目录签名：核验于 "))
        assert "有效期至 " in signed and "已过期" not in signed
        assert any(x.startswith("最近一次目录更新") and "2026.12.10" in x for x in lines), lines
