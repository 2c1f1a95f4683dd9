"""`kiosk screenshots` end to end, as a real process: the PNGs exist, have the panel's size
and are not blank."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pygame

from screens import commands as ui
from township.cli import COMMANDS

STEPS = ["home", "browse", "category", "search-empty", "search-typing", "guide-scrolled",
         "idle-warning"]


def test_run_and_screenshots_are_registered() -> None:
    assert ui.register_run in COMMANDS
    assert ui.register_screenshots in COMMANDS


def test_screenshots_of_a_scripted_visit(
        run_kiosk: Callable[..., CompletedProcess[str]], tmp_path: Path, repo: Path) -> None:
    out = tmp_path / "shots"
    r = run_kiosk("--config", str(repo / "kiosk.toml"), "screenshots", str(out),
                  "--orientation", "landscape", "--mode", "elder", timeout=120)
    assert r.returncode == 0, r.stderr
    files = sorted(out.glob("*.png"))
    assert [f.name.split("-", 3)[3][:-4] for f in files] == STEPS
    colours, pictures = set(), set()
    for f in files:
        img = pygame.image.load(str(f))
        assert img.get_size() == (1920, 1080)
        colours.add(pygame.transform.average_color(img)[:3])
        pictures.add(hashlib.sha256(pygame.image.tobytes(img, "RGB")).digest())
    assert len(pictures) == len(files), "every step shows something different"
    assert len(colours) > 2, "not blank"
