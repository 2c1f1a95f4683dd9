"""The commands that start the UI: `kiosk run`, `kiosk screenshots`, and the font check of
`kiosk doctor` (the UI's own font chain decides what renders). They live in screens/ because
they import it; township/cli.py registers them beside the rest.

pygame is imported inside the handlers, so `kiosk --help` and the other commands stay fast and
work without a display.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.commands.common import Subparsers, config_from_args
from kiosk.config import Config
from kiosk.maintenance.doctor import Check


def register_run(sub: Subparsers) -> None:
    p = sub.add_parser("run", help="start the kiosk")
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--queue-server", metavar="URL",
                   help="issue through this hall service (instead of [queue].server)")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    if getattr(args, "queue_server", None):
        cfg = dataclasses.replace(cfg, queue=dataclasses.replace(cfg.queue,
                                                                 server=args.queue_server))
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from screens.boot import run_kiosk

    return run_kiosk(cfg, windowed=bool(getattr(args, "windowed", False)))


def register_screenshots(sub: Subparsers) -> None:
    """`kiosk screenshots OUTDIR`: drive the real UI headless through a scripted visit (home →
    browse → search with typing → guide scrolled → idle warning), in normal and elder mode,
    portrait and landscape, and write one PNG per step."""
    p = sub.add_parser("screenshots", help="save PNGs of a scripted visit through the UI")
    p.add_argument("outdir", type=Path, help="folder for the PNG files")
    p.add_argument("--orientation", choices=["portrait", "landscape", "both"], default="both")
    p.add_argument("--mode", choices=["normal", "elder", "both"], default="both")
    p.set_defaults(handler=_screenshots)


def _screenshots(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from screens.shots import take_screenshots

    orientations = ("portrait", "landscape") if args.orientation == "both" else (
        args.orientation,)
    modes = ("normal", "elder") if args.mode == "both" else (args.mode,)
    for path in take_screenshots(cfg, args.outdir, orientations, modes):
        print(path)
    return 0


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def check_glyphs(cfg: Config) -> Check:
    """中文字体覆盖"""
    # A missing glyph renders blank, silently: ask the UI's own font chain.
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from kiosk.catalog import open_catalog
    from kiosk.catalog.model import to_dict
    from screens.fonts import fontset

    catalog = open_catalog(cfg)
    chars: set[str] = set()
    for s in catalog.summaries():
        chars.update("".join(_strings(to_dict(catalog.get(s.code)))))
    chars = {c for c in chars if not c.isspace()}
    missing = fontset().missing("".join(sorted(chars)))
    if missing:
        shown = " ".join(f"{c}(U+{ord(c):04X})" for c in sorted(missing)[:20])
        return Check("中文字体覆盖", False, f"目录里有 {len(missing)} 个字显示不出来：{shown}",
                     "安装含这些字的字体（如 fonts-noto-cjk-extra），或放进 assets/fonts/")
    return Check("中文字体覆盖", True, f"目录中的 {len(chars)} 个字符都能显示")
