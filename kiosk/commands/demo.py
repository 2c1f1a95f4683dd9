"""`kiosk demo`: the README's run command. Starts the simulated devices the demo kiosk.toml
points at (virtual receipt printer, simulated ID reader) as child processes, each with its
control channel (faults, cards), and the hall service with this kiosk enrolled in it
(kiosk/commands/demo_hall.py); prints where they are and how to drive them (`kiosk counter …`
calls the tickets), then the kiosk, issuing through the hall service, and the hall display in
a window of its own (kiosk/commands/demo_display.py), and stops the children when the kiosk
exits. `--no-ui`: without the kiosk, until Ctrl-C; `--no-hall`: the kiosk holds
the queue itself."""

from __future__ import annotations

import argparse
import contextlib
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlparse

from kiosk.commands import demo_display, demo_hall
from kiosk.commands.common import Subparsers, config_from_args
from kiosk.config import Config


def register(sub: Subparsers) -> None:
    p = sub.add_parser("demo", help="start the demo: simulated devices, then the kiosk")
    p.add_argument("--no-sims", action="store_true", help="do not start simulated devices")
    p.add_argument("--no-ui", action="store_true",
                   help="start only the simulated devices (and print their ports), no kiosk")
    p.add_argument("--no-hall", action="store_true",
                   help="no hall service: the kiosk holds the queue itself (embedded shape)")
    p.add_argument("--no-display", action="store_true",
                   help="no hall display window (kiosk display) beside the kiosk")
    p.add_argument("--hall-hours", action="store_true",
                   help="keep the hall's opening hours (by default the demo opens every "
                        "service for today, so tickets can be taken at any hour)")
    p.set_defaults(handler=_demo)


def sim_commands(cfg: Config) -> list[list[str]]:
    """The simulator processes this config needs: only loopback devices are simulated."""
    cmds: list[list[str]] = []
    printer = urlparse(cfg.receipt_printer.url)
    if printer.scheme == "tcp" and printer.hostname in ("127.0.0.1", "localhost"):
        cmd = ["sim", "printer", "--listen", cfg.receipt_printer.url,
               "--out", str(cfg.path("var/receipts"))]
        if cfg.receipt_printer.sim_control:
            cmd += ["--control", cfg.receipt_printer.sim_control]
        cmds.append(cmd)
    reader = urlparse(cfg.id_reader.port)
    if cfg.id_reader.enabled and reader.scheme == "socket" and reader.hostname in (
        "127.0.0.1", "localhost"
    ):
        cmd = ["sim", "idreader", "--listen", f"tcp://{reader.hostname}:{reader.port}"]
        if cfg.id_reader.sim_control:
            cmd += ["--control", cfg.id_reader.sim_control]
        cmds.append(cmd)
    return cmds


def describe(cmds: list[list[str]]) -> list[str]:
    """What the demo prints: each simulator, where it listens, its control port and an
    example command — so the README's fault commands need no hand-started simulator."""
    lines = ["模拟设备（演示）已启动："]
    for cmd in cmds:
        listen = cmd[cmd.index("--listen") + 1]
        control = cmd[cmd.index("--control") + 1] if "--control" in cmd else ""
        host_port = control.removeprefix("tcp://").replace(":", " ")
        if cmd[1] == "printer":
            lines.append(f"  凭条打印机    {listen}   控制 {control or '（无）'}")
            if control:
                lines.append(f"      例：echo \"paper out\" | nc {host_port}"
                             "   （help 列出全部命令）")
        else:
            lines.append(f"  身份证阅读器  {listen}   控制 {control or '（无）'}")
            if control:
                lines.append(f"      例：kiosk sim idreader-ctl {control} place resident")
    return lines


def _demo(args: argparse.Namespace) -> int:
    """The simulators, then the kiosk UI (`kiosk run --windowed`), each its own process: the
    demo is what a kiosk PC runs under systemd, supervised from one terminal."""
    cfg = config_from_args(args)
    base = [sys.executable, "-m", "kiosk"] + (["--config", args.config] if args.config else [])
    children: list[subprocess.Popen[bytes]] = []
    # `kill`, systemd's stop and a closed terminal send SIGTERM, whose default ends Python
    # without `finally`: the simulators would live on holding their ports. Make it an exit.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        if not args.no_sims:
            cmds = sim_commands(cfg)
            for cmd in cmds:
                children.append(subprocess.Popen(base + cmd))
            time.sleep(0.5)  # let the simulators bind their ports before the kiosk connects
            _wait_for_controls(cmds)
            print("\n".join(describe(cmds)), flush=True)
        run = [*base, "run", "--windowed"]
        if not args.no_hall and not cfg.queue.server:
            hall, url = demo_hall.start(base, cfg)
            children.append(hall)                  # type: ignore[arg-type]
            demo_hall.enrol(base, cfg, url)
            if not args.hall_hours:
                opened = demo_hall.open_all_day(cfg, url)
                print(f"演示：{'、'.join(opened)} 各项服务今天全天可取号"
                      "（kiosk demo --hall-hours：按 hall.toml 的办理时间）", flush=True)
            print("\n".join(demo_hall.describe(url, demo_hall.pin_file(cfg))), flush=True)
            run += ["--queue-server", url]
            if not args.no_ui and not args.no_display:
                children.append(demo_display.start(base, cfg, url))
                print("\n".join(demo_display.describe(url)), flush=True)
        if args.no_ui:
            return _wait(children)
        ui = subprocess.Popen(run)
        children.append(ui)
        return ui.wait()
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=3)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _wait(children: list[subprocess.Popen[bytes]]) -> int:
    """--no-ui: until a simulator stops or Ctrl-C."""
    try:
        while all(c.poll() is None for c in children):
            time.sleep(0.2)
    except KeyboardInterrupt:
        return 0
    return next((c.returncode for c in children if c.returncode), 0)


def _wait_for_controls(cmds: list[list[str]], timeout_s: float = 15.0) -> None:
    """Until every simulator's control port answers (a loaded machine starts them slowly):
    the ports printed are ones that work."""
    deadline = time.monotonic() + timeout_s
    for cmd in cmds:
        if "--control" not in cmd:
            continue
        u = urlparse(cmd[cmd.index("--control") + 1])
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((u.hostname or "127.0.0.1", u.port or 0), 0.5):
                    break
            except OSError:
                time.sleep(0.1)
