"""`kiosk sim …`: the byte-accurate device simulators (virtual printer, SAM reader).

Each simulator registers its own subcommand from its module (imported here statically, so
the import contracts see it).
"""

from __future__ import annotations

from kiosk.commands import sim_idreader, sim_printer
from kiosk.commands.common import Subparsers

SIM_MODULES = (sim_printer, sim_idreader)


def register(sub: Subparsers) -> None:
    p = sub.add_parser("sim", help="run a simulated device (virtual printer, ID reader)")
    ssub = p.add_subparsers(dest="sim_command", metavar="DEVICE", required=True)
    for module in SIM_MODULES:
        module.register(ssub)
