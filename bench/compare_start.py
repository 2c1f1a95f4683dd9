"""Start-up to a ready Catalog: this tree against another (e.g. main before a store format
change), fresh processes alternating so both see the same machine load. Not run by
bench/run.py (it needs the other tree); prints JSON, passes or fails on nothing.

    git archive <commit> | tar -x -C /tmp/base
    .venv/bin/python bench/compare_start.py --base /tmp/base [--items 10847] [--runs 10]

Each tree imports the same generated catalog (seed 1) into its own store with its own code,
then `open_catalog` is timed in `--runs` fresh processes per tree; `store.current()` warm and
the summaries' memory (tracemalloc) once each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from machine import machine  # noqa: E402  (bench/machine.py, the script's own folder)

MAKE = r"""
import sys
from kiosk.catalog.generate import generate_document
from kiosk.catalog.store import CatalogStore
with CatalogStore(sys.argv[1]) as s:
    s.import_valid(generate_document(int(sys.argv[2]), seed=1))
"""

START = r"""
import json, sys, time
from kiosk.catalog import open_catalog
from kiosk.config import parse_config
cfg = parse_config({"catalog": {"db": sys.argv[1], "seed": ""}})
t = time.perf_counter()
open_catalog(cfg)
print(json.dumps({"open_catalog_s": time.perf_counter() - t}))
"""

WARM = r"""
import json, statistics, sys, time, tracemalloc
from kiosk.catalog.store import CatalogStore
with CatalogStore(sys.argv[1]) as s:
    times = []
    for _ in range(7):
        t = time.perf_counter()
        s.current()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    cat = s.current()
    mem = tracemalloc.get_traced_memory()[0]
print(json.dumps({"warm_median_s": statistics.median(times), "summaries_mb": mem / 2**20}))
"""


def _run(tree: Path, code: str, *args: object) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(tree)})
    if out.returncode != 0:
        raise SystemExit(f"{tree}: step failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout) if out.stdout.strip() else {}
    return result


def compare(base: Path, items: int, runs: int) -> dict[str, Any]:
    trees = {"base": base, "this": REPO}
    with tempfile.TemporaryDirectory(prefix="kiosk-compare-") as tmp:
        dbs = {name: Path(tmp, f"{name}.sqlite") for name in trees}
        for name, tree in trees.items():
            _run(tree, MAKE, dbs[name], items)
        starts: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(runs):
            for name, tree in trees.items():
                starts[name].append(_run(tree, START, dbs[name])["open_catalog_s"])
        out: dict[str, Any] = {}
        for name, tree in trees.items():
            s = sorted(starts[name])
            out[name] = {"tree": str(tree), "open_catalog_median_s": statistics.median(s),
                         "open_catalog_min_s": s[0], "open_catalog_max_s": s[-1],
                         **_run(tree, WARM, dbs[name])}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=Path, required=True, help="the other tree (a checkout)")
    ap.add_argument("--items", type=int, default=10847)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    result = {"machine": machine(), "items": args.items, "runs": args.runs,
              **compare(args.base.resolve(), args.items, args.runs),
              "load_average_at_end": list(os.getloadavg())}
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
