"""The queue store under real processes: a kiosk killed with SIGKILL between allocation and
print (its ticket stays servable: the printer may have printed what it had), and two kiosk
processes issuing at once on one SQLite file."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

from kiosk.queue.model import TicketState
from tests.queue_support import Clock, FakePrinter, make_config, make_service

REPO = Path(__file__).resolve().parents[2]
MORNING = datetime(2026, 11, 23, 9, 0)

# A kiosk process whose printer never returns: it announces the number it is printing, then
# hangs there, so the test can kill it exactly between allocation and print.
_CHILD = """
import sys, time
from datetime import datetime
from pathlib import Path
from tests.queue_support import Clock, make_config, make_service

def stuck_printer(slip):
    print("PRINTING", slip.number, flush=True)
    time.sleep(600)

cfg = make_config(Path(sys.argv[1]))
q = make_service(cfg, Clock(datetime(2026, 11, 23, 9, 0)))
q.printer = stuck_printer
q.take("C")
"""


def test_sigkill_during_the_print_keeps_the_ticket_servable(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(tmp_path)], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.split() == ["PRINTING", "C001"]
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(10)
    assert child.returncode == -signal.SIGKILL

    cfg = make_config(tmp_path)
    q = make_service(cfg, Clock(MORNING))   # open() runs recover()
    (t,) = q.list_today()
    assert (t.number, t.state, t.verify_reason) == ("C001", TicketState.VERIFY, "interrupted")
    assert q.store.queue("C")[0].number == "C001", "a window will call it; staff check the slip"
    assert q.take("C").ticket.number == "C002"  # type: ignore[union-attr]
    q.close()


def test_recover_keeps_a_ticket_a_live_process_is_printing(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    printer = FakePrinter()
    printer.gate = threading.Event()
    q = make_service(cfg, Clock(MORNING), printer)
    worker = threading.Thread(target=q.take, args=("C",))
    worker.start()
    assert printer.started.wait(5)
    other = make_service(cfg, Clock(MORNING))    # a second kiosk starting up meanwhile
    assert other.list_today()[0].state is TicketState.ISSUING
    printer.gate.set()
    worker.join(5)
    assert [t.state for t in q.list_today()] == [TicketState.WAITING]
    q.close()
    other.close()


def _issue(base: str, count: int, start: threading.Barrier, out: mp.Queue[list[str]]) -> None:
    printer = FakePrinter()
    printer.delay_s = 0.002     # a print takes time, as on paper: the other kiosk gets a turn
    q = make_service(make_config(Path(base)), Clock(MORNING), printer)
    start.wait(30)              # both kiosks are up: now they issue at the same time
    got = []
    for _ in range(count):
        r = q.take("C")
        assert r.ticket is not None, r
        got.append(r.ticket.number)
    q.close()
    out.put(got)


def test_two_processes_issue_unique_consecutive_numbers(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_issue, args=(str(tmp_path), 100, start, out))
             for _ in range(2)]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    assert [len(r) for r in results] == [100, 100]
    for r in results:                      # each process saw its own numbers increase …
        assert r == sorted(r)
        first, last = int(r[0][1:]), int(r[-1][1:])
        assert last - first + 1 > len(r)   # … and the other's in between: they really overlapped
    assert sorted(results[0] + results[1]) == [f"C{i:03d}" for i in range(1, 201)]
    q = make_service(make_config(tmp_path), Clock(MORNING))
    tickets = q.list_today()
    assert len(tickets) == 200 and {t.state for t in tickets} == {TicketState.WAITING}
    q.close()
