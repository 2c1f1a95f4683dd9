"""The hall's fault-injection run, short (the full run of ≥ 2,000 operations per backend is
bench/hall_fault_run.py; figures in bench/results/hall-fault-run.json): 4 kiosk processes and
6 windows through a proxy losing replies after the commit, the real `kiosk hall serve` and the
kiosks killed with SIGKILL and started again, a subscriber resuming its event stream — on the
SQLite file and on the private PostgreSQL. Every invariant of tests/support/hall_faults.py is 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.hall_env import drop_database, new_database
from tests.support.hall_faults import INVARIANTS, Plan, run
from tests.support.pg_env import PgServer

OPS = 200


def short(backend: str, seed: int) -> Plan:
    return Plan(backend, ops=OPS, seed=seed, service_kill_s=(4.0, 7.0), kiosk_kill_s=(2.0, 4.0),
                max_s=240.0)


def check(figures: dict[str, Any]) -> None:
    said = json.dumps(figures, ensure_ascii=False, default=str)   # whole: pytest cuts a dict
    found = {k: figures[k] for k in INVARIANTS if figures[k] != 0}
    assert found == {}, f"invariants broken: {found}; figures: {said}"
    assert figures["thread_problems"] == [], said
    assert figures["ops"] >= OPS, said
    # the faults really happened (not a quiet run that proves nothing)
    assert figures["service_kills"] >= 1 and figures["kiosk_kills"] >= 1, said
    assert figures["replies_dropped_after_commit"] >= 1, said


@pytest.mark.timeout(400)
def test_fault_run_on_sqlite(tmp_path: Path) -> None:
    check(run(short("sqlite", 141), tmp_path, "sqlite:var/hall.sqlite"))


@pytest.mark.timeout(400)
def test_fault_run_on_postgresql(pg: PgServer, tmp_path: Path) -> None:
    database = new_database(pg)
    try:
        check(run(short("postgresql", 142), tmp_path, database))
    finally:
        drop_database(pg, database)
