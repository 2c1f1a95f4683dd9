"""ID card reader benchmark: prints JSON figures with the machine they were taken on.

    .venv/bin/python bench/bench_idcard.py [--trials N] [--idle-s S]

- transaction: find → select → read → appended address, card already on the reader, no poll
  wait (read_once right after placing): unpaced pty, and paced at 115200 baud.
- placed_to_event: the simulated reader (a separate process, on a pty, paced at 115200 baud)
  gets `place` on its control channel; time until CardRead is taken off the event queue, with
  the worker polling at the configured interval. Overhead = that minus wire time and minus the
  poll interval (the worst-case wait for the next poll).
- idle_cpu: CPU used by the polling reader (this process) with no card, as % of one core.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from machine import machine  # noqa: E402  (bench/machine.py, the script's own folder)

from devices.id_reader.events import CardRead, ReaderEvent  # noqa: E402
from devices.id_reader.reader import IdReader  # noqa: E402
from devices.sim.idreader_control import send_control  # noqa: E402

BAUD = 115200
# Bytes on the wire for one read: 4 commands of 10 bytes; replies find 15, select 19,
# read 1295, appended address 81 (the card used has one). The simulator paces its replies
# only (the host's writes to a pty are not slowed), so overhead is measured against those.
COMMAND_BYTES = 4 * 10
REPLY_BYTES = 15 + 19 + 1295 + 81


def start_sim(tmp: Path, pace: int) -> tuple[subprocess.Popen[str], str, str]:
    link = tmp / f"ttyID{pace}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "idreader", "--pty", "--link", str(link),
         "--control", "tcp://127.0.0.1:0", "--pace-baud", str(pace)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout is not None
    proc.stdout.readline()
    control = proc.stdout.readline().split()[1]
    return proc, str(link), control


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"n": len(values), "mean_ms": round(statistics.mean(values), 2),
            "median_ms": round(statistics.median(values), 2),
            "p95_ms": round(ordered[max(0, int(0.95 * len(ordered)) - 1)], 2),
            "max_ms": round(ordered[-1], 2)}


def transaction(port: str, control: str, trials: int) -> dict[str, float]:
    reader = IdReader(port, poll_interval_s=0.005)
    reader.open(poll=False)
    times = []
    for _ in range(trials):
        send_control(control, "place resident")
        t0 = time.perf_counter()
        record = reader.read_once(5.0)
        times.append((time.perf_counter() - t0) * 1000)
        assert record is not None
        send_control(control, "remove")
    reader.close()
    return stats(times)


def placed_to_event(port: str, control: str, poll_s: float, trials: int) -> dict[str, float]:
    events: queue.Queue[ReaderEvent] = queue.Queue()
    reader = IdReader(port, poll_interval_s=poll_s, events=events)
    reader.open()
    times = []
    for i in range(trials):
        time.sleep(poll_s * ((i * 0.37) % 1))  # spread placements over the poll cycle
        t0 = time.perf_counter()
        send_control(control, "place resident")
        while not isinstance(events.get(timeout=10), CardRead):
            pass
        times.append((time.perf_counter() - t0) * 1000)
        send_control(control, "remove")
        time.sleep(2.5 * poll_s)  # let the reader see the removal
    reader.close()
    return stats(times)


def idle_cpu(port: str, poll_s: float, seconds: float) -> float:
    reader = IdReader(port, poll_interval_s=poll_s)
    reader.open()
    time.sleep(0.2)
    c0, t0 = time.process_time(), time.perf_counter()
    time.sleep(seconds)
    used = (time.process_time() - c0) / (time.perf_counter() - t0) * 100
    reader.close()
    return round(used, 3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--idle-s", type=float, default=5.0)
    args = ap.parse_args()
    wire_ms = (COMMAND_BYTES + REPLY_BYTES) * 10 / BAUD * 1000
    reply_ms = REPLY_BYTES * 10 / BAUD * 1000
    out: dict[str, object] = {
        "machine": machine(),
        "wire_ms_per_read_at_115200": round(wire_ms, 2),
        "of_which_replies_ms": round(reply_ms, 2),
    }
    with tempfile.TemporaryDirectory() as tmp:
        sims = {pace: start_sim(Path(tmp), pace) for pace in (0, BAUD)}
        try:
            _, port0, ctl0 = sims[0]
            _, port1, ctl1 = sims[BAUD]
            out["transaction_unpaced_pty"] = transaction(port0, ctl0, args.trials)
            paced = transaction(port1, ctl1, args.trials)
            out["transaction_paced_115200"] = paced
            out["software_overhead_over_paced_replies_ms_median"] = round(
                paced["median_ms"] - reply_ms, 2)
            for poll_s in (0.5, 0.1):
                p2e = placed_to_event(port1, ctl1, poll_s, args.trials)
                p2e["overhead_over_wire_and_poll_ms_max"] = round(
                    p2e["max_ms"] - wire_ms - poll_s * 1000, 2)
                out[f"placed_to_event_paced_poll_{poll_s}s"] = p2e
            out["idle_cpu_percent_of_a_core"] = {
                f"poll_{p}s": idle_cpu(port0, p, args.idle_s) for p in (0.5, 0.1)}
        finally:
            for proc, _, _ in sims.values():
                proc.terminate()
                proc.wait(timeout=5)
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
