"""The hall's fault-injection run (issue 14), shared by bench/hall_fault_run.py (the full run,
figures in bench/results/hall-fault-run.json) and tests/integration/test_hall_fault_run.py (a
short honest run asserting the same invariants).

Real parts on loopback: the hall service as a real process (`kiosk hall serve`, SQLite file or
PostgreSQL), killed with SIGKILL and started again; 4 kiosk processes (QueueService over
HallServerStore, a printer that sometimes fails before or during a slip), killed with SIGKILL
and started again; 6 windows (staff sessions over HTTP) calling, starting, finishing, 过号,
重呼 and 转移; every request through DropProxy, which loses some replies after the commit (the
clients retry with the same request id); one subscriber on the SSE stream that resumes with
Last-Event-ID after every break. Then, from the database and what the clients were told:

- duplicate_numbers: two tickets with one (day, number), or one number given to two tickets;
- open_at_two_windows: replaying the event log, a ticket called/serving at one window while
  open at another, or a window holding two open tickets;
- events_missing / events_twice / events_out_of_order at the resuming subscriber;
- numbers_skipped: a number of 1..max (per prefix) with no ticket; voids_without_reason;
- citizen_numbers_voided: a number a kiosk handed over (printed, or "still valid") that was
  voided other than by the hall's 过号 rule (issue 17: what a citizen holds is never dead);
- answered_but_lost: a command a client was answered whose event is not in the log.

    python -m tests.support.hall_faults kiosk …    (the kiosk process; started by the run)
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from devices.outcome import JobOutcome
from hall.app import open_store
from kiosk.errors import QueueError
from kiosk.queue.hallconfig import load_hall
from kiosk.queue.model import Event, Ticket
from kiosk.queue.remote_store import HallServerStore, join
from kiosk.queue.store import QueueStoreError, StoreConflict
from tests.support.drop_proxy import DropProxy
from tests.support.hall_env import STAFF
from tests.support.hall_process import REPO, HallProcess, prepare

HALL_TOML = """
[hall]
name = "故障演练便民服务中心"

[queue]
recall_interval_s = 0

[no_show]
policy = "back"
places = 2
max_no_shows = 2

[[services]]
name = "社保医保"
prefix = "A"
requires_id = true
hours = ["00:00-24:00"]
daily_limit = 999
per_person_daily_limit = 5

[[services]]
name = "户籍办理"
prefix = "B"
hours = ["00:00-24:00"]
daily_limit = 999

[[services]]
name = "综合咨询"
prefix = "C"
hours = ["00:00-24:00"]
daily_limit = 999

[[windows]]
number = 1
services = ["A"]
[[windows]]
number = 2
services = ["A", "B"]
[[windows]]
number = 3
services = ["B", "C"]
[[windows]]
number = 4
services = ["C"]
[[windows]]
number = 5
services = ["C", "A"]
[[windows]]
number = 6
services = ["B"]

