"""`kiosk sim …`: the byte-accurate device simulators (virtual printer, SAM reader).

Each simulator registers its own subcommand from the module listed here.
"""

from __future__ import annotations

import importlib
from typing import Any

SIM_MODULES: list[str] = [
    "kiosk.commands.sim_printer",
    "kiosk.commands.sim_idreader",
]


def register(sub: Any) -> None:
    p = sub.add_parser("sim", help="run a simulated device (virtual printer, ID reader)")
    ssub = p.add_subparsers(dest="sim_command", metavar="DEVICE", required=True)
    for name in SIM_MODULES:
        importlib.import_module(name).register(ssub)
