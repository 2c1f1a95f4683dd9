"""The hall's fault-injection run (issue 14), against each backend:

    .venv/bin/python bench/hall_fault_run.py [--ops 2000] [--backends sqlite,postgresql]
                                             [--seed 14] [--out bench/results/hall-fault-run.json]

4 kiosk processes × 6 windows through a proxy that loses replies after the commit, the hall
service (`kiosk hall serve`, a real process) and the kiosks killed with SIGKILL at random
moments and started again, one SSE subscriber resuming with Last-Event-ID; the machinery and
the meaning of each figure are in tests/support/hall_faults.py. PostgreSQL is a private server
(tests/support/pg_env.py, Debian's postgresql package). Prints one JSON document (figures with
the machine; the invariants' targets are 0) and writes it to --out. The test suite runs the
same thing short (tests/integration/test_hall_fault_run.py) and asserts the zeros.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from machine import machine  # noqa: E402

from tests.support.hall_env import drop_database, new_database  # noqa: E402
from tests.support.hall_faults import INVARIANTS, Plan, run  # noqa: E402
from tests.support.pg_env import PgServer  # noqa: E402


def one(backend: str, ops: int, seed: int, pg: PgServer | None) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"hall-fault-{backend}-"))
    database = new_database(pg) if pg is not None else "sqlite:var/hall.sqlite"
    try:
        return run(Plan(backend, ops=ops, seed=seed), work, database)
    finally:
        if pg is not None:
            drop_database(pg, database)
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ops", type=int, default=2000)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "hall-fault-run.json"))
    a = ap.parse_args()
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    out: dict[str, Any] = {"bench": "hall_fault_run", "command": " ".join(sys.argv),
                           "started": started, "machine": machine(), "runs": {}}
    pg: PgServer | None = None
    try:
        for backend in a.backends.split(","):
            if backend == "postgresql" and pg is None:
                pg = PgServer().start()
            out["runs"][backend] = one(backend, a.ops, a.seed,
                                       pg if backend == "postgresql" else None)
            print(f"{backend}: {json.dumps(out['runs'][backend], ensure_ascii=False)}",
                  file=sys.stderr, flush=True)
    finally:
        if pg is not None:
            pg.stop()
    out["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    out["invariants_all_zero"] = all(r[k] == 0 for r in out["runs"].values()
                                     for k in INVARIANTS)
    text = json.dumps(out, ensure_ascii=False, indent=2)
    Path(a.out).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
