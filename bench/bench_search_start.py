"""What the search index costs a kiosk at start: a fresh process imports kiosk.search
(jieba, pypinyin, opencc on first use) and builds the index over the sample catalog and over
a synthetic 10,847-item catalog, as kiosk.lookup.BackgroundSearcher does on its thread after
the first frame. Wall and CPU time of the build and the process's peak RSS before and after
(one process per catalog, 3 runs, the median kept). Prints one JSON object.

Run through bench/run.py; alone: PYTHONPATH=. python bench/bench_search_start.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
CHILD = r"""
import json, resource, sys, time
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from kiosk.catalog.catalog import Catalog
n = int(sys.argv[1])
if n:
    from kiosk.catalog.generate import generate_document
    cat = Catalog.from_document(generate_document(n, 1))
else:
    cat = Catalog.from_document(json.loads(open(sys.argv[2], encoding="utf-8").read()))
before = rss()
w0, c0 = time.perf_counter(), time.process_time()
from kiosk.search import SearchIndex
index = SearchIndex.build(cat)
index.search("父亲过世了怎么办", 30)
w1, c1 = time.perf_counter(), time.process_time()
print(json.dumps({"items": len(cat), "wall_ms": 1000 * (w1 - w0), "cpu_ms": 1000 * (c1 - c0),
                  "rss_before_mb": before, "rss_after_mb": rss()}))
"""


def one(n: int) -> dict[str, Any]:
    sample = ROOT / "assets" / "catalog" / "sample-catalog.json"
    runs = []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", CHILD, str(n), str(sample)], cwd=ROOT,
                             capture_output=True, text=True, check=True,
                             env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        runs.append(json.loads(out.stdout))
    keys = ("wall_ms", "cpu_ms", "rss_before_mb", "rss_after_mb")
    med = {k: round(statistics.median(r[k] for r in runs), 1) for k in keys}
    med["rss_growth_mb"] = round(med["rss_after_mb"] - med["rss_before_mb"], 1)
    return {"items": runs[0]["items"], **med}


def main() -> int:
    print(json.dumps({"what": "import kiosk.search + SearchIndex.build + one phrase query, "
                               "fresh process", "runs": RUNS,
                      "sample": one(0), "10847": one(10_847)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
