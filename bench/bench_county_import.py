"""The import a signed update ends in, at a county's scale and beyond: peak memory and time
of `kiosk catalog import FILE` as its own process (the same kiosk.catalog.import_catalog that
kiosk.sync.update runs on the bundle it put back together), at 10,847 and 100,000 items.

    PYTHONPATH=. .venv/bin/python bench/bench_county_import.py [--sizes 10847,100000] [--out FILE]

Peak RSS is the process's own VmHWM (/proc/self/status at exit), not ru_maxrss (which after
fork+exec still counts the bench that forked it). Each size: a first import into an empty
store, then a second import of a one-item change over it (the previous version kept, as on
a kiosk). Figures only; no pass/fail. (A 100,000-item single township cannot travel as one
TUF bundle role — its metadata would pass python-tuf's 5 MB default — so this measures the
import alone; see docs/county.md "Limits".)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from machine import machine  # noqa: E402  (bench/machine.py)

PEAK = ("import atexit, runpy, sys\n"
        "atexit.register(lambda: sys.stderr.write(next(l for l in open('/proc/self/status') "
        "if l.startswith('VmHWM'))))\n"
        "sys.argv[0] = 'kiosk'\n"
        "runpy.run_module('kiosk', run_name='__main__', alter_sys=True)\n")


def kiosk_import(base: Path, catalog: Path) -> dict[str, Any]:
    cfg = base / "kiosk.toml"
    if not cfg.exists():
        base.mkdir(parents=True, exist_ok=True)
        cfg.write_text('[catalog]\ndb = "var/catalog.sqlite"\nseed = ""\n'
                       'forms_dir = "var/forms"\n', "utf-8")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PEAK, "--config", str(cfg), "catalog",
                           "import", str(catalog), "--json"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=base)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"import failed: {proc.stdout[-800:]} {proc.stderr[-800:]}")
    peak_kb = int(proc.stderr.rsplit("VmHWM:", 1)[1].split()[0])
    report = json.loads(proc.stdout)
    return {"wall_s": round(wall, 2), "process_peak_rss_mb": round(peak_kb / 1024, 1),
            "items": report.get("items", report.get("imported")),
            "report_seconds": report.get("seconds")}


def one_size(n: int, tmp: Path) -> dict[str, Any]:
    from kiosk.catalog.generate import generate_document

    t0 = time.perf_counter()
    doc = generate_document(n, seed=1)
    for item in doc["items"]:             # synthetic items name form files nobody has
        item.pop("forms", None)
        for m in item["materials"]:
            m.pop("blank_form", None)
            m.pop("sample_form", None)
    first = tmp / f"catalog-{n}.json"
    first.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    generated = time.perf_counter() - t0
    doc["catalog_version"] += "-b"
    doc["items"][0]["location"] += "（已搬到二楼）"
    second = tmp / f"catalog-{n}-b.json"
    second.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    del doc
    base = tmp / f"kiosk-{n}"
    out: dict[str, Any] = {"items": n, "file_mb": round(first.stat().st_size / 2**20, 1),
                           "generate_s": round(generated, 1)}
    out["import_first"] = kiosk_import(base, first)
    out["import_one_item_changed"] = kiosk_import(base, second)
    out["store_mb"] = round((base / "var" / "catalog.sqlite").stat().st_size / 2**20, 1)
    first.unlink()
    second.unlink()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10847,100000")
    parser.add_argument("--out", metavar="FILE")
    args = parser.parse_args()
    figures: dict[str, Any] = {"benchmark": "county_import", "machine": machine(),
                               "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "runs": []}
    with tempfile.TemporaryDirectory(prefix="bench-county-import-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            figures["runs"].append(one_size(n, Path(tmp)))
    figures["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(figures, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
