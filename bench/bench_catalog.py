"""Catalog benchmark: import time and peak memory, summary load (startup) time, item reads.

    .venv/bin/python bench/bench_catalog.py [--sizes 10847,100000] [--starts 5] [--out FILE]

Prints one JSON document (figures, never pass/fail), with the machine it ran on. Each import
and each cold start runs in a fresh Python process, so memory and start-up figures are those
a real `kiosk catalog import FILE` or a kiosk start would see.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from machine import machine  # noqa: E402  (bench/machine.py, the script's own folder)

CHILD_IMPORT = r"""
import json, resource, sys, time, tracemalloc
trace = sys.argv[3] == "trace"
t0 = time.perf_counter()
from kiosk.catalog.store import CatalogStore
from kiosk.catalog.validate import check_catalog_file
if trace:
    tracemalloc.start()
check = check_catalog_file(sys.argv[1])   # the streamed check, as `kiosk catalog import` does
assert not check.problems, check.problems[:3]
t1 = time.perf_counter()
rss_checked = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with CatalogStore(sys.argv[2]) as store:
    report = store.import_checked(check)  # the second streamed pass, writing
t2 = time.perf_counter()
out = {"check_s": t1 - t0, "import_s": report.seconds, "total_s": t2 - t0,
       "ru_maxrss_after_check_mb": rss_checked / 1024,
       "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
if trace:
    out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
print(json.dumps(out))
"""

CHILD_START = r"""
import json, sys, time
t0 = time.perf_counter()
from kiosk.catalog import open_catalog
from kiosk.config import parse_config
cfg = parse_config({"catalog": {"db": sys.argv[1], "seed": ""}})
t1 = time.perf_counter()
cat = open_catalog(cfg)
t2 = time.perf_counter()
cat.get(cat.summaries()[len(cat) // 2].code)
t3 = time.perf_counter()
from kiosk.forms.index import forms_index
with_forms = len(forms_index(cat))        # the 表格打印 list, from the summaries
t4 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "open_catalog_s": t2 - t1, "first_item_s": t3 - t2,
                  "total_s": t3 - t0, "items": len(cat), "forms_index_s": t4 - t3,
                  "items_with_forms": with_forms}))
"""

# A format-1 store (before summaries.forms) made from a current one: SQLite rewrites the table
# without the column, which is the format-1 layout; the next open upgrades it in place.
TO_FORMAT_1 = ("ALTER TABLE summaries DROP COLUMN forms", "PRAGMA user_version=1")


def _child(code: str, *args: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env)
    if out.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _rounded(d: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in d.items()}


def _cold_starts(db: Path, runs: int) -> dict[str, Any]:
    """Median of each figure over `runs` fresh processes: one start is too noisy to compare."""
    starts = [_child(CHILD_START, str(db)) for _ in range(runs)]
    out: dict[str, Any] = {k: statistics.median(s[k] for s in starts) for k in starts[0]}
    out["max_open_catalog_s"] = max(s["open_catalog_s"] for s in starts)
    out["runs"] = runs
    return out


def _upgrade_start(db: Path, work: Path) -> dict[str, Any]:
    """The first start after a software update: a format-1 copy of the store is upgraded by
    open_catalog (once), then a second start finds nothing to do."""
    import shutil
    import sqlite3

    old = work / f"format1-{db.name}"
    shutil.copyfile(db, old)
    conn = sqlite3.connect(old)
    for sql in TO_FORMAT_1:
        conn.execute(sql)
    conn.commit()
    conn.close()
    first = _child(CHILD_START, str(old))
    again = _child(CHILD_START, str(old))
    for p in work.glob(old.name + "*"):
        p.unlink()
    return {"first_open_catalog_s": first["open_catalog_s"],
            "next_open_catalog_s": again["open_catalog_s"],
            "items_with_forms": first["items_with_forms"]}


def _warm_loads(db: Path, runs: int) -> dict[str, float]:
    from kiosk.catalog.store import CatalogStore

    times = []
    with CatalogStore(db) as store:
        for _ in range(runs):
            t = time.perf_counter()
            store.current()
            times.append(time.perf_counter() - t)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}


def _item_reads(db: Path, n: int) -> dict[str, float]:
    import random

    from kiosk.catalog.store import CatalogStore

    with CatalogStore(db) as store:
        cat = store.current()
        assert cat is not None
        codes = random.Random(1).sample([s.code for s in cat], min(n, len(cat)))
        times = []
        for code in codes:
            t = time.perf_counter()
            cat.get(code)
            times.append(time.perf_counter() - t)
    times.sort()
    return {"p50_ms": times[len(times) // 2] * 1e3,
            "p95_ms": times[int(len(times) * 0.95)] * 1e3, "max_ms": times[-1] * 1e3}


def bench_size(n: int, work: Path, trace: bool, starts: int) -> dict[str, Any]:
    from kiosk.catalog.generate import write_file

    src = work / f"catalog-{n}.json"
    t = time.perf_counter()
    write_file(src, n, seed=1)
    result: dict[str, Any] = {"items": n, "generate_s": time.perf_counter() - t,
                              "file_mb": src.stat().st_size / 1e6}
    db = work / f"store-{n}.sqlite"
    result["import"] = _rounded(_child(CHILD_IMPORT, str(src), str(db), "plain"))
    if trace:
        result["import_traced"] = _rounded(_child(CHILD_IMPORT, str(src),
                                                  str(work / f"traced-{n}.sqlite"), "trace"))
    result["store_mb"] = sum(p.stat().st_size for p in work.glob(f"store-{n}.sqlite*")) / 1e6
    result["cold_start"] = _rounded(_cold_starts(db, starts))
    result["upgrade_from_format_1"] = _rounded(_upgrade_start(db, work))
    result["warm_summary_load"] = _rounded(_warm_loads(db, 5))
    result["item_read"] = _rounded(_item_reads(db, 300))
    src.unlink()
    return _rounded(result)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10847,100000",
                    help="comma-separated item counts (default: 10847,100000)")
    ap.add_argument("--trace-max", type=int, default=20000,
                    help="also run a tracemalloc import for sizes up to this (slow)")
    ap.add_argument("--starts", type=int, default=5,
                    help="cold starts (fresh processes) per size; medians are reported")
    ap.add_argument("--out", help="also write the JSON here")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    report: dict[str, Any] = {"benchmark": "catalog", "machine": machine(),
                              "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                              "runs": []}
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        for n in sizes:
            report["runs"].append(bench_size(n, Path(tmp), trace=n <= args.trace_max,
                                         starts=args.starts))
    report["parent_ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
