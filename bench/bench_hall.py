"""Hall service benchmarks (issue 14): the service as a real separate process
(`python -m kiosk hall serve`) over real HTTP on loopback, on SQLite and on a private
PostgreSQL (tests/support/pg_env.py: initdb into /tmp, a loopback port).

    PYTHONPATH=. .venv/bin/python bench/bench_hall.py [--backends sqlite postgresql]
        [--n 300] [--events 200] [--subscribers 20] [--load-s 60] [--out FILE]

Each phase starts a fresh hall (new SQLite file / new PostgreSQL schema, a new service
process, staff and 4 kiosks enrolled the way an installation enrols them):

- latency: one kiosk client (kiosk/queue/remote_store.py, as the kiosk uses it) issues `--n`
  tickets one after another, each settled `printed`; then 6 windows call them: next → start
  → finish, round-robin. p50/p95 of each request, client-side, nothing else running.
- events: `--subscribers` SSE subscribers (threads of ONE separate process, each its own
  connection to /api/events) while the bench issues / prints / calls `--events` times, paced
  at 20 operations a second. For every event each subscriber receives: its arrival minus the
  moment the caller got the reply of the request that caused it (the commit happened before
  the reply, so this is at most the commit → received time; it can be negative when the event
  outruns the reply) and minus the moment the request was sent (an upper bound that includes
  the commit itself). Also: every subscriber got every event once, in order.
- load: 4 kiosk processes (issue → printed) and 6 window processes (next → start → finish,
  a short 10 ms back-off on 无人等候) at full speed for `--load-s` seconds, each its own
  process with its own HTTP connection, plus one display subscriber checking it saw every
  event once in order, and how long after each reply it got the event (under full load).
  Operations per second, errors, latency under load, then the database read directly:
  duplicate numbers, tickets called by two windows, windows holding two tickets.

Prints one JSON object (the machine noted; bench/machine.py). Figures, never pass/fail: the
machine is a shared 2-core VM, so compare within one run. Targets: issue p95 ≤ 20 ms,
commit → event p95 ≤ 50 ms with 20 subscribers.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from machine import machine  # bench/machine.py: the script's own folder

from kiosk.queue.model import IssueRequest
from kiosk.queue.remote_store import HallServerStore, transport
from kiosk.queue.store import StoreConflict

REPO = Path(__file__).resolve().parent.parent
SERVICES = "ABCDEFGHJK"           # 10 services × daily_limit 999: room for a long load run
WINDOWS = (1, 2, 3, 4, 5, 6)
STAFF = {"1001": "246810", "1002": "135790", "1003": "975310", "1004": "864202",
         "1005": "112358", "1006": "314159"}
WINDOW_STAFF = dict(zip(WINDOWS, STAFF, strict=True))
KIOSKS = 4
_halls = itertools.count(1)


def hall_toml() -> str:
    """A hall open all day with 10 services; every window serves all of them, each starting
    its round at a different one (a township hall has fewer, but the bench must not run out
    of numbers: daily_limit is at most 999 a service)."""
    out = ['[hall]\nname = "基准测试便民服务中心"\n']
    for letter in SERVICES:
        out.append(f'[[services]]\nname = "业务{letter}"\nprefix = "{letter}"\n'
                   'hours = ["00:00-24:00"]\ndaily_limit = 999\nhandling_minutes = 5.0\n')
    for w in WINDOWS:
        order = SERVICES[w % len(SERVICES):] + SERVICES[:w % len(SERVICES)]
        out.append(f"[[windows]]\nnumber = {w}\nservices = {json.dumps(list(order))}\n")
    out.append('[server]\nlog_dir = "log"\n[queue]\nsecret_file = "secret.key"\n')
    return "\n".join(out)


# -- figures ------------------------------------------------------------------------------------

def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms_figures(ms: list[float]) -> dict[str, float]:
    if not ms:
        return {"n": 0}
    return {"n": len(ms), "p50_ms": round(pct(ms, 50), 2), "p95_ms": round(pct(ms, 95), 2),
            "p99_ms": round(pct(ms, 99), 2), "max_ms": round(max(ms), 2),
            "mean_ms": round(statistics.fmean(ms), 2)}


def rid() -> str:
    return uuid.uuid4().hex


# -- a hall: database, service process, enrolment ----------------------------------------------

@dataclass
class Hall:
    backend: str
    folder: Path
    database: str
    url: str = ""
    tokens: list[str] = field(default_factory=list)
    proc: subprocess.Popen[bytes] | None = None

    def kiosk_client(self, i: int = 0) -> HallServerStore:
        client = HallServerStore(self.url, token=self.tokens[i], probe_s=0, timeout_s=10)
        client.open()
        return client

    def window_client(self) -> HallServerStore:
        client = HallServerStore(self.url, staff_pins=STAFF, probe_s=0, timeout_s=10)
        client.open()
        return client


@contextlib.contextmanager
def hall_up(backend: str, root: Path, pg: Any) -> Iterator[Hall]:
    """A fresh hall on `backend`, its service a separate process on a free loopback port."""
    from hall.app import open_store
    from hall.auth import Auth
    from kiosk.queue.hallconfig import load_hall
    from kiosk.queue.sql import auth as rows
    from tests.support.hall_env import _pin_hash, drop_database, new_database

    folder = root / f"{backend}-{next(_halls)}"
    folder.mkdir()
    toml = folder / "hall.toml"
    toml.write_text(hall_toml(), encoding="utf-8")
    settings = load_hall(toml)
    database = new_database(pg) if backend == "postgresql" else f"sqlite:{folder / 'hall.sqlite'}"
    hall = Hall(backend, folder, database)
    try:
        store = open_store(database, settings)
        store.open()
        auth = Auth(store, settings)
        now = auth.clock()

        def add(tx: Any) -> None:
            for n, p in STAFF.items():
                rows.staff_add(tx, n, f"测试{n}", "window", _pin_hash(p), now)

        store.transact("staff", add)
        codes = [auth.enrol_code(f"kiosk-{i + 1}") for i in range(KIOSKS)]
        store.close()
        hall.proc = start_service(hall, toml)
        for code in codes:
            r = httpx.post(f"{hall.url}/api/join", json={"code": code}, timeout=10)
            r.raise_for_status()
            hall.tokens.append(str(r.json()["token"]))
        yield hall
    finally:
        if hall.proc is not None:
            stop(hall.proc)
        if backend == "postgresql":
            drop_database(pg, database)


def start_service(hall: Hall, toml: Path) -> subprocess.Popen[bytes]:
    out = hall.folder / "serve.out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with out.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "kiosk", "hall", "--hall-config",
                                 str(toml), "serve", "--listen", "127.0.0.1:0", "--database",
                                 hall.database], cwd=hall.folder, env=env, stdout=sink,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = out.read_text(encoding="utf-8", errors="replace")
        if "http://" in text:
            hall.url = text.split("http://", 1)[1].split()[0]
            hall.url = "http://" + hall.url
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    stop(proc)
    raise RuntimeError(f"the hall service did not start: {out.read_text(errors='replace')}")


def stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def worker_cmd(role: str, hall: Hall, *extra: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--worker", role, "--url", hall.url,
            *extra]


def spawn(cmd: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=env, cwd=REPO)


# -- phase 1: latency, one request at a time ------------------------------------------------------

def latency_phase(hall: Hall, n: int) -> dict[str, Any]:
    kiosk = hall.kiosk_client()
    windows = hall.window_client()
    timed: dict[str, list[float]] = {"issue": [], "printed": [], "next": [], "start": [],
                                     "finish": []}
    try:
        for w, staff in WINDOW_STAFF.items():
            windows.login_window(w, staff)
        warm = 20
        for i in range(warm + n):
            req = IssueRequest(service=SERVICES[i % len(SERVICES)], request_id=rid(),
                               owner="bench")
            t0 = time.perf_counter()
            ticket = kiosk.issue(req)
            t1 = time.perf_counter()
            kiosk.printed(ticket.ticket_id, rid())
            t2 = time.perf_counter()
            if i >= warm:
                timed["issue"].append((t1 - t0) * 1000)
                timed["printed"].append((t2 - t1) * 1000)
        for i in range(warm + n):
            w = WINDOWS[i % len(WINDOWS)]
            staff = WINDOW_STAFF[w]
            for name in ("next", "start", "finish"):
                t0 = time.perf_counter()
                window_step(windows, name, w, staff)
                if i >= warm:
                    timed[name].append((time.perf_counter() - t0) * 1000)
        waiting_at_start = n + warm
    finally:
        kiosk.close()
        windows.close()
    out: dict[str, Any] = {k: ms_figures(v) for k, v in timed.items()}
    out["note"] = (f"one request at a time; {warm} warm-up rounds not counted; call-next "
                   f"started with {waiting_at_start} tickets waiting and drained them")
    return out


# -- phase 2: commit → event at N subscribers ---------------------------------------------------

def events_phase(hall: Hall, n_events: int, subscribers: int, rate: float = 20.0
                 ) -> dict[str, Any]:
    sub = spawn(worker_cmd("subscribe", hall, "--subscribers", str(subscribers)))
    assert sub.stdin is not None and sub.stdout is not None
    ready = sub.stdout.readline().strip()
    if ready != "ready":
        stop(sub)
        raise RuntimeError(f"subscribers did not start: {ready!r}")
    kiosk = hall.kiosk_client()
    windows = hall.window_client()
    sent: dict[str, tuple[float, float, str]] = {}    # request id → (sent, replied, op)
    try:
        for w, staff in WINDOW_STAFF.items():
            windows.login_window(w, staff)
        ops = itertools.cycle(("issue", "printed", "next"))
        last_ticket = ""
        wi = itertools.cycle(WINDOWS)
        t_next = time.monotonic()
        for _ in range(n_events):
            t_next += 1 / rate
            time.sleep(max(0.0, t_next - time.monotonic()))
            op, r = next(ops), rid()
            t0 = time.time()
            if op == "issue":
                last_ticket = kiosk.issue(IssueRequest(service="A", request_id=r,
                                                       owner="bench")).ticket_id
            elif op == "printed":
                kiosk.printed(last_ticket, r)
            else:
                w = next(wi)
                windows.call_next(w, WINDOW_STAFF[w], r, close_open="done")
            sent[r] = (t0, time.time(), op)
        last_id = kiosk.last_event_id()
    finally:
        kiosk.close()
        windows.close()
    sub.stdin.write(f"stop {last_id}\n")
    sub.stdin.flush()
    got = json.loads(sub.stdout.readline())
    stop(sub)
    from_reply: list[float] = []
    from_sent: list[float] = []
    per_op: dict[str, list[float]] = {}
    checks = Counter[str]()
    for stream in got["streams"]:
        ids = [e[0] for e in stream["events"]]
        checks["in_order_once"] += ids == sorted(set(ids))
        checks["missed_events"] += len(set(range(got["first_after"] + 1, last_id + 1)) - set(ids))
        for _eid, request, _etype, at in stream["events"]:
            if request in sent:
                t0, t1, op = sent[request]
                from_reply.append((at - t1) * 1000)
                from_sent.append((at - t0) * 1000)
                per_op.setdefault(op, []).append((at - t1) * 1000)
    return {"subscribers": subscribers, "operations": n_events, "rate_per_s": rate,
            "events_in_log": last_id - got["first_after"],
            "deliveries": len(from_reply),
            "commit_to_received_from_reply": ms_figures(from_reply),
            "sent_to_received": ms_figures(from_sent),
            "from_reply_by_operation": {k: ms_figures(v) for k, v in per_op.items()},
            "subscribers_in_order_once": checks["in_order_once"],
            "missed_events_total": checks["missed_events"],
            "note": f"{subscribers} SSE connections from threads of one separate process; "
                    "times are time.time() of two processes on one machine"}


# -- phase 3: 4 kiosks + 6 windows at full speed ------------------------------------------------

def load_phase(hall: Hall, seconds: float, display: bool = True) -> dict[str, Any]:
    start_at = time.time() + 4.0
    common = ("--seconds", str(seconds), "--start-at", str(start_at))
    sub = None
    if display:
        sub = spawn(worker_cmd("subscribe", hall, "--subscribers", "1"))
        assert sub.stdout is not None
        if sub.stdout.readline().strip() != "ready":
            raise RuntimeError("the display subscriber did not start")
    procs = [spawn(worker_cmd("kiosk", hall, "--token", hall.tokens[i], "--index", str(i),
                               *common))
             for i in range(KIOSKS)]
    procs += [spawn(worker_cmd("window", hall, "--window", str(w), *common)) for w in WINDOWS]
    results = []
    for p in procs:
        out, _ = p.communicate(timeout=seconds + 120)
        if p.returncode != 0:
            raise RuntimeError(f"a load worker failed (exit {p.returncode}): {out[-2000:]}")
        results.append(json.loads(out))
    kiosks, windows = results[:KIOSKS], results[KIOSKS:]
    totals = Counter[str]()
    samples: dict[str, list[float]] = {}
    errors: list[str] = []
    for r in results:
        totals.update(r["counts"])
        for k, v in r["ms"].items():
            samples.setdefault(k, []).extend(v)
        errors.extend(r["errors"])
    ops = sum(v for k, v in totals.items() if k != "nobody_waiting")
    elapsed = max(r["elapsed_s"] for r in results)
    issued = [tuple(t) for r in kiosks for t in r["tickets"]]
    called = [t for r in windows for t in r["called"]]
    display_check: dict[str, Any] = {}
    checks = database_checks(hall, issued, called)
    if sub is not None:
        assert sub.stdin is not None and sub.stdout is not None
        sub.stdin.write(f"stop {checks['last_event_id']}\n")
        sub.stdin.flush()
        got = json.loads(sub.stdout.readline())
        stop(sub)
        received = got["streams"][0]["events"]
        ids = [e[0] for e in received]
        replies = {k: v for r in results for k, v in r["replies"].items()}
        late = [(at - replies[request]) * 1000 for _eid, request, _t, at in received
                if request in replies]
        display_check = {"after": got["first_after"], "events_received": len(ids),
                         "commit_to_received_from_reply": ms_figures(late),
                         "in_order_once": ids == sorted(set(ids)),
                         "missed": len(set(range(got["first_after"] + 1,
                                                 checks["last_event_id"] + 1)) - set(ids))}
    return {"seconds": seconds, "processes": f"{KIOSKS} kiosk + {len(WINDOWS)} window "
            "processes (one HallServerStore each), service in its own process",
            "elapsed_s": round(elapsed, 1), "operations": ops,
            "operations_per_s": round(ops / elapsed, 1), "counts": dict(totals),
            "errors": len(errors), "error_samples": errors[:10],
            **({"service_when_errors": service_state(hall)} if errors else {}),
            "latency_under_load": {k: ms_figures(v) for k, v in samples.items()},
            "display_subscriber": display_check, **checks}


def service_state(hall: Hall) -> dict[str, Any]:
    """Whether the service was still running and what it said: why clients saw errors (a
    refused connection under load: the process died, or its port went away)."""
    out = hall.folder / "serve.out"
    said = out.read_text(encoding="utf-8", errors="replace") if out.exists() else ""
    exit_code = hall.proc.poll() if hall.proc is not None else None
    return {"running": hall.proc is not None and exit_code is None, "exit": exit_code,
            "output_tail": said[-2000:]}


def database_checks(hall: Hall, issued: list[tuple[Any, ...]], called: list[str]
                    ) -> dict[str, Any]:
    """After the run, from the database itself (not through the service)."""
    from hall.app import open_store
    from kiosk.queue.hallconfig import load_hall

    settings = load_hall(hall.folder / "hall.toml")
    store = open_store(hall.database, settings)
    store.open(readonly=True)
    try:
        days = {date.fromisoformat(str(t[2])) for t in issued} or {store.day()}
        rows = [t for d in days for t in store.tickets(d)]
        windows = store.windows()
        last_event = store.last_event_id()
    finally:
        store.close()
    numbers = Counter((t.day, t.number) for t in rows)
    seen_by_kiosks = Counter((str(t[2]), str(t[1])) for t in issued)
    db_ids = {t.ticket_id for t in rows}
    return {"tickets_in_database": len(rows), "tickets_kiosks_got": len(issued),
            "duplicate_numbers_in_database": sum(c - 1 for c in numbers.values() if c > 1),
            "duplicate_numbers_kiosks_got": sum(c - 1 for c in seen_by_kiosks.values() if c > 1),
            "kiosk_tickets_missing_from_database": len({str(t[0]) for t in issued} - db_ids),
            "tickets_called_by_two_windows": sum(c - 1 for c in Counter(called).values()
                                                 if c > 1),
            "windows_holding_a_ticket_at_end": sum(1 for w in windows if w.ticket is not None),
            "states_at_end": dict(Counter(t.state.value for t in rows)),
            "last_event_id": last_event}


# -- workers (separate processes) ---------------------------------------------------------------

def work_kiosk(args: argparse.Namespace) -> dict[str, Any]:
    client = HallServerStore(args.url, token=args.token, probe_s=0, timeout_s=10)
    client.open()
    counts = Counter[str]()
    ms: dict[str, list[float]] = {"issue": [], "printed": []}
    errors: list[str] = []
    tickets: list[tuple[str, str, str]] = []
    replies: dict[str, float] = {}         # request id → when its reply came (time.time())
    wait_until(args.start_at)
    t_start = time.monotonic()
    end = t_start + args.seconds
    i = args.index * 3                               # each kiosk starts at another service
    while time.monotonic() < end:
        i += 1
        try:
            r1, r2 = rid(), rid()
            t0 = time.perf_counter()
            t = client.issue(IssueRequest(service=SERVICES[i % len(SERVICES)],
                                          request_id=r1, owner=f"bench-{os.getpid()}"))
            t1 = time.perf_counter()
            replies[r1] = time.time()
            counts["issue"] += 1
            ms["issue"].append((t1 - t0) * 1000)
            tickets.append((t.ticket_id, t.number, t.day.isoformat()))
            client.printed(t.ticket_id, r2)
            replies[r2] = time.time()
            counts["printed"] += 1
            ms["printed"].append((time.perf_counter() - t1) * 1000)
        except Exception as exc:     # counted and reported: the bench expects none
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
    elapsed = time.monotonic() - t_start
    client.close()
    return {"counts": counts, "ms": ms, "errors": errors, "tickets": tickets,
            "replies": replies, "elapsed_s": elapsed}


def work_window(args: argparse.Namespace) -> dict[str, Any]:
    w = args.window
    staff = WINDOW_STAFF[w]
    client = HallServerStore(args.url, staff_pins=STAFF, probe_s=0, timeout_s=10)
    client.open()
    client.login_window(w, staff)
    counts = Counter[str]()
    ms: dict[str, list[float]] = {"next": [], "start": [], "finish": []}
    errors: list[str] = []
    called: list[str] = []
    replies: dict[str, float] = {}         # request id → when its reply came (time.time())
    wait_until(args.start_at)
    t_start = time.monotonic()
    end = t_start + args.seconds
    while time.monotonic() < end:
        try:
            t0, r = time.perf_counter(), rid()
            try:
                t = client.call_next(w, staff, r)
            except StoreConflict as exc:
                if exc.code != "nobody_waiting":
                    raise
                counts["nobody_waiting"] += 1
                time.sleep(0.01)
                continue
            replies[r] = time.time()
            counts["next"] += 1
            ms["next"].append((time.perf_counter() - t0) * 1000)
            called.append(t.ticket_id)
            for name in ("start", "finish"):
                t0, r = time.perf_counter(), rid()
                window_step(client, name, w, staff, r)
                replies[r] = time.time()
                counts[name] += 1
                ms[name].append((time.perf_counter() - t0) * 1000)
        except Exception as exc:     # counted and reported: the bench expects none
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
    elapsed = time.monotonic() - t_start
    client.close()
    return {"counts": counts, "ms": ms, "errors": errors, "called": called,
            "replies": replies, "elapsed_s": elapsed}


def window_step(client: HallServerStore, name: str, w: int, staff: str,
                request_id: str = "") -> None:
    request_id = request_id or rid()
    if name == "next":
        client.call_next(w, staff, request_id)
    elif name == "start":
        client.start(w, staff, request_id)
    else:
        client.finish(w, staff, "", request_id)


def wait_until(at: float) -> None:
    time.sleep(max(0.0, at - time.time()))


@dataclass
class Stream:
    events: list[tuple[int, str, str, float]] = field(default_factory=list)
    connected: threading.Event = field(default_factory=threading.Event)
    after: int = -1
    failed: str = ""


def work_subscribe(args: argparse.Namespace) -> None:
    """N SSE subscribers (threads, one connection each): 'ready' when all are connected, then
    on 'stop LAST_ID' (stdin) waits until each has LAST_ID and prints what each received."""
    after = int(httpx.get(f"{args.url}/api/health", timeout=10).json()["last_event_id"])
    streams = [Stream() for _ in range(args.subscribers)]

    def follow(s: Stream) -> None:
        try:
            with httpx.Client(transport=transport(), timeout=httpx.Timeout(10, read=30)) as c, \
                    c.stream("GET", f"{args.url}/api/events",
                             headers={"Last-Event-ID": str(after)}) as r:
                eid = None
                for line in r.iter_lines():
                    if line.startswith(": hall events after"):
                        s.after = int(line.rsplit(" ", 1)[1])
                        s.connected.set()
                    elif line.startswith("id: "):
                        eid = int(line[4:])
                    elif line.startswith("data: ") and eid is not None:
                        at = time.time()
                        data = json.loads(line[6:])
                        s.events.append((eid, str(data.get("request_id", "")),
                                         str(data.get("type", "")), at))
                        eid = None
        except Exception as exc:
            s.failed = f"{type(exc).__name__}: {exc}"
            s.connected.set()

    for s in streams:
        threading.Thread(target=follow, args=(s,), daemon=True).start()
    for s in streams:
        s.connected.wait(30)
    bad = [s.failed for s in streams if s.failed or s.after < 0]
    print("ready" if not bad else f"failed: {bad[:3]}", flush=True)
    line = sys.stdin.readline().split()
    last = int(line[1]) if len(line) == 2 else 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(
            (s.events[-1][0] if s.events else after) < last for s in streams):
        time.sleep(0.05)
    print(json.dumps({"first_after": after,
                      "streams": [{"events": s.events, "failed": s.failed} for s in streams]}),
          flush=True)
    os._exit(0)


def worker(args: argparse.Namespace) -> int:
    if args.worker == "subscribe":
        work_subscribe(args)
        return 0
    result = work_kiosk(args) if args.worker == "kiosk" else work_window(args)
    print(json.dumps(result))
    return 0


# -- the run ------------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> dict[str, Any]:
    from tests.support.pg_env import PgServer

    doc: dict[str, Any] = {"benchmark": "bench_hall", "machine": machine(),
                           "settings": {"n": args.n, "events": args.events,
                                        "subscribers": args.subscribers,
                                        "load_s": args.load_s}, "backends": {}}
    started = time.monotonic()
    pg = PgServer().start() if "postgresql" in args.backends else None
    try:
        with tempfile.TemporaryDirectory(prefix="bench-hall-") as tmp:
            root = Path(tmp)
            for backend in args.backends:
                res: dict[str, Any] = {}
                with hall_up(backend, root, pg) as hall:
                    res["latency"] = latency_phase(hall, args.n)
                with hall_up(backend, root, pg) as hall:
                    res["events"] = events_phase(hall, args.events, args.subscribers)
                if args.load_s > 0:
                    with hall_up(backend, root, pg) as hall:
                        res["load"] = load_phase(hall, args.load_s)
                doc["backends"][backend] = res
    finally:
        if pg is not None:
            pg.stop()
    doc["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    doc["seconds"] = round(time.monotonic() - started, 1)
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--n", type=int, default=300, help="requests per latency figure")
    parser.add_argument("--events", type=int, default=200, help="operations in the event phase")
    parser.add_argument("--subscribers", type=int, default=20)
    parser.add_argument("--load-s", type=float, default=60.0, help="0: no load phase")
    parser.add_argument("--out", metavar="FILE", help="also write the JSON here")
    parser.add_argument("--worker", choices=["kiosk", "window", "subscribe"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--window", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=60.0, help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    doc = run(args)
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
