"""Development mode's "place a card" (issue 5): with [id_reader] sim_control set, a labelled
button on home and on the card prompt opens a picker of the simulator's cards, fetched with
`list` over the simulator's real control channel; choosing one sends `place N`, and the card
then comes back through the real reader driver. Never shown when sim_control is empty."""

from __future__ import annotations

import os
from pathlib import Path

import pygame
import pytest

from devices.sim.idcards import SAMPLE_CARDS
from screens.card_prompt import CardPrompt
from screens.dev_card import LABEL, SHORT, DevCardPicker, parse_list
from screens.dialog import Confirm, Notice
from tests.ui.helpers import button, buttons_labelled, tap
from tests.ui.terminal_rig import Rig, terminal_rig


def shot(rig: Rig, name: str) -> None:
    folder = os.environ.get("QUEUE_SHOTS")
    if folder:
        rig.app.invalidate()
        rig.app.step(0)
        pygame.image.save(rig.app.surface, str(Path(folder) / f"{name}.png"))


def open_picker(rig: Rig, label: str) -> DevCardPicker:
    tap(rig.app, *button(rig.app, label).rect.center)
    picker = rig.app.top
    assert isinstance(picker, DevCardPicker)
    rig.pump(lambda: picker.cards is not None and not rig.app.busy, what="the card list")
    return picker


def to_card_prompt(rig: Rig) -> CardPrompt:
    tap(rig.app, *button(rig.app, "排队取号").rect.center)
    rig.pump(lambda: getattr(rig.app.top, "statuses", None) is not None, what="services")
    rig.app.step(0)
    tap(rig.app, *button(rig.app, "A  社保医保").rect.center)
    prompt = rig.app.top
    assert isinstance(prompt, CardPrompt)
    return prompt


def test_place_a_card_from_the_card_prompt(tmp_path: Path) -> None:
    with terminal_rig(tmp_path, dev_control=True) as rig:
        to_card_prompt(rig)
        shot(rig, "dev-01-card-prompt")
        picker = open_picker(rig, LABEL)
        assert picker.cards == [(str(i), c["label"]) for i, c in enumerate(SAMPLE_CARDS)]
        shot(rig, "dev-02-picker")
        tap(rig.app, *button(rig.app, "放上 1：resident").rect.center)
        assert isinstance(rig.app.top, CardPrompt)          # the picker closed at once
        rig.pump(lambda: isinstance(rig.app.top, Confirm), what="the placed card being read")
        assert rig.sim.placed is not None and rig.sim.placed.label == "resident"
        assert "持证人：李*例" in rig.app.top.message
        assert rig.app.session.card is not None


def test_remove_from_the_home_screen(tmp_path: Path) -> None:
    with terminal_rig(tmp_path, dev_control=True) as rig:
        shot(rig, "dev-00-home")
        rig.sim.place("resident-elder")
        open_picker(rig, SHORT)
        tap(rig.app, *button(rig.app, "拿走卡片").rect.center)
        rig.pump(lambda: rig.sim.placed is None and not rig.app.busy, what="the card removed")
        assert rig.app.top.is_home


def test_picker_explains_an_unreachable_simulator(tmp_path: Path) -> None:
    with terminal_rig(tmp_path, dev_control=True) as rig:
        picker_url = rig.control_url
        rig.app.push(DevCardPicker(rig.app, "tcp://127.0.0.1:1"))   # nobody listens there
        picker = rig.app.top
        assert isinstance(picker, DevCardPicker)
        rig.pump(lambda: not rig.app.busy, what="the failed list")
        assert picker.cards is None and picker.status.startswith("连不上模拟读卡器")
        assert [getattr(w, "label", "") for w in picker.widgets] == ["拿走卡片", "关闭"]
        tap(rig.app, *button(rig.app, "关闭").rect.center)
        assert rig.app.top.is_home and picker_url.startswith("tcp://127.0.0.1:")


def test_a_bad_reply_is_shown_to_the_developer(tmp_path: Path) -> None:
    with terminal_rig(tmp_path, dev_control=True) as rig:
        picker = DevCardPicker(rig.app, rig.control_url)
        rig.app.push(picker)
        rig.pump(lambda: not rig.app.busy, what="the list")
        picker.send("place 99")                  # no such card: the simulator says so
        rig.pump(lambda: isinstance(rig.app.top, Notice), what="the error notice")
        assert "no card '99'" in rig.app.top.message        # type: ignore[attr-defined]


def test_never_shown_without_sim_control(tmp_path: Path) -> None:
    with terminal_rig(tmp_path, dev_control=False) as rig:
        assert rig.app.cfg.id_reader.sim_control == ""
        assert not list(buttons_labelled(rig.app, SHORT))
        to_card_prompt(rig)
        assert not list(buttons_labelled(rig.app, LABEL))
        labels = {getattr(w, "label", "") for w in rig.app.top.widgets}
        assert not any("模拟" in label or "开发" in label for label in labels)


@pytest.mark.parametrize("reply, cards", [
    ("ok 0:resident 1:hmt-permit", [("0", "resident"), ("1", "hmt-permit")]),
    ("ok", []),
])
def test_parse_list(reply: str, cards: list[tuple[str, str]]) -> None:
    assert parse_list(reply) == cards


def test_parse_list_refuses_an_error_reply() -> None:
    with pytest.raises(ValueError):
        parse_list("error unknown command")


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_home_button_fits_beside_the_elder_switch_in_elder_mode(
        tmp_path: Path, size: tuple[int, int]) -> None:
    with terminal_rig(tmp_path, size=size, elder=True, dev_control=True) as rig:
        dev = button(rig.app, SHORT)
        elder = button(rig.app, "长者模式（大字）已开启")
        assert rig.app.surface.get_rect().contains(dev.rect)
        assert not dev.rect.colliderect(elder.rect)
        assert dev.rect.height >= rig.app.theme.target
