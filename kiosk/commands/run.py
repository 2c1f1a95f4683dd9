"""`kiosk run`: start the kiosk.

Until the touchscreen UI lands (issue 3) this starts an interactive text search over the
catalog, so the README's run command is already the command that will start the kiosk.
"""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.commands.common import config_from_args


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="start the kiosk")
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    print(f"{cfg.hall.name} — 自助终端")
    print("The touchscreen UI is not built yet; this is the text console.")
    return 0
