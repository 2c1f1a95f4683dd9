"""Fleet health at a county's scale: N simulated kiosks heartbeating for a minute against the
county service — handling time and whether it keeps up.

    PYTHONPATH=. .venv/bin/python bench/bench_county_fleet.py [--kiosks 500] [--seconds 60]

The service is `kiosk county serve` as a separate process (uvicorn, one worker) on a private
PostgreSQL (initdb in a temp folder). The kiosks are enrolled with their own Ed25519 keys and
send what a kiosk sends: one signed heartbeat each per minute (spread over the minute, as
kiosks that started at different times do), and an urgent event from about 2 % of them (paper
out) — through one HTTP client per sending thread. Measured:
- the service's own handling time per request (GET /api/v1/timing, kept by the service);
- each request's round trip as the kiosk sees it;
- sent vs acknowledged, errors, and how late the last heartbeat of the minute was answered
  (keeping up = every message of the minute acknowledged within the minute);
- a burst: all N kiosks at once (after a hall's link comes back), and how long until the
  last is acknowledged.
Figures only; no pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from machine import machine  # noqa: E402  (bench/machine.py)

THREADS = 16


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return round(s[min(len(s) - 1, int(p / 100 * len(s)))] * 1000, 2)


def enrol(db_url: str, n: int) -> list[Any]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from county.service.db import Database
    from county.service.enrol import new_hall, new_kiosk, redeem
    from kiosk.sync.identity import Identity, public_b64

    db = Database(db_url, max_size=4).open()
    out = []
    try:
        halls = [new_hall(db, f"第{h + 1}镇便民服务中心").name for h in range((n + 2) // 3)]
        for i in range(n):
            e = new_kiosk(db, f"{i % 3 + 1}号机", halls[i // 3])
            key = Ed25519PrivateKey.generate()
            redeem(db, e.code, public_b64(key), "kiosk")
            out.append(Identity(e.id, key))
    finally:
        db.close()
    return out


def heartbeat(me: Any, seq: int, epoch: str, paper: str = "FULL") -> dict[str, Any]:
    from datetime import UTC, datetime

    body = {"kiosk_version": "0.1.0", "uptime_s": 3600 + seq * 60, "interval_s": 60,
            "visit": "idle", "disk_free_mb": 50_000,
            "catalog": {"version": "2026.12.01", "published": "2026-12-01", "items": 330,
                        "verified_at": "2026-12-02T08:00:00+00:00",
                        "expires": "2027-01-01T08:00:00+00:00", "expired": False,
                        "last_outcome": "current", "last_reason": "", "words": "目录已是最新"},
            "devices": [{"device": "receipt_printer", "enabled": True, "state": "ONLINE",
                         "paper": paper, "words": "正常", "last_error": ""},
                        {"device": "id_reader", "enabled": True, "state": "ONLINE",
                         "paper": "UNKNOWN", "words": "正常", "last_error": ""}],
            "today": {"guide_viewed": 12, "guide_printed": 3, "ticket_issued": 20}}
    at = datetime.now(UTC).replace(microsecond=0).isoformat()
    signed: dict[str, Any] = me.sign({"v": 1, "kiosk": me.kiosk, "epoch": epoch, "seq": seq,
                                      "kind": "heartbeat", "at": at, "urgent": False,
                                      "body": body})
    return signed


def event(me: Any, seq: int, epoch: str) -> dict[str, Any]:
    from datetime import UTC, datetime

    at = datetime.now(UTC).replace(microsecond=0).isoformat()
    signed: dict[str, Any] = me.sign({
        "v": 1, "kiosk": me.kiosk, "epoch": epoch, "seq": seq, "kind": "event", "at": at,
        "urgent": True, "body": {"event": "paper_out", "device": "receipt_printer",
                                 "state": "ONLINE", "paper": "OUT", "words": "缺纸，请装纸"}})
    return signed


class Load:
    def __init__(self, url: str, kiosks: list[Any]) -> None:
        self.url = url + "/api/fleet/v1/messages"
        self.kiosks = kiosks
        self.seq = dict.fromkeys((k.kiosk for k in kiosks), 0)
        self.lock = threading.Lock()
        self.rtt: list[float] = []
        self.sent = self.acked = self.errors = 0
        self.local = threading.local()

    def client(self) -> httpx.Client:
        c = getattr(self.local, "client", None)
        if c is None:
            c = self.local.client = httpx.Client(timeout=30.0)
        return c

    def send(self, me: Any, urgent: bool = False) -> None:
        with self.lock:
            self.seq[me.kiosk] += 1
            seq = self.seq[me.kiosk]
        msgs = [heartbeat(me, seq, "bench", "OUT" if urgent else "FULL")]
        if urgent:
            with self.lock:
                self.seq[me.kiosk] += 1
            msgs.append(event(me, self.seq[me.kiosk], "bench"))
        batch = me.sign({"v": 1, "sender": "kiosk", "id": me.kiosk, "messages": msgs})
        t0 = time.perf_counter()
        try:
            r = self.client().post(self.url, json=batch)
            ok = r.status_code == 200
            acked = len(r.json().get("acked", [])) if ok else 0
        except httpx.HTTPError:
            ok, acked = False, 0
        took = time.perf_counter() - t0
        with self.lock:
            self.rtt.append(took)
            self.sent += len(msgs)
            self.acked += acked
            self.errors += not ok


def steady(load: Load, seconds: float) -> dict[str, Any]:
    """Each kiosk once per `seconds`, at its own offset; 2 % also send an urgent event."""
    n = len(load.kiosks)
    start = time.monotonic()
    late = 0.0
    with ThreadPoolExecutor(THREADS) as pool:
        futures = []
        for i, me in enumerate(load.kiosks):
            due = start + seconds * i / n
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            late = max(late, time.monotonic() - due)
            futures.append(pool.submit(load.send, me, i % 50 == 7))
        for f in futures:
            f.result()
    took = time.monotonic() - start
    return {"kiosks": n, "window_s": seconds, "requests": len(load.rtt),
            "messages_sent": load.sent, "messages_acked": load.acked, "errors": load.errors,
            "all_done_after_s": round(took, 2), "keeps_up": load.acked == load.sent and
            took <= seconds + 5, "schedule_slip_max_s": round(late, 3),
            "round_trip_ms": {"p50": pct(load.rtt, 50), "p95": pct(load.rtt, 95),
                              "p99": pct(load.rtt, 99), "max": pct(load.rtt, 100)}}


def burst(load: Load) -> dict[str, Any]:
    load.rtt, load.sent, load.acked, load.errors = [], 0, 0, 0
    start = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(load.send, load.kiosks))
    return {"kiosks": len(load.kiosks), "drained_after_s": round(time.monotonic() - start, 2),
            "messages_acked": load.acked, "errors": load.errors,
            "round_trip_ms": {"p50": pct(load.rtt, 50), "p95": pct(load.rtt, 95)}}


def server_timing(url: str, db_url: str, last: int = 0) -> dict[str, Any]:
    from county.service.auth import add_operator
    from county.service.db import Database

    db = Database(db_url, max_size=2).open()
    if db.one("SELECT 1 FROM operators WHERE name = 'bench'") is None:
        add_operator(db, "bench", "bench-pass-1")
    db.close()
    c = httpx.Client(base_url=url)
    c.post("/login", data={"name": "bench", "password": "bench-pass-1"})
    r = c.get("/api/v1/timing" + (f"?last={last}" if last else ""))
    return dict(r.json()) if r.status_code == 200 else {"error": r.text[:200]}


def start_service(db_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "county", "serve", "--listen",
                             f"127.0.0.1:{port}", "--database", db_url],
                            stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"county service did not start: {log.read_text()[-800:]}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosks", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--out", metavar="FILE")
    args = parser.parse_args()
    from county.service.localpg import PrivatePostgres
    from tests.support.county_service import free_port

    pg = PrivatePostgres().start()
    proc = None
    try:
        db_url = pg.create_db("bench")
        kiosks = enrol(db_url, args.kiosks)
        port = free_port()
        with tempfile.TemporaryDirectory() as tmp:
            proc = start_service(db_url, port, Path(tmp) / "serve.log")
            url = f"http://127.0.0.1:{port}"
            load = Load(url, kiosks)
            figures: dict[str, Any] = {"machine": machine(), "steady": steady(load, args.seconds)}
            figures["server_handling_ms_steady"] = server_timing(url, db_url)
            figures["burst"] = burst(load)
            figures["server_handling_ms_burst"] = server_timing(url, db_url, args.kiosks)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
        pg.stop()
    figures["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(figures, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