[server]
database = "{database}"
log_dir = "var/log"
"""
WINDOW_STAFF = {n: f"100{n}" for n in range(1, 7)}
OPEN_TYPES = ("ticket.called", "ticket.recalled", "ticket.serving")
INVARIANTS = ("duplicate_numbers", "open_at_two_windows", "events_missing", "events_twice",
              "events_out_of_order", "numbers_skipped", "voids_without_reason",
              "citizen_numbers_voided", "answered_but_lost", "id_numbers_in_hall_files")
"""The figures whose target is 0 (the test asserts them; the bench reports them)."""
COUNTED = ("next", "start", "finish", "no_show", "recall", "transfer")
CLOSE_TYPES = ("ticket.done", "ticket.no_show", "ticket.transferred", "ticket.void")


@dataclass
class Plan:
    backend: str                      # "sqlite" or "postgresql"
    ops: int = 2000
    kiosks: int = 4
    windows: int = 6
    seed: int = 14
    drop_p: float = 0.04              # a POST's reply lost after the commit
    service_kill_s: tuple[float, float] = (6.0, 12.0)
    kiosk_kill_s: tuple[float, float] = (2.0, 5.0)
    max_s: float = 900.0
    # Go on past `ops` until this many of each kill happened: on a quiet machine a short run
    # reached its operations before the first planned service kill and proved nothing.
    min_service_kills: int = 1
    min_kiosk_kills: int = 1


class RunStopped(Exception):
    """A window still retrying an action when the run was told to stop."""


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    window_ops: Counter[str] = field(default_factory=Counter)
    window_retries: int = 0
    answered: list[str] = field(default_factory=list)      # request ids a window was answered
    problems: list[str] = field(default_factory=list)

    def add(self, action: str, rid: str) -> None:
        with self.lock:
            self.window_ops[action] += 1
            if action in COUNTED:           # a command: its event carries its request id
                self.answered.append(rid)


# -- the kiosk process ------------------------------------------------------------------------

def _kiosk_main(argv: list[str]) -> None:
    from kiosk.config import parse_config
    from kiosk.queue.identity import CardInfo
    from kiosk.queue.service import QueueService
    from kiosk.receipts.ticket import TicketSlip

    ap = argparse.ArgumentParser()
    ap.add_argument("--url")
    ap.add_argument("--box")
    ap.add_argument("--name")
    ap.add_argument("--seed", type=int)
    a = ap.parse_args(argv)
    box = Path(a.box)
    rng = random.Random(a.seed)
    log_fd = os.open(box / "takes.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def note(**row: Any) -> None:
        os.write(log_fd, (json.dumps(row, ensure_ascii=False) + "\n").encode())

    def printer(slip: TicketSlip) -> JobOutcome:
        note(printing=slip.number, ticket=slip.ticket_id, pid=os.getpid())
        time.sleep(rng.uniform(0.005, 0.04))        # a slip takes time; a kill may land here
        roll = rng.random()
        if roll < 0.03:
            return JobOutcome(ok=False, detail="paper out before the job",
                              message="打印纸用完了", bytes_sent=0)
        if roll < 0.05:
            return JobOutcome(ok=False, detail="paper out mid-slip", message="打印纸用完了",
                              bytes_sent=rng.randint(1, 700))
        return JobOutcome(ok=True, bytes_sent=800)

    cfg = parse_config({"queue": {"server": a.url, "secret_file": "secret.key"}},
                       base_dir=str(box))
    store = HallServerStore(a.url, token_file=box / "token.json", timeout_s=2, probe_s=0.3)
    q = QueueService(cfg, store, printer, kiosk=a.name, repeat_guard_s=0)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:                                    # the hall may be down as this kiosk starts
        try:
            q.open()
            break
        except QueueError:
            store.close()
            time.sleep(0.3)
    try:
        while True:
            _kiosk_take(q, rng, note, CardInfo)
    finally:
        q.close()


def _kiosk_take(q: Any, rng: random.Random, note: Callable[..., None], card_type: Any) -> None:
    service = rng.choice("ABC")
    card = None
    if service == "A" or rng.random() < 0.3:
        born = date(1940 + rng.randint(0, 60), rng.randint(1, 12), rng.randint(1, 28))
        card = card_type(f"11010{rng.randint(10**12, 10**13 - 1)}", born, "王*明")
        note(card=card.id_number)
    r = q.take(service, card)
    note(status=r.status.value, service=service, number=r.ticket.number if r.ticket else "",
         ticket=r.ticket.ticket_id if r.ticket else "", detail=r.detail[:120])
    if r.status.value in ("error", "refused"):
        time.sleep(0.2)


# -- the run ----------------------------------------------------------------------------------

class KioskProc:
    def __init__(self, box: Path, url: str, name: str, seed: int) -> None:
        self.box, self.url, self.name, self.seed = box, url, name, seed
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0
        self.starts = 0

    def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        out = (self.box / "kiosk.out").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.hall_faults", "kiosk", "--url", self.url,
             "--box", str(self.box), "--name", self.name, "--seed",
             str(self.seed * 1000 + self.starts)], cwd=REPO, env=env, stdout=out,
            stderr=subprocess.STDOUT)
        out.close()
        self.starts += 1

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
            self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def takes(self) -> list[dict[str, Any]]:
        path = self.box / "takes.jsonl"
        if not path.exists():
            return []
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):    # a line cut by SIGKILL
                rows.append(json.loads(line))
        return rows


class Window(threading.Thread):
    """One window's staff member: calls, starts, finishes, 过号, 重呼, 转移 — each command with
    a request id that is sent again (the same) until the hall answers."""

    def __init__(self, number: int, url: str, tally: Tally, stop: threading.Event,
                 seed: int) -> None:
        super().__init__(name=f"window-{number}", daemon=True)
        self.number, self.url, self.tally, self.stop = number, url, tally, stop
        self.rng = random.Random(seed)
        self.staff = WINDOW_STAFF[number]
        self.store = HallServerStore(url, staff_pins=STAFF, timeout_s=3, probe_s=0)
        self.current: Ticket | None = None

    def run(self) -> None:
        self.store.open()
        try:
            self._retry("login", lambda rid: self.store.login_window(self.number, self.staff,
                                                                       rid))
            while not self.stop.is_set():
                self._step()
                time.sleep(self.rng.uniform(0.0, 0.03))
        except RunStopped:
            pass           # not a finding: the action was unanswered, the checks read the hall
        except Exception as exc:  # the run reports it; never a silent thread death
            with self.tally.lock:
                self.tally.problems.append(f"window {self.number}: {type(exc).__name__}: "
                                           f"{exc}")
        finally:
            self.store.close()

    def _retry(self, action: str, fn: Callable[[str], Any]) -> Any:
        rid = f"w{self.number}-{uuid.uuid4().hex}"
        while True:
            try:
                out = fn(rid)
            except QueueStoreError:
                with self.tally.lock:
                    self.tally.window_retries += 1
                if self.stop.is_set():
                    raise RunStopped from None   # the run ended while this one retried
                time.sleep(0.3)
                continue
            self.tally.add(action, rid)
            return out

    def _step(self) -> None:
        t = self.current
        try:
            if t is None:
                self.current = self._retry("next", lambda rid: self.store.call_next(
                    self.number, self.staff, rid))
                return
            roll = self.rng.random()
            if t.state.value == "called":
                if roll < 0.12:
                    self.current = None
                    self._retry("no_show", lambda rid: self.store.no_show(
                        self.number, self.staff, rid))
                elif roll < 0.2:
                    self.current = self._retry("recall", lambda rid: self.store.recall(
                        self.number, self.staff, rid))
                else:
                    self.current = self._retry("start", lambda rid: self.store.start(
                        self.number, self.staff, rid))
            elif roll < 0.08:
                other = self.rng.choice([s for s in "ABC" if s != t.service_prefix])
                self.current = None
                self._retry("transfer", lambda rid: self.store.transfer(
                    self.number, self.staff, other, None, rid))
            else:
                self.current = None
                self._retry("finish", lambda rid: self.store.finish(
                    self.number, self.staff, "", rid))
        except StoreConflict as exc:
            if exc.code == "nobody_waiting":
                time.sleep(0.25)             # as staff would: look again in a moment
                return
            with self.tally.lock:
                self.tally.window_ops[f"conflict:{exc.code}"] += 1
            self._resync()

    def _resync(self) -> None:
        view = self._retry("read", lambda _rid: self.store.window(self.number))
        self.current = view.ticket


class Subscriber(threading.Thread):
    """The SSE stream, resumed with Last-Event-ID after every break (the service killed, or
    this subscriber dropping its connection on purpose now and then)."""

    def __init__(self, url: str, stop: threading.Event, seed: int) -> None:
        super().__init__(name="subscriber", daemon=True)
        self.url, self.stop = url, stop
        self.rng = random.Random(seed)
        self.ids: list[int] = []
        self.resumes = 0

    def run(self) -> None:
        while not self.stop.is_set():
            last = self.ids[-1] if self.ids else 0
            cut_after = self.rng.uniform(1.0, 4.0)
            try:
                with httpx.stream("GET", self.url + "/api/events",
                                  headers={"Last-Event-ID": str(last)},
                                  timeout=httpx.Timeout(5, read=5)) as r:
                    if r.status_code != 200:
                        time.sleep(0.3)
                        continue
                    self._read(r, time.monotonic() + cut_after)
            except (httpx.HTTPError, OSError):
                time.sleep(0.2)
            self.resumes += 1

    def _read(self, r: httpx.Response, until: float) -> None:
        for line in r.iter_lines():
            if line.startswith("id: "):
                self.ids.append(int(line[4:]))
            if time.monotonic() > until and not self.stop.is_set():
                return
            if self.stop.is_set() and time.monotonic() > until:
                return

    def drain(self, last_id: int, timeout: float = 30) -> None:
        """After the run: keep reading until every event up to `last_id` came (or time)."""
        deadline = time.monotonic() + timeout
        while (not self.ids or self.ids[-1] < last_id) and time.monotonic() < deadline:
            try:
                with httpx.stream("GET", self.url + "/api/events",
                                  headers={"Last-Event-ID": str(self.ids[-1] if self.ids
                                                                else 0)},
                                  timeout=httpx.Timeout(5, read=3)) as r:
                    for line in r.iter_lines():
                        if line.startswith("id: "):
                            self.ids.append(int(line[4:]))
                            if self.ids[-1] >= last_id:
                                return
            except (httpx.HTTPError, OSError):
                time.sleep(0.2)
            self.resumes += 1


def run(plan: Plan, work: Path, database: str) -> dict[str, Any]:
    """One fault run on `database` ("sqlite:…" or a postgresql:// URL); returns its figures."""
    rng = random.Random(plan.seed)
    hall_dir = work / "hall-pc"
    names = [f"kiosk-{i}" for i in range(1, plan.kiosks + 1)]
    codes = prepare(hall_dir, HALL_TOML.replace("{database}", database), names)
    hall = HallProcess(hall_dir)
    hall.start()
    dropped_lock = threading.Lock()

    def drop(line: str) -> bool:
        if not line.startswith("POST ") or "/api/staff/login" in line:
            return False
        with dropped_lock:
            return rng.random() < plan.drop_p

    stop = threading.Event()
    tally = Tally()
    started = time.monotonic()
    with DropProxy(("127.0.0.1", hall.port), drop=drop) as proxy:
        kiosks = []
        for i, name in enumerate(names):
            box = work / name
            box.mkdir()
            join(hall.url, codes[name], box / "token.json", box / "secret.key")
            k = KioskProc(box, proxy.url, name, plan.seed * 10 + i)
            k.start()
            kiosks.append(k)
        sub = Subscriber(hall.url, stop, plan.seed)
        sub.start()
        windows = [Window(n, proxy.url, tally, stop, plan.seed * 100 + n)
                   for n in range(1, plan.windows + 1)]
        for w in windows:
            w.start()

        def ops() -> int:
            return sum(len([r for r in k.takes() if "status" in r]) for k in kiosks) + \
                sum(v for a, v in tally.window_ops.items() if a in COUNTED)

        _chaos(plan, rng, hall, kiosks, ops, started)
        stop.set()
        for k in kiosks:
            k.stop()
        for w in windows:
            w.join(30)
        sub.join(15)
        busy_s = time.monotonic() - started
        total_ops = ops()
        if not hall.alive():
            hall.start()
        store_last = httpx.get(hall.url + "/api/health", timeout=10).json()["last_event_id"]
        sub.drain(int(store_last))
        figures = _check(hall_dir, kiosks, tally, sub, int(store_last))
        hall.stop()
    figures.update({
        "backend": plan.backend, "ops": total_ops, "seconds": round(busy_s, 1),
        "kiosks": plan.kiosks, "windows": plan.windows,
        "service_kills": hall.kills, "kiosk_kills": sum(k.kills for k in kiosks),
        "replies_dropped_after_commit": proxy.dropped,
        "window_ops": dict(sorted(tally.window_ops.items())),
        "window_retries_same_request_id": tally.window_retries,
        "subscriber_resumes": sub.resumes, "thread_problems": tally.problems[:5]})
    return figures


def _chaos(plan: Plan, rng: random.Random, hall: HallProcess, kiosks: list[KioskProc],
           ops: Callable[[], int], started: float) -> None:
    """Kill the service and kiosk processes at random moments until enough operations ran."""
    now = time.monotonic()
    next_service = now + rng.uniform(*plan.service_kill_s)
    next_kiosk = now + rng.uniform(*plan.kiosk_kill_s)
    restarted = now

    def enough() -> bool:
        # ... and a moment after the last restart, so the run does not end on a service
        # that is still coming back
        return (ops() >= plan.ops and hall.kills >= plan.min_service_kills
                and sum(k.kills for k in kiosks) >= plan.min_kiosk_kills
                and time.monotonic() - restarted >= 2.0)

    while not enough() and time.monotonic() - started < plan.max_s:
        time.sleep(0.1)
        now = time.monotonic()
        if now >= next_service:
            hall.kill()
            time.sleep(rng.uniform(0.2, 1.0))
            hall.start()
            restarted = time.monotonic()
            next_service = restarted + rng.uniform(*plan.service_kill_s)
        if now >= next_kiosk:
            k = rng.choice(kiosks)
            k.kill()
            time.sleep(rng.uniform(0.0, 0.5))
            k.start()
            next_kiosk = time.monotonic() + rng.uniform(*plan.kiosk_kill_s)
        for k in kiosks:                # a kiosk that died by itself is a finding
            if k.proc is not None and k.proc.poll() not in (None, -signal.SIGKILL):
                raise RuntimeError(f"{k.name} exited {k.proc.returncode}: "
                                   f"{(k.box / 'kiosk.out').read_text()[-2000:]}")


# -- the checks -------------------------------------------------------------------------------

def _check(hall_dir: Path, kiosks: list[KioskProc], tally: Tally, sub: Subscriber,
           last_id: int) -> dict[str, Any]:
    settings = load_hall(hall_dir / "hall.toml")
    later = datetime.now() + timedelta(minutes=3)
    store = open_store(settings.server.database, settings, clock=lambda: later)
    store.open()
    try:
        issuing_at_end = [t.number for t in store.tickets() if t.state.value == "issuing"]
        settled = store.recover(owner="", kiosk="")    # the hall's own sweep, 2 minutes on
        tickets = store.tickets()
        events = store.events_after(0, 10_000_000)
    finally:
        store.close()
    takes = [r for k in kiosks for r in k.takes()]
    out: dict[str, Any] = {"tickets": len(tickets), "events": len(events)}
    out["kiosk_takes"] = dict(Counter(r["status"] for r in takes if "status" in r))
    out.update(_numbers(tickets, takes))
    out["open_at_two_windows"] = _open_twice(events)
    out.update(_stream(sub.ids, last_id))
    logged = {e.request_id for e in events}
    out["answered_but_lost"] = sum(1 for rid in tally.answered if rid not in logged)
    out["issuing_at_end"] = len(issuing_at_end)
    out["settled_as_verify_by_the_sweep"] = len(settled)
    out["final_states"] = dict(Counter(t.state.value for t in tickets))
    cards = {r["card"] for r in takes if "card" in r}
    out["id_numbers_in_hall_files"] = _leaks(hall_dir, cards)
    return out


def _numbers(tickets: list[Ticket], takes: list[dict[str, Any]]) -> dict[str, Any]:
    by_number = Counter((t.day, t.number) for t in tickets)
    given: dict[str, set[str]] = {}
    for r in takes:
        if r.get("number"):
            given.setdefault(r["number"], set()).add(r["ticket"])
    duplicates = sum(c - 1 for c in by_number.values() if c > 1) + sum(
        len(ids) - 1 for ids in given.values() if len(ids) > 1)
    skipped = 0
    seqs: dict[str, list[int]] = {}
    for t in tickets:
        seqs.setdefault(t.number.rstrip("0123456789"), []).append(
            int(t.number[len(t.number.rstrip("0123456789")):]))
    for nums in seqs.values():
        skipped += len(set(range(1, max(nums) + 1)) - set(nums))
    voids = [t for t in tickets if t.state.value == "void"]
    held = {r["ticket"] for r in takes if r.get("status") in ("issued", "incomplete")}
    return {
        "duplicate_numbers": duplicates, "numbers_skipped": skipped,
        "voids": len(voids), "voids_without_reason": sum(1 for t in voids if not t.void_reason),
        "void_reasons": dict(Counter(t.void_reason for t in voids)),
        "citizen_numbers_voided": sum(1 for t in voids if t.ticket_id in held
                                      and t.void_reason != "no_show"),
    }


def _open_twice(events: list[Event]) -> int:
    """Replay the log: a ticket opened at a window while open at another, or a window that
    opens a second ticket before closing its first."""
    where: dict[str, int] = {}
    holding: dict[int, str] = {}
    bad = 0
    for e in events:
        t = e.ticket_id
        if e.type.value in OPEN_TYPES and e.window is not None and t:
            if where.get(t, e.window) != e.window or holding.get(e.window, t) != t:
                bad += 1
            where[t], holding[e.window] = e.window, t
        elif e.type.value in CLOSE_TYPES and t and t in where:
            holding.pop(where.pop(t), None)
    return bad


def _stream(ids: list[int], last_id: int) -> dict[str, Any]:
    seen = Counter(ids)
    return {"events_received": len(ids),
            "events_missing": len(set(range(1, last_id + 1)) - set(seen)),
            "events_twice": sum(c - 1 for c in seen.values() if c > 1),
            "events_out_of_order": sum(1 for a, b in itertools.pairwise(ids) if b <= a)}


def _leaks(hall_dir: Path, cards: set[str]) -> int:
    """ID numbers the kiosks read, found in the hall's SQLite files or its logs (bytes)."""
    blobs = [p.read_bytes() for p in hall_dir.rglob("*") if p.is_file()]
    return sum(1 for c in cards for b in blobs if c.encode() in b)


if __name__ == "__main__":
    if sys.argv[1:2] == ["kiosk"]:
        _kiosk_main(sys.argv[2:])
