"""`kiosk sim idreader`: the simulated SAM ID card reader, and `kiosk sim idreader-ctl` to
place cards and inject faults in a running one."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from kiosk.commands.common import Subparsers


def register(sub: Subparsers) -> None:
    p = sub.add_parser("idreader", help="simulated ID card reader (SAM serial protocol)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--pty", action="store_true", help="serve on a new pty (prints its path)")
    where.add_argument("--listen", metavar="tcp://HOST:PORT",
                       help="serve on TCP (the kiosk connects with socket://HOST:PORT)")
    p.add_argument("--link", metavar="PATH",
                   help="with --pty: a symlink to the pty that survives a simulated replug")
    p.add_argument("--cards", metavar="FILE", help="JSON file of cards (default: samples)")
    p.add_argument("--control", metavar="tcp://HOST:PORT",
                   help="control channel: place/remove cards, inject faults (port 0: any)")
    p.add_argument("--place", metavar="CARD", help="start with this card on the reader")
    p.add_argument("--rereport", action="store_true",
                   help="answer find with 9F at every poll while a card stays (some readers "
                        "do); default: only when the card is presented again")
    p.add_argument("--pace-baud", type=int, default=0, metavar="BAUD",
                   help="hold each reply back for its wire time at this line speed")
    p.set_defaults(handler=_run)
    c = sub.add_parser("idreader-ctl", help="send a command to a running simulated reader")
    c.add_argument("url", metavar="tcp://HOST:PORT", help="its --control address")
    c.add_argument("words", nargs="+", metavar="WORD",
                   help="list | place CARD | remove | fault NAME [op] [seconds] | replug | "
                        "status")
    c.set_defaults(handler=_ctl)


def _ctl(args: argparse.Namespace) -> int:
    from devices.sim.idreader_control import send_control

    reply = send_control(args.url, " ".join(args.words))
    print(reply)
    return 0 if reply.startswith("ok") else 1


def _run(args: argparse.Namespace) -> int:
    from devices.sim.idcards import load_cards, sample_cards
    from devices.sim.idreader import SimReader
    from devices.sim.idreader_transport import (
        ControlServer,
        PtyLine,
        SimLine,
        TcpLine,
        parse_tcp_url,
    )

    sim = SimReader(load_cards(Path(args.cards)) if args.cards else sample_cards(),
                    rereport=args.rereport)
    if args.place:
        sim.place(args.place)
    line: SimLine
    if args.pty:
        line = PtyLine(sim, Path(args.link) if args.link else None)
    else:
        line = TcpLine(sim, *parse_tcp_url(args.listen))
    line.pace_baud = args.pace_baud
    line.start()
    line.ready.wait(5)
    print(f"idreader: {line.describe()}", flush=True)
    control = None
    if args.control:
        control = ControlServer(args.control, sim, line)
        threading.Thread(target=control.serve_forever, name="sim-control", daemon=True).start()
        print(f"control: {control.url}", flush=True)
    done = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not done.wait(0.1) and line.is_alive():
        pass
    if control is not None:
        control.shutdown()
        control.server_close()
    line.stop()
    print("idreader: stopped", file=sys.stderr)
    return 0
