"""`kiosk ticket take|list|reprint|void|set-open|reset`: this kiosk's queue from the command
line, on the same store and printer the touchscreen uses (staff at a terminal, scripts, tests).
Windows call tickets with `kiosk counter …` (kiosk/commands/counter.py).

Exit codes: 0 done; 1 refused or the print failed (the number was voided); 2 an unknown
service or ticket; 3 the store failed (cli.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kiosk.commands.common import Subparsers, config_from_args, print_json
from kiosk.errors import QueueError

if TYPE_CHECKING:
    from kiosk.queue.service import QueueService


def register(sub: Subparsers) -> None:
    p = sub.add_parser("ticket", help="queue tickets: take, list, reprint, void")
    tsub = p.add_subparsers(dest="ticket_command", metavar="ACTION", required=True)
    take = tsub.add_parser("take", help="issue a ticket and print it on the receipt printer")
    take.add_argument("service", metavar="SERVICE", help="the service's letter (A) or name")
    take.add_argument("--priority", choices=["残疾人", "军人", "孕妇"], default="",
                      help="self-declared priority, marked for staff to verify")
    take.add_argument("--json", action="store_true")
    take.add_argument("--printer", metavar="URL",
                      help="another receipt printer than receipt_printer.url, e.g. tcp://host:9100")
    take.set_defaults(handler=_guarded(_take))
    ls = tsub.add_parser("list", help="today's tickets (the current queue day)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=_guarded(_list))
    rp = tsub.add_parser("reprint", help="print a waiting ticket again (marked 补打)")
    rp.add_argument("number", metavar="NUMBER")
    rp.add_argument("--printer", metavar="URL", help="another receipt printer (see take)")
    rp.set_defaults(handler=_guarded(_reprint))
    vd = tsub.add_parser("void", help="void a ticket (its number is not reused)")
    vd.add_argument("number", metavar="NUMBER")
    vd.add_argument("--reason", default="staff")
    vd.set_defaults(handler=_guarded(_void))
    so = tsub.add_parser("set-open", help="open or close a service for the rest of today")
    so.add_argument("service", metavar="SERVICE")
    so.add_argument("state", choices=["open", "closed", "auto"],
                    help="auto: follow the service's hours again")
    so.set_defaults(handler=_guarded(_set_open))
    rs = tsub.add_parser("reset", help="void every ticket still waiting today")
    rs.set_defaults(handler=_guarded(_reset))


Handler = Callable[[argparse.Namespace], int]


def _guarded(fn: Handler) -> Handler:
    """An unknown service or number is a usage error (2), not a store failure (3)."""

    def run(args: argparse.Namespace) -> int:
        from kiosk.queue.store import QueueStoreError

        try:
            return fn(args)
        except QueueStoreError:
            raise
        except QueueError as exc:
            print(f"kiosk: {exc}", file=sys.stderr)
            return 2

    return run


@contextmanager
def _queue(args: argparse.Namespace, printing: bool = False) -> Iterator[QueueService]:
    """The configured QueueService, open, with the receipt printer when it will print."""
    from kiosk import bootstrap

    cfg = config_from_args(args)
    printer = bootstrap.ticket_printer(cfg, getattr(args, "printer", None))
    service = bootstrap.queue_service(cfg, printer)
    service.open()
    try:
        if printing:
            printer.open()
        yield service
    finally:
        printer.close()
        service.close()


def _take(args: argparse.Namespace) -> int:
    with _queue(args, printing=True) as q:
        result = q.take(args.service, None, args.priority)
    t, slip = result.ticket, result.slip
    if args.json:
        print_json({"status": result.status.value, "message": result.message,
                    "ticket": t.to_dict() if t else None,
                    "wait_text": slip.wait_text if slip else "", "detail": result.detail})
    elif result.ok and t is not None and slip is not None:
        print(f"{t.number}  {slip.service_name}  前面 {slip.people_ahead} 人  {slip.wait_text}")
    else:
        number = f"{t.number}: " if t else ""
        print(f"{number}{result.status.value}: {result.message} ({result.detail})",
              file=sys.stderr)
    return 0 if result.ok else 1


def _list(args: argparse.Namespace) -> int:
    with _queue(args) as q:
        tickets = q.list_today()
        day = q.day()
    if args.json:
        print_json({"day": day.isoformat(), "tickets": [t.to_dict() for t in tickets]})
        return 0
    print(f"queue day {day.isoformat()}: {len(tickets)} ticket(s)")
    for t in tickets:
        prio = {"age": "老年人优先",
                "declared": f"{t.declared}（待核验）"}.get(t.priority.value, "")
        where = f"{t.window}号窗口" if t.window else ""
        extra = " ".join(x for x in (prio, where, t.void_reason or t.verify_reason) if x)
        print(f"{t.number:>6}  {t.state.value:<8} {t.issued_at:%H:%M:%S}  "
              f"ahead {t.people_ahead:<3} {extra}")
    return 0


def _reprint(args: argparse.Namespace) -> int:
    with _queue(args, printing=True) as q:
        result = q.reprint(args.number)
    if not result.ok:
        print(f"{args.number}: {result.status.value}: {result.detail}", file=sys.stderr)
        return 1
    print(f"{args.number.upper()} reprinted")
    return 0


def _void(args: argparse.Namespace) -> int:
    with _queue(args) as q:
        t = q.void(args.number, args.reason)
    print(f"{t.number} void ({t.void_reason})")
    return 0


def _set_open(args: argparse.Namespace) -> int:
    state = {"open": True, "closed": False, "auto": None}[args.state]
    with _queue(args) as q:
        q.set_service_open(args.service, state)
        svc = q.service(args.service)
    print(f"{svc.prefix} {svc.name}: {args.state} for today")
    return 0


def _reset(args: argparse.Namespace) -> int:
    with _queue(args) as q:
        voided = q.reset_today()
    print(f"{len(voided)} waiting ticket(s) voided: {' '.join(t.number for t in voided)}")
    return 0
