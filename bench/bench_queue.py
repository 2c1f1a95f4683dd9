"""Queue benchmarks: ticket allocation latency, two kiosk processes issuing at once, and (when
the virtual printer is in this build) confirm tap → last byte at the printer.

    .venv/bin/python bench/bench_queue.py [--n 500] [--out FILE]

Prints JSON with the machine noted. Targets (issue 6): allocation p95 ≤ 10 ms on SQLite;
confirm → last byte ≤ 300 ms. Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from machine import machine  # bench/machine.py: the script's own folder

from devices.outcome import JobOutcome
from kiosk.config import Config, parse_config
from kiosk.queue.hallconfig import HallSettings, parse_hall
from kiosk.queue.model import IssueRequest
from kiosk.queue.owner import current_owner
from kiosk.queue.service import QueueService
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.receipts.ticket import TicketSlip

NOW = datetime(2026, 11, 23, 9, 0)
ALL_DAY = ["00:00-24:00"]


def config(base: Path, printer_url: str = "tcp://127.0.0.1:1") -> Config:
    return parse_config({"receipt_printer": {"url": printer_url, "timeout_s": 2.0}},
                        base_dir=str(base))


def hall() -> HallSettings:
    svc = {"hours": ALL_DAY, "daily_limit": 999}
    return parse_hall({"services": [{"name": "综合咨询", "prefix": "C", **svc},
                                    {"name": "农业农村", "prefix": "D", **svc}],
                       "windows": [{"number": 1, "services": ["C", "D"]}]})


def store(path: Path) -> SqliteQueueStore:
    return SqliteQueueStore(path, hall(), lambda: NOW)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms_figures(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {"n": len(ms), "p50_ms": round(pct(ms, 50), 3), "p95_ms": round(pct(ms, 95), 3),
            "p99_ms": round(pct(ms, 99), 3), "max_ms": round(max(ms), 3),
            "mean_ms": round(statistics.fmean(ms), 3)}


def ok_printer(slip: TicketSlip) -> JobOutcome:
    """A printer function that does nothing: measures the queue, not the paper."""
    return JobOutcome(ok=True)


def time_allocations(path: Path, n: int, synchronous: str = "FULL") -> list[float]:
    s = store(path)
    s.open()
    # Only for the comparison figure: the store itself always runs FULL (see its docstring).
    s._file.conn.execute(f"PRAGMA synchronous = {synchronous}")
    samples = []
    for _ in range(n):
        req = IssueRequest(service="C", request_id=uuid.uuid4().hex, owner=current_owner())
        t0 = time.perf_counter()
        s.issue(req)
        samples.append(time.perf_counter() - t0)
    s.close()
    return samples


def bench_allocation(n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as d:
        alloc = time_allocations(Path(d) / "q.sqlite", n)
        normal = time_allocations(Path(d) / "normal.sqlite", n, "NORMAL")
        q = QueueService(config(Path(d)), store(Path(d) / "svc.sqlite"), ok_printer,
                         repeat_guard_s=0)
        q.open()
        take = []
        for _ in range(n):
            t0 = time.perf_counter()
            q.take("D")
            take.append(time.perf_counter() - t0)
        q.close()
    return {"store_allocate": ms_figures(alloc),
            "store_allocate_if_synchronous_normal": ms_figures(normal),
            "service_take_allocate_print_mark": ms_figures(take)}


def _issuer(base: str, n: int, pace_s: float, barrier: Any, out: Any) -> None:
    def paced_printer(slip: TicketSlip) -> JobOutcome:
        if pace_s:
            time.sleep(pace_s)
        return JobOutcome(ok=True)

    q = QueueService(config(Path(base)), store(Path(base) / "two.sqlite"), paced_printer,
                     repeat_guard_s=0)
    q.open()
    barrier.wait(60)
    t0 = time.perf_counter()
    numbers = []
    for i in range(n):
        r = q.take("CD"[i % 2])
        if r.ticket is None:
            raise SystemExit(f"take failed: {r}")
        numbers.append(r.ticket.number)
    out.put((time.perf_counter() - t0, numbers))
    q.close()


def bench_two_processes(n: int, pace_s: float) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as d:
        barrier, out = ctx.Barrier(3), ctx.Queue()
        procs = [ctx.Process(target=_issuer, args=(d, n, pace_s, barrier, out))
                 for _ in range(2)]
        for p in procs:
            p.start()
        barrier.wait(60)
        t0 = time.perf_counter()
        results = [out.get(timeout=600) for _ in procs]
        wall = time.perf_counter() - t0
        for p in procs:
            p.join(60)
    numbers = results[0][1] + results[1][1]
    unique = len(set(numbers)) == len(numbers) == 2 * n
    expected = {f"{p}{i:03d}" for p in "CD" for i in range(1, n + 1)}
    return {"processes": 2, "tickets_per_process": n, "print_pace_ms": pace_s * 1000,
            "wall_s": round(wall, 3), "tickets_per_s": round(2 * n / wall, 1),
            "per_process_s": [round(r[0], 3) for r in results],
            "unique": unique, "consecutive": set(numbers) == expected}


def bench_confirm_to_last_byte(n: int) -> dict[str, Any]:
    """Tap → ticket allocated → slip rendered → bytes sent → the virtual printer has received
    the last byte (its decoder saw the cut)."""
    try:
        from devices.sim.printer import VirtualPrinter
        from kiosk import bootstrap
    except ImportError as exc:
        return {"measured": False, "why": f"virtual printer not in this build ({exc})"}
    samples, returned = [], []
    with tempfile.TemporaryDirectory() as d, VirtualPrinter(None) as vp:
        port = vp.start()
        cfg = config(Path(d), f"tcp://127.0.0.1:{port}")
        with bootstrap.ticket_printer(cfg) as printer:
            q = QueueService(cfg, store(Path(d) / "p.sqlite"), printer, repeat_guard_s=0)
            q.open()
            for i in range(n):
                t0 = time.perf_counter()
                r = q.take("C")
                returned.append(time.perf_counter() - t0)
                got = vp.wait_for_receipts(i + 1, timeout=10)
                if not r.ok or len(got) <= i:
                    return {"measured": False, "why": f"print failed: {r.detail}"}
                # decoded_at: when the virtual printer decoded the slip's last byte
                last = getattr(got[i], "decoded_at", 0.0) or time.perf_counter()
                samples.append(last - t0)
            q.close()
    return {"measured": True, "tap_to_last_byte": ms_figures(samples),
            "take_returned": ms_figures(returned)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--n", type=int, default=500, help="tickets per measurement/process")
    ap.add_argument("--printed", type=int, default=50, help="tickets through the printer")
    ap.add_argument("--out", type=Path, help="also write the JSON here")
    args = ap.parse_args(argv)
    report: dict[str, Any] = {
        "bench": "queue", "when": datetime.now().isoformat(timespec="seconds"),
        "machine": machine(), "allocation": bench_allocation(args.n),
        "two_processes_tight": bench_two_processes(args.n, 0.0),
        "two_processes_paced_2ms": bench_two_processes(args.n, 0.002),
        "confirm_to_last_byte": bench_confirm_to_last_byte(args.printed),
        "targets": {"allocation_p95_ms": 10, "confirm_to_last_byte_ms": 300},
    }
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
