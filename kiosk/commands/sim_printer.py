"""`kiosk sim printer`: run the virtual ESC/POS printer (devices/sim/printer.py) until stopped.

    kiosk sim printer --listen tcp://127.0.0.1:9100 --out var/receipts [--control tcp://…:9101]
    kiosk sim printer --pty --out var/receipts          (prints the pty path to open)
    faults at start:  --fault paper-out --fault cover-open --paper-out-after 5 --baud 9600
    faults later:     echo "paper out" | nc 127.0.0.1 9101   (see `help` on the control port)
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from urllib.parse import urlparse

from kiosk.commands.common import Subparsers

FAULTS = {"paper-near": "paper near", "paper-out": "paper out", "cover-open": "cover open",
          "offline": "offline", "cutter-error": "cutter error"}


def register(sub: Subparsers) -> None:
    p = sub.add_parser("printer", help="virtual ESC/POS receipt printer (TCP or pty)")
    p.add_argument("--listen", metavar="URL", default=None,
                   help="tcp://HOST:PORT to accept print jobs on (port 0: any free port)")
    p.add_argument("--pty", action="store_true", help="also act as a serial printer on a pty")
    p.add_argument("--out", metavar="DIR", default="var/receipts",
                   help="where N.bin, N.txt and N.png of each receipt go")
    p.add_argument("--control", metavar="URL", help="tcp://HOST:PORT for fault commands")
    p.add_argument("--paper", type=int, choices=(58, 80), default=80, help="paper width (mm)")
    p.add_argument("--encoding", choices=("gb18030", "gbk"), default="gb18030",
                   help="the Chinese font's encoding in FS & mode")
    p.add_argument("--fault", action="append", choices=sorted(FAULTS), default=[],
                   help="start with this fault (repeatable)")
    p.add_argument("--paper-out-after", type=int, metavar="LINES",
                   help="the roll ends after this many printed lines (mid-job paper out)")
    p.add_argument("--baud", type=int, default=0,
                   help="simulate a serial link at this speed (0: full speed)")
    p.set_defaults(handler=_run)


def _tcp(url: str, what: str) -> tuple[str, int]:
    u = urlparse(url)
    if u.scheme != "tcp" or not u.hostname or u.port is None:
        raise SystemExit(f"kiosk sim printer: {what}: expected tcp://HOST:PORT, got {url!r}")
    return u.hostname, u.port


def _startup_commands(args: argparse.Namespace) -> list[str]:
    cmds = [FAULTS[f] for f in args.fault]
    if args.paper_out_after is not None:
        cmds.append(f"paper out-after {args.paper_out_after}")
    if args.baud:
        cmds.append(f"baud {args.baud}")
    return cmds


def _run(args: argparse.Namespace) -> int:
    from devices.sim.printer import VirtualPrinter

    if not args.listen and not args.pty:
        args.listen = "tcp://127.0.0.1:9100"
    vp = VirtualPrinter(args.out, paper_mm=args.paper, encoding=args.encoding)
    for cmd in _startup_commands(args):
        vp.command(cmd)
    if args.listen:
        host, port = _tcp(args.listen, "--listen")
        print(f"virtual printer listening on tcp://{host}:{vp.start(host, port)}", flush=True)
    if args.pty:
        print(f"virtual printer on pty {vp.start_pty()}", flush=True)
    if args.control:
        host, port = _tcp(args.control, "--control")
        print(f"control channel on tcp://{host}:{vp.start_control(host, port)}", flush=True)
    print(f"receipts go to {vp.out_dir}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    vp.stop()
    print(f"virtual printer stopped after {len(vp.receipts)} receipt(s)", file=sys.stderr)
    return 0
