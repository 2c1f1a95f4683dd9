"""一件事 through the real screens (issue 17): the widow finds 身后一件事 under 身后事, sees the
errands in the order their materials need, one combined checklist, and prints it on one slip."""

from __future__ import annotations

import os
from pathlib import Path

import pygame
import pytest

from screens.browse import BrowseScreen, CategoryScreen
from screens.bundle import BundleContent, BundleScreen
from screens.dialog import Notice
from screens.guide import GuideScreen
from tests.ui.helpers import REPO, button, tap_widget
from tests.ui.layout_check import layout_problems
from tests.ui.terminal_rig import Rig, terminal_rig

SAMPLE = REPO / "assets" / "catalog" / "sample-catalog.json"


def shot(rig: Rig, name: str) -> None:
    folder = os.environ.get("QUEUE_SHOTS")
    if folder:
        for _ in range(12):           # a list renders one new tile per frame
            rig.app.invalidate()
            rig.app.step(0)
        Path(folder).mkdir(parents=True, exist_ok=True)
        pygame.image.save(rig.app.surface, str(Path(folder) / f"{name}.png"))


def open_bundle(rig: Rig) -> BundleScreen:
    tap_widget(rig.app, button(rig.app, "办事指南查询"))
    browse = rig.app.top
    assert isinstance(browse, BrowseScreen)
    browse.show("life_event")
    browse._open(next(r for r in browse.view.content.rows   # type: ignore[attr-defined]
                      if r.data.name == "身后事"))
    cat = rig.app.top
    assert isinstance(cat, CategoryScreen)
    first = cat.view.content.rows[0]                          # type: ignore[attr-defined]
    assert first.title == "一件事：身后一件事"                  # the bundle comes first
    cat._open(first)
    screen = rig.app.top
    assert isinstance(screen, BundleScreen)
    return screen


@pytest.mark.parametrize("size,elder", [((1080, 1920), False), ((1080, 1920), True),
                                        ((1920, 1080), False)],
                         ids=["portrait", "portrait-elder", "landscape"])
def test_widow_finds_the_bundle_in_order_and_prints_one_slip(tmp_path: Path,
                                                             size: tuple[int, int],
                                                             elder: bool) -> None:
    with terminal_rig(tmp_path, size=size, elder=elder, catalog=SAMPLE) as rig:
        screen = open_bundle(rig)
        shot(rig, f"bundle-{size[0]}-{'elder' if elder else 'normal'}")
        assert layout_problems(screen, rig.app.theme, rig.app.size) == []
        content = screen.view.content
        assert isinstance(content, BundleContent)
        texts = [p.text for p in content.paras]
        order = [t for t in texts if t[:2] in ("1.", "2.", "3.", "4.")]
        assert order[0].startswith("1. 死亡人员户口注销")         # 注销证明 first
        assert texts.count("□ 户口注销证明") == 0                   # obtained, not brought
        tap_widget(rig.app, button(rig.app, "打印合并清单"))
        rig.pump(lambda: isinstance(rig.app.top, Notice), what="the slip")
        assert rig.app.top.title == "打印好了"                      # type: ignore[attr-defined]
        (slip,) = rig.receipts(1)
        text = "\n".join(slip.text)
        assert slip.complete and "身后一件事" in text and "户口注销证明" in text
        assert text.count("□ 经办家属（继承人）的居民身份证") == 1
        assert rig.terminal.usage.today()["bundle_printed"] == 1


def test_a_step_opens_its_guide(tmp_path: Path) -> None:
    with terminal_rig(tmp_path, catalog=SAMPLE) as rig:
        screen = open_bundle(rig)
        content = screen.view.content
        assert isinstance(content, BundleContent)
        step = next(p for p in content.paras if p.text.startswith("2. ") and p.tap)
        assert step.tap is not None
        step.tap()
        rig.app.step(0)
        assert isinstance(rig.app.top, GuideScreen) and rig.app.top.code == "QH-MZ-08"
