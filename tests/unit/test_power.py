"""Screen-blanking commands and the nightly restart schedule."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.maintenance.power import NightlyRestart, blanking_commands


def test_blanking_commands_only_with_an_x_display() -> None:
    assert blanking_commands({}) == []
    assert blanking_commands({"DISPLAY": ":0", "SDL_VIDEODRIVER": "dummy"}) == []
    cmds = blanking_commands({"DISPLAY": ":0"})
    assert ["xset", "-dpms"] in cmds and ["xset", "s", "off"] in cmds


def test_nightly_restart_next_occurrence() -> None:
    started = datetime(2026, 11, 23, 10, 0)
    r = NightlyRestart("03:30", started)
    assert r.next == datetime(2026, 11, 24, 3, 30)
    assert not r.due(datetime(2026, 11, 24, 3, 29))
    assert r.due(datetime(2026, 11, 24, 3, 30))


def test_started_just_before_restart_time_waits_a_day() -> None:
    r = NightlyRestart("03:30", datetime(2026, 11, 24, 3, 0))
    assert r.next == datetime(2026, 11, 25, 3, 30)
    r = NightlyRestart("03:30", datetime(2026, 11, 24, 2, 0), min_uptime=timedelta(minutes=30))
    assert r.next == datetime(2026, 11, 24, 3, 30)


def test_no_restart_when_unset() -> None:
    r = NightlyRestart("", datetime(2026, 11, 23, 10, 0))
    assert r.next is None and not r.due(datetime(2030, 1, 1))
