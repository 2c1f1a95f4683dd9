"""`kiosk fleet …`: this kiosk's link to the county's fleet health service.

    kiosk fleet join URL --code CODE    enrol with the county (its own key, made here);
                                         --hall FOLDER enrols a hall service's relay instead
    kiosk fleet status [--json]          identity, what waits in the outbox
    kiosk fleet send [--json]            one heartbeat now, and send what waits
    kiosk fleet run                      the agent alone, over this kiosk's devices (no UI): a
                                         headless kiosk, and the simulated kiosks of the demo,
                                         tests and bench

The running kiosk (`kiosk run`) starts the same agent itself when [fleet].url is set.
Exit codes: 0 ok, 1 not enrolled or nothing delivered, 2 usage, 3 the county refused.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from typing import Any

from kiosk.commands.common import config_from_args, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("fleet", help="heartbeats to the hall and county: join, status, send, "
                                     "run")
    fsub = p.add_subparsers(dest="fleet_command", metavar="ACTION", required=True)
    join = fsub.add_parser("join", help="enrol this kiosk with the county")
    join.add_argument("url", metavar="URL", help="the county service (http://HOST:PORT)")
    join.add_argument("--code", required=True, metavar="CODE",
                      help="the one-time code from kiosk county enrol-kiosk (or enrol-hall)")
    join.add_argument("--hall", metavar="FOLDER",
                      help="enrol a hall service instead: its key and identity go in FOLDER "
                           "(the relay's, hall/fleet_relay.py)")
    join.set_defaults(handler=_join)
    st = fsub.add_parser("status", help="identity and outbox")
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=_status)
    send = fsub.add_parser("send", help="a heartbeat now, then send what waits")
    send.add_argument("--json", action="store_true")
    send.set_defaults(handler=_send)
    run = fsub.add_parser("run", help="the fleet agent over this kiosk's devices, no UI")
    run.add_argument("--seconds", type=float, default=0.0,
                     help="stop after this long (0: until stopped)")
    run.set_defaults(handler=_run)


def _join(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kiosk.errors import SyncError
    from kiosk.sync.identity import join

    try:
        if args.hall:
            me = join(Path(args.hall), args.url, args.code, role="hall")
            print(f"hall {me.kiosk} ({me.name}) enrolled; its relay signs with the key in "
                  f"{args.hall}")
            return 0
        cfg = config_from_args(args)
        me = join(cfg.path(cfg.fleet.dir), args.url, args.code)
    except SyncError as exc:
        print(f"kiosk fleet join: {exc}", file=sys.stderr)
        return 3
    print(f"enrolled as {me.kiosk} ({me.name}, hall {me.hall}); set [fleet].url to the hall "
          f"service or to {args.url}")
    return 0


def _parts(cfg: Any) -> tuple[Any, Any] | None:
    from kiosk.sync.identity import load_identity
    from kiosk.sync.outbox import Outbox

    me = load_identity(cfg.path(cfg.fleet.dir))
    if me is None:
        print("kiosk fleet: this kiosk is not enrolled; run: kiosk fleet join URL --code CODE",
              file=sys.stderr)
        return None
    return me, Outbox(cfg.path(cfg.fleet.dir) / "outbox.sqlite").open()


def _status(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    parts = _parts(cfg)
    if parts is None:
        return 1
    me, outbox = parts
    try:
        info = {"kiosk": me.kiosk, "name": me.name, "hall": me.hall, "county": me.county,
                "url": cfg.fleet.url, "interval_s": cfg.fleet.interval_s,
                "waiting": outbox.counts()}
    finally:
        outbox.close()
    if args.json:
        print_json(info)
    else:
        waiting = ", ".join(f"{n} {k}" for k, n in info["waiting"].items()) or "nothing"
        print(f"{me.kiosk} ({me.name}, hall {me.hall}) → {cfg.fleet.url or '(no [fleet].url)'}; "
              f"waiting: {waiting}")
    return 0


def _agent(cfg: Any, me: Any, outbox: Any) -> Any:
    from kiosk.status_sources import collect_status
    from kiosk.sync.agent import FleetAgent, Sources
    from kiosk.usage import USAGE_FILE, UsageCounters

    usage = UsageCounters(cfg.path(USAGE_FILE))
    return FleetAgent(cfg, me, outbox, Sources(
        reports=lambda: collect_status(cfg).devices, today=usage.today))


def _send(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    parts = _parts(cfg)
    if parts is None:
        return 1
    me, outbox = parts
    try:
        agent = _agent(cfg, me, outbox)
        agent.beat()
        result = agent.send_once()
        waiting = outbox.counts()
    finally:
        outbox.close()
    if args.json:
        print_json({"ok": result.ok, "sent": result.sent, "acked": result.acked,
                    "error": result.error, "waiting": waiting})
    else:
        print(f"sent {result.sent}, acknowledged {result.acked}"
              + (f"; not delivered: {result.error}" if not result.ok else ""))
    return 0 if result.ok else 1


def _run(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import terminal
    from kiosk.sync.agent import FleetAgent, Sources

    cfg = config_from_args(args)
    parts = _parts(cfg)
    if parts is None:
        return 1
    me, outbox = parts
    term = terminal(cfg)
    term.open()
    agent = FleetAgent(cfg, me, outbox, Sources(reports=term.reports, today=term.usage.today,
                                                started_at=term.started_at))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    agent.start()
    print(f"fleet agent {me.kiosk} → {cfg.fleet.url} every {cfg.fleet.interval_s} s",
          flush=True)
    try:
        deadline = time.monotonic() + args.seconds if args.seconds else None
        while not stop.wait(0.5):
            if deadline is not None and time.monotonic() >= deadline:
                break
    except KeyboardInterrupt:
        pass
    finally:
        agent.stop()
        term.close()
        outbox.close()
    return 0
