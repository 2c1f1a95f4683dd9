"""`kiosk run`: start the kiosk UI (full screen, or a window with --windowed).

kiosk/ never imports pygame at module level: the UI is imported inside the handler, so
`kiosk --help` and the other commands stay fast and work without a display.
"""

from __future__ import annotations

import argparse
import importlib
import os
from typing import Any

from kiosk.commands.common import config_from_args


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="start the kiosk")
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    boot: Any = importlib.import_module("screens.boot")
    return int(boot.run_kiosk(cfg, windowed=bool(getattr(args, "windowed", False))))
