"""`kiosk …`: every command, registered statically (no importlib), so the import contracts
see the whole graph. Add a command by adding its `register` to COMMANDS.

Each register() adds one sub-command; handlers import heavy dependencies (pygame, pyserial,
escpos, starlette) inside themselves, so `kiosk --help` and `kiosk search` stay fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from county import cli as county
from hall import commands as hall
from kiosk.cli import Registrar, run
from kiosk.commands import (
    admin,
    card,
    catalog,
    config,
    copy,
    counter,
    demo,
    doctor,
    fleet,
    forms,
    print_cmd,
    search,
    show,
    sim,
    ticket,
    voice,
)
from screens import commands as ui
from screens import display_commands as faces
from township import county_demo

COMMANDS: tuple[Registrar, ...] = (
    ui.register_run,
    ui.register_screenshots,
    faces.register_display,
    faces.register_speak,
    voice.register,
    config.register,
    demo.register,
    sim.register,
    admin.register,
    catalog.register,
    show.register,
    search.register,
    print_cmd.register,
    card.register,
    ticket.register,
    counter.register,
    hall.register,
    copy.register,
    forms.register,
    partial(doctor.register, extra_checks=(ui.check_glyphs,)),
    partial(county.register, extra=(county_demo.register,)),
    fleet.register,
)


def main(argv: Sequence[str] | None = None) -> int:
    return run(COMMANDS, argv)


if __name__ == "__main__":
    raise SystemExit(main())
