"""Every citizen screen of the scripted visit (`kiosk screenshots`: home, browse, a category,
search empty and typed, a guide, the idle warning), on the real sample catalog and the real
search index, in portrait and landscape, normal and elder mode: nothing off screen, nothing
overlapping, no button text cut off, no button under a fingertip. Then the screens the visit
does not reach: every browse tab, a category of each kind, dialogs, and the guide of every
item (the print buttons' sublabels depend on the item)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.catalog.catalog import Catalog
from kiosk.config import Config, load_config
from kiosk.lookup import Searcher, catalog_from_file, make_searcher
from screens.browse import BrowseScreen, CategoryScreen
from screens.dialog import Confirm, Notice
from screens.guide import GuideScreen
from screens.shots import Driver, open_app, visit
from tests.ui.layout_check import layout_problems

REPO = Path(__file__).resolve().parents[2]
COMBOS = [(o, m) for o in ("portrait", "landscape") for m in ("normal", "elder")]


@pytest.fixture(scope="module")
def real() -> tuple[Config, Catalog, Searcher]:
    cfg = load_config(REPO / "kiosk.toml")
    cfg = dataclasses.replace(cfg, id_reader=dataclasses.replace(cfg.id_reader, sim_control=""))
    catalog = catalog_from_file(REPO / "assets/catalog/sample-catalog.json")
    return cfg, catalog, make_searcher(catalog, cfg.search.popular)


@pytest.fixture(params=COMBOS, ids=["-".join(c) for c in COMBOS])
def driver(request: pytest.FixtureRequest, real: tuple[Config, Catalog, Searcher]
           ) -> Iterator[Driver]:
    d = open_app(*real, *request.param)
    yield d
    d.app.close()


def check(d: Driver, what: str) -> None:
    app = d.app
    app.step(0)
    problems = layout_problems(app.top, app.theme, app.size)
    assert problems == [], f"{what} ({type(app.top).__name__}): {problems}"


def test_the_scripted_visit_lays_out_cleanly(driver: Driver) -> None:
    seen: list[str] = []

    def save(step: str) -> None:
        seen.append(step)
        check(driver, step)

    visit(driver, save)
    assert len(seen) == 7


def test_screens_the_visit_skips_lay_out_cleanly(driver: Driver) -> None:
    app = driver.app
    for kind in ("theme", "life_event", "department"):
        app.push(BrowseScreen(app, kind))
        check(driver, f"browse {kind}")
        name = app.catalog.categories(kind)[-1].name
        app.push(CategoryScreen(app, kind, name))
        check(driver, f"category {kind} {name}")
        app.pop()
        app.pop()
    app.push(Notice(app, "打印没有成功", "打印机缺纸，请联系大厅工作人员，给您添麻烦了。"))
    check(driver, "notice")
    app.pop()
    app.push(Confirm(app, "确认取号", "业务：A 社保医保"))
    check(driver, "confirm")
    app.pop()


def test_every_items_guide_lays_out_cleanly(driver: Driver) -> None:
    app = driver.app
    for s in app.catalog.summaries():
        app.push(GuideScreen(app, s.code))
        check(driver, f"guide {s.code}")
        app.pop()


def test_the_check_sees_what_a_citizen_would(driver: Driver) -> None:
    """The check itself: it must fail a screen with each fault (else the tests above prove
    nothing)."""
    from screens.home import HomeScreen
    from screens.widgets.button import Button

    app, t = driver.app, driver.app.theme
    home = app.top
    assert isinstance(home, HomeScreen) and len(home.widgets) >= 5
    assert layout_problems(home, t, app.size) == []
    w, h = app.size
    faults = {
        "off screen": Button((w - t.target, 0, 2 * t.target, t.target), "退出", lambda: None),
        "overlaps": Button(home.widgets[-1].rect.move(t.gap, t.gap), "重叠", lambda: None),
        "lines": Button((0, h // 2, 3 * t.target, t.target), "这是一段很长很长很长的按钮文字说明",
                        lambda: None),
        "under": Button((0, h // 2, t.target // 2, t.target), "小", lambda: None),
    }
    for kind, fault in faults.items():
        home.widgets.append(fault)
        problems = layout_problems(home, t, app.size)
        home.widgets.pop()
        assert any(kind in p for p in problems), (kind, problems)


def test_material_sizes_say_what_they_are(driver: Driver) -> None:
    """The guide said a bare "A4" (or "二寸") under a material, then "规格：A4" on 居民身份证
    (it means the photocopy): now the copy line says it, "复印件1份（用A4纸复印）"."""
    from screens.guide_content import GuideContent

    app = driver.app
    specs = 0
    for s in app.catalog.summaries()[:20]:
        item = app.catalog.get(s.code)
        texts = [p.text for p in GuideContent(item, app.theme, 800).paras]
        for m in item.materials:
            if m.paper_spec:
                specs += 1
                assert m.paper_spec not in texts and f"规格：{m.paper_spec}" not in texts
                at = next(i for i, t in enumerate(texts) if m.name in t and t[0].isdigit())
                counts = texts[at + 1]            # the line under the material's name
                if m.copy_copies:
                    assert f"复印件{m.copy_copies}份（用{m.paper_spec}纸复印）" in counts \
                        or f"（{m.paper_spec}）" in counts, counts
    assert specs > 10


def test_guide_words_a_farmer_reads(driver: Driver) -> None:
    """Issue 17's words, on every sample guide as the screen lays it out: who gives a paper
    ("公安机关发的", not "在哪里办：公安机关核发"), no bare 规格：二寸, who takes the papers in and
    who decides ("镇上收材料"/"县里批准", not "在乡镇(街道)受理"/"由县级审批"), and none of the
    jargon the first test found (零跑动, 最多跑一次, 承诺即办, 个人办理, 时限：即办)."""
    from screens.guide_content import GuideContent

    app = driver.app
    texts: list[str] = []
    for s in app.catalog.summaries():
        texts += [p.text for p in GuideContent(app.catalog.get(s.code), app.theme, 800).paras]
    shown = "\n".join(texts)
    for official in ("在哪里办：", "规格：", "在乡镇(街道)受理", "由县级审批", "由乡镇(街道)审核",
                     "零跑动", "最多跑一次", "承诺即办", "个人办理", "时限：", "乡镇(街道)，"):
        assert official not in shown, official
    assert "公安机关发的" in texts and "县里批准" in texts and "镇上收材料" in texts
    assert any(t.startswith("带") and t.endswith("（二寸）") for t in texts)
