"""The one benchmark command: `.venv/bin/python bench/run.py [--only NAME …] [--out FILE]`.

Runs every bench/bench_*.py present (each prints one JSON object on stdout) in its own
process, and prints one JSON document: the machine it ran on (cores, CPU model, Python,
pygame-ce version, load average) and each benchmark's figures. Figures, never pass/fail on a
timing; a benchmark that crashes is reported with its error and the exit code is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from machine import machine  # bench/machine.py: the script's own folder

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def run_one(path: Path, timeout: float) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "dummy",
           "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                              cwd=REPO, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    took = round(time.perf_counter() - t0, 1)
    if proc.returncode != 0:
        return {"error": f"exit code {proc.returncode}", "stderr": proc.stderr[-2000:],
                "seconds": took}
    try:
        figures: dict[str, Any] = json.loads(proc.stdout)
    except ValueError as exc:
        return {"error": f"output is not one JSON object: {exc}",
                "stdout": proc.stdout[-2000:], "seconds": took}
    figures.setdefault("seconds", took)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME",
                        help="run only these (e.g. search catalog)")
    parser.add_argument("--out", metavar="FILE", help="also write the JSON document here")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per benchmark")
    args = parser.parse_args(argv)
    benches = sorted(HERE.glob("bench_*.py"))
    if args.only:
        benches = [b for b in benches if b.stem.removeprefix("bench_") in args.only]
    doc: dict[str, Any] = {"started": datetime.now(UTC).isoformat(timespec="seconds"),
                           "machine": machine(), "benchmarks": {}}
    failed = False
    for path in benches:
        name = path.stem.removeprefix("bench_")
        print(f"bench: running {name} …", file=sys.stderr)
        result = run_one(path, args.timeout)
        failed = failed or "error" in result
        doc["benchmarks"][name] = result
    doc["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
