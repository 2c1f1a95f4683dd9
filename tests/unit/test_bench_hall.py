"""bench/bench_hall.py runs end to end at a tiny size (SQLite, a real service process, real
HTTP) and what it counts is right: every request measured, every subscriber got every event
once and in order, and the load phase's own checks (no errors, no duplicate numbers, no ticket
called by two windows, every kiosk's ticket in the database). No timing is asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_hall_runs_and_counts_right(tmp_path: Path) -> None:
    out = tmp_path / "bench_hall.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, str(REPO / "bench" / "bench_hall.py"), "--backends",
                           "sqlite", "--n", "5", "--events", "9", "--subscribers", "2",
                           "--load-s", "2", "--out", str(out)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["machine"]["cores"] and "load_average_at_end" in doc["machine"]
    res = doc["backends"]["sqlite"]

    for op in ("issue", "printed", "next", "start", "finish"):
        assert res["latency"][op]["n"] == 5, op

    ev = res["events"]
    assert ev["subscribers_in_order_once"] == 2 and ev["missed_events_total"] == 0
    # issue, printed, next × 3: each subscriber sees one event per request it caused (the
    # first call-next of a window has nothing to close), so at least 9 each
    assert ev["deliveries"] >= 2 * 9
    assert ev["commit_to_received_from_reply"]["n"] == ev["deliveries"]

    load = res["load"]
    assert load["errors"] == 0, (load["error_samples"], load.get("service_when_errors"))
    assert load["counts"]["issue"] > 0 and load["counts"]["issue"] == load["counts"]["printed"]
    assert load["tickets_in_database"] == load["tickets_kiosks_got"] == load["counts"]["issue"]
    assert load["duplicate_numbers_in_database"] == 0
    assert load["duplicate_numbers_kiosks_got"] == 0
    assert load["kiosk_tickets_missing_from_database"] == 0
    assert load["tickets_called_by_two_windows"] == 0
    assert load["display_subscriber"]["in_order_once"] is True
    assert load["display_subscriber"]["missed"] == 0
    display = load["display_subscriber"]
    assert display["events_received"] == load["last_event_id"] - display["after"] > 0
    # every request of the load phase caused one event, and the display got each of them
    assert display["commit_to_received_from_reply"]["n"] == load["operations"]
