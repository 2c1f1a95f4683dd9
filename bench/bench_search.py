"""Search benchmark: index build time and memory, and query latency per query class, on
synthetic catalogs of 10,847 items (one county-level city's village catalog) and 100,000.

Query classes: 1 character, 2 characters, 3–4 characters, full pinyin, initials, mixed
(initials + characters, digits + characters), phrase (how citizens say it: two words of
different items' fields with filler around them, 我想问一下低保补贴怎么办, or the whole
phrase in pinyin with no space, laonianbutie). Every query is run cold (result cache cleared)
3 times, the median kept, timed on the wall clock and on the thread's CPU clock (the CPU
figure is what the search costs; the wall figure also shows what other processes on the
machine took). `keystrokes`
types pinyin/initials letter by letter as the on-screen keyboard does, with the index's
result cache left on, as in the kiosk. The catalog is frozen out of the garbage collector
before the index is built, as the kiosk freezes its start-up objects after the first frame.
Prints one JSON object.

Run through bench/run.py; alone: PYTHONPATH=. python bench/bench_search.py [--sizes 10847]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import re
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from pypinyin import Style, lazy_pinyin

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.generate import generate_document
from kiosk.search import SearchIndex

PER_CLASS = 200
REPEATS = 3          # each cold query is run 3 times, its median kept (a shared machine)
KEYSTROKE_WORDS = 60
_CJK = re.compile(r"[\u4e00-\u9fff]{2,}")


def _runs(catalog: Catalog, rng: random.Random, k: int) -> list[str]:
    names = [s.name for s in catalog.summaries()]
    out: list[str] = []
    while len(out) < k:
        runs = _CJK.findall(rng.choice(names))
        if runs:
            out.append(rng.choice(runs))
    return out


def _sub(run: str, rng: random.Random, lo: int, hi: int) -> str:
    n = min(len(run), rng.randint(lo, hi))
    i = rng.randrange(len(run) - n + 1)
    return run[i:i + n]


def queries(catalog: Catalog, seed: int = 7) -> dict[str, list[str]]:
    rng = random.Random(seed)
    runs = _runs(catalog, rng, PER_CLASS * 8)
    it = iter(runs)
    q: dict[str, list[str]] = {"1_char": [], "2_chars": [], "3_4_chars": [], "pinyin": [],
                               "initials": [], "mixed": [], "phrase": []}
    for _ in range(PER_CLASS):
        q["1_char"].append(_sub(next(it), rng, 1, 1))
        q["2_chars"].append(_sub(next(it), rng, 2, 2))
        q["3_4_chars"].append(_sub(next(it), rng, 3, 4))
        q["pinyin"].append("".join(lazy_pinyin(_sub(next(it), rng, 2, 3))))
        q["initials"].append("".join(lazy_pinyin(_sub(next(it), rng, 2, 4),
                                                 style=Style.FIRST_LETTER)))
        run = next(it)
        if len(run) >= 4 and rng.random() < 0.7:
            q["mixed"].append("".join(lazy_pinyin(run[:2], style=Style.FIRST_LETTER)) + run[2:4])
        else:
            q["mixed"].append(f"{rng.choice((60, 70, 80, 90))}{_sub(run, rng, 1, 2)}")
        q["phrase"].append(_phrase(rng, next(it), next(it)))
    return q


_BEFORE = ("", "我想", "我要", "请问", "想问一下")
_AFTER = ("", "怎么办", "怎么申请", "要什么材料", "在哪办", "了")


def _phrase(rng: random.Random, a: str, b: str) -> str:
    words = _sub(a, rng, 2, 3) + _sub(b, rng, 2, 2)
    if rng.random() < 0.5:
        return "".join(lazy_pinyin(words))
    return rng.choice(_BEFORE) + words + rng.choice(_AFTER)


def _stats(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {"p50": round(statistics.median(ms), 3),
            "p95": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 3),
            "max": round(ms[-1], 3), "n": len(ms)}


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.thread_time()
    fn()
    return 1000 * (time.perf_counter() - w0), 1000 * (time.thread_time() - c0)


def measure_class(index: SearchIndex, qs: list[str]) -> dict[str, Any]:
    wall: list[float] = []
    cpu: list[float] = []
    for q in qs:
        runs = []
        for _ in range(REPEATS):
            index.clear_cache()
            runs.append(_timed(lambda q=q: index.search(q, 30)))  # type: ignore[misc]
        wall.append(statistics.median(r[0] for r in runs))
        cpu.append(statistics.median(r[1] for r in runs))
    return {"cpu_ms": _stats(cpu), "wall_ms": _stats(wall), "examples": qs[:5]}


def measure_keystrokes(index: SearchIndex, words: list[str]) -> dict[str, Any]:
    """Letter by letter, searching and completing on every key, as the search screen does."""
    search: list[float] = []
    complete: list[float] = []
    index.clear_cache()
    for word in words:
        for i in range(1, len(word) + 1):
            search.append(_timed(lambda p=word[:i]: index.search(p, 30))[1])  # type: ignore[misc]
            complete.append(_timed(lambda p=word[:i]: index.complete(p, 8))[1])  # type: ignore[misc]
    return {"search_cpu_ms": _stats(search), "complete_cpu_ms": _stats(complete),
            "words": len(words)}


def build_figures(catalog: Catalog) -> tuple[SearchIndex, dict[str, Any]]:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    traced = SearchIndex.build(catalog)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    index = SearchIndex.build(catalog)
    wall, cpu = 1000 * (time.perf_counter() - w0), 1000 * (time.process_time() - c0)
    return index, {"build_wall_ms": round(wall), "build_cpu_ms": round(cpu),
                   "index_memory_mb": round((current - before) / 1e6, 1),
                   "build_peak_memory_mb": round((peak - before) / 1e6, 1)}


def bench_size(n: int) -> dict[str, Any]:
    catalog = Catalog.from_document(generate_document(n, 1))
    # As the kiosk does: the catalog is loaded before the first frame, then the start-up
    # objects are frozen out of the garbage collector's sweeps (screens/app.py,
    # after_first_frame) and the index is built after, on its thread. Without this, every
    # full collection during the queries would walk the 100,000 catalog summaries, which
    # the kiosk never does.
    gc.collect()
    gc.freeze()
    try:
        index, figures = build_figures(catalog)
        figures["distinct_names"] = len({s.name for s in catalog.summaries()})
        qs = queries(catalog)
        figures["queries"] = {cls: measure_class(index, qlist) for cls, qlist in qs.items()}
        words = (qs["pinyin"] + qs["initials"])[:: max(1, (2 * PER_CLASS) // KEYSTROKE_WORDS)]
        figures["keystrokes"] = measure_keystrokes(index, words)
    finally:
        gc.unfreeze()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_847, 100_000])
    args = parser.parse_args()
    out: dict[str, Any] = {"generator": "kiosk.catalog.generate (seed 1)", "limit": 30,
                           "per_class": PER_CLASS}
    for n in args.sizes:
        out[str(n)] = bench_size(n)
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
