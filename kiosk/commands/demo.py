"""`kiosk demo`: the README's run command. Starts the simulated devices the demo kiosk.toml
points at (virtual receipt printer, simulated ID reader) as child processes, then the kiosk,
and stops the children when the kiosk exits."""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import time
from urllib.parse import urlparse

from kiosk.commands.common import Subparsers, config_from_args
from kiosk.config import Config


def register(sub: Subparsers) -> None:
    p = sub.add_parser("demo", help="start the demo: simulated devices, then the kiosk")
    p.add_argument("--no-sims", action="store_true", help="do not start simulated devices")
    p.set_defaults(handler=_demo)


def sim_commands(cfg: Config) -> list[list[str]]:
    """The simulator processes this config needs: only loopback devices are simulated."""
    cmds: list[list[str]] = []
    printer = urlparse(cfg.receipt_printer.url)
    if printer.scheme == "tcp" and printer.hostname in ("127.0.0.1", "localhost"):
        cmds.append(["sim", "printer", "--listen", cfg.receipt_printer.url,
                     "--out", str(cfg.path("var/receipts"))])
    reader = urlparse(cfg.id_reader.port)
    if cfg.id_reader.enabled and reader.scheme == "socket" and reader.hostname in (
        "127.0.0.1", "localhost"
    ):
        cmd = ["sim", "idreader", "--listen", f"tcp://{reader.hostname}:{reader.port}"]
        if cfg.id_reader.sim_control:
            cmd += ["--control", cfg.id_reader.sim_control]
        cmds.append(cmd)
    return cmds


def _demo(args: argparse.Namespace) -> int:
    """The simulators, then the kiosk UI (`kiosk run --windowed`), each its own process: the
    demo is what a kiosk PC runs under systemd, supervised from one terminal."""
    cfg = config_from_args(args)
    base = [sys.executable, "-m", "kiosk"] + (["--config", args.config] if args.config else [])
    children: list[subprocess.Popen[bytes]] = []
    try:
        if not args.no_sims:
            for cmd in sim_commands(cfg):
                children.append(subprocess.Popen(base + cmd))
            time.sleep(0.5)  # let the simulators bind their ports before the kiosk connects
        ui = subprocess.Popen([*base, "run", "--windowed"])
        children.append(ui)
        return ui.wait()
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=3)
