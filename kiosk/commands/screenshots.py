"""`kiosk screenshots OUTDIR`: drive the real UI headless through a scripted visit (home →
browse → search with typing → guide scrolled → idle warning), in normal and elder mode,
portrait and landscape, and write one PNG per step."""

from __future__ import annotations

import argparse
import importlib
import os
from pathlib import Path
from typing import Any

from kiosk.commands.common import config_from_args


def register(sub: Any) -> None:
    p = sub.add_parser("screenshots", help="save PNGs of a scripted visit through the UI")
    p.add_argument("outdir", type=Path, help="folder for the PNG files")
    p.add_argument("--orientation", choices=["portrait", "landscape", "both"], default="both")
    p.add_argument("--mode", choices=["normal", "elder", "both"], default="both")
    p.set_defaults(handler=_screenshots)


def _screenshots(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    shots: Any = importlib.import_module("screens.shots")
    orientations = ("portrait", "landscape") if args.orientation == "both" else (
        args.orientation,)
    modes = ("normal", "elder") if args.mode == "both" else (args.mode,)
    for path in shots.take_screenshots(cfg, args.outdir, orientations, modes):
        print(path)
    return 0
