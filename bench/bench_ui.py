"""Touchscreen UI figures, headless (SDL dummy driver) at 1080×1920 with a generated catalog
of 10,847 items in a real SQLite store: start → first interactive frame (a fresh process,
imports included, and an in-process breakdown), frame time while scrolling a long guide and
while typing in search (p50/p95/p99 of one loop turn: input, search, layout, draw, flip), CPU
while idle on the home screen, and resident memory. Prints JSON; passes or fails on nothing.

    python bench/bench_ui.py [--items 10847] [--idle-s 5] [--out FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

T_PROCESS = time.time()
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from machine import machine  # noqa: E402  (bench/machine.py, the script's own folder)

from kiosk.catalog.catalog import Catalog  # noqa: E402
from kiosk.config import Config, load_config  # noqa: E402

SIZE = (1080, 1920)


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory now (VmRSS) or at its highest (VmHWM). Not getrusage's ru_maxrss:
    Linux carries that over exec from the parent, here the catalog generator."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def stats_ms(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 2),
            "p95_ms": round(pct(ms, 0.95), 2), "p99_ms": round(pct(ms, 0.99), 2),
            "max_ms": round(max(ms), 2)}


def bench_config(tmp: Path, n: int) -> Path:
    """A kiosk.toml in `tmp` whose store already holds an n-item generated catalog (the
    import is set-up, not part of any figure)."""
    from kiosk.catalog import open_store
    from kiosk.catalog.generate import generate_document

    doc_path = tmp / "catalog.json"
    doc_path.write_text(json.dumps(generate_document(n, seed=7), ensure_ascii=False), "utf-8")
    text = (REPO / "kiosk.toml").read_text("utf-8")
    text = text.replace('db = "var/catalog.sqlite"', f'db = "{tmp / "catalog.sqlite"}"')
    text = text.replace('seed = "assets/catalog/sample-catalog.json"', f'seed = "{doc_path}"')
    cfg_path = tmp / "kiosk.toml"
    cfg_path.write_text(text, "utf-8")
    open_store(load_config(cfg_path)).close()
    return cfg_path


def with_size(cfg: Config) -> Config:
    d = dataclasses.replace(cfg.display, width=SIZE[0], height=SIZE[1], fullscreen=False,
                            scale=1.0, elder_mode=False)
    return dataclasses.replace(cfg, display=d)


def child_start(cfg_path: Path) -> None:
    """Run in a fresh process: time from process start to the first frame drawn, the way
    `kiosk run` starts (screens.main.build_app: store, search index built in the background)."""
    from screens.main import build_app

    cfg = with_size(load_config(cfg_path))
    t_imports = time.time() - T_PROCESS
    t = time.perf_counter()
    app = build_app(cfg, windowed=True, headless=True)
    t_catalog = time.perf_counter()
    app.open()
    app.step(0)
    t_frame = time.perf_counter()
    first = time.time() - T_PROCESS
    app.after_first_frame()
    index = app.searcher.index()  # type: ignore[attr-defined]
    t_index = time.perf_counter()
    print(json.dumps({"start_to_first_frame_s": round(first, 3),
                      "python_and_imports_s": round(t_imports, 3),
                      "open_catalog_s": round(t_catalog - t, 3),
                      "open_display_and_first_frame_s": round(t_frame - t_catalog, 3),
                      "search_ready_after_start_s": round(first + t_index - t_frame, 3),
                      "items": len(app.catalog), "search": type(index).__name__,
                      "rss_mb_at_first_frame": round(rss_mb(), 1)}))
    app.close()


def measure_start(cfg_path: Path, runs: int = 3) -> dict[str, Any]:
    results = [child(["--child-start", str(cfg_path)]) for _ in range(runs)]
    best = min(results, key=lambda r: r["start_to_first_frame_s"])
    return {**best, "runs_s": [r["start_to_first_frame_s"] for r in results]}


class Feeder:
    """Posts finger events the way SDL does and times each loop turn."""

    def __init__(self, app: Any) -> None:
        import pygame

        self.pg = pygame
        self.app = app
        self.times: list[float] = []

    def post(self, kind: int, x: float, y: float) -> None:
        w, h = self.app.size
        self.pg.event.post(self.pg.event.Event(kind, touch_id=1, finger_id=0, x=x / w,
                                               y=y / h, dx=0.0, dy=0.0, pressure=1.0))

    def turn(self, record: bool = True) -> None:
        t = time.perf_counter()
        self.app.step(0)
        if record:
            self.times.append(time.perf_counter() - t)

    def turn_natural(self) -> None:
        """A loop turn; only turns that drew a frame are timed. Between them a short sleep,
        as the real loop sleeps until input or the next frame."""
        frames = self.app.frames
        t = time.perf_counter()
        self.app.step(0)
        spent = time.perf_counter() - t
        if self.app.frames > frames:
            self.times.append(spent)
        else:
            time.sleep(0.005)

    def tap(self, x: float, y: float) -> None:
        self.post(self.pg.FINGERDOWN, x, y)
        self.turn()
        self.post(self.pg.FINGERUP, x, y)
        self.turn()


def longest_code(catalog: Catalog) -> str:
    return max(catalog.summaries(), key=lambda s: len(s.materials) + len(s.steps)).code


def measure_scroll(app: Any) -> dict[str, Any]:
    from screens.guide import GuideScreen

    code = longest_code(app.catalog)
    app.push(GuideScreen(app, code))
    app.step(0)
    f = Feeder(app)
    view = app.top.view
    x = view.rect.centerx
    for _ in range(4):                      # drag up, flick, glide; then back down
        for sign in (1, -1):
            y = view.rect.bottom - 50 if sign > 0 else view.rect.top + 50
            f.post(f.pg.FINGERDOWN, x, y)
            f.turn()
            for _ in range(40):
                y -= sign * 35
                f.post(f.pg.FINGERMOTION, x, y)
                time.sleep(0.004)
                f.turn()
            f.post(f.pg.FINGERUP, x, y)
            f.turn()
            for _ in range(60):             # momentum frames
                f.turn()
    return {"item": code, "content_px": view.content.content_height(), **stats_ms(f.times)}


def measure_typing(app: Any) -> dict[str, Any]:
    from screens.search import SearchScreen

    app.go_home()
    screen = SearchScreen(app)
    app.push(screen)
    app.step(0)
    keys = {w.label: w for w in screen.keys}
    f = Feeder(app)
    words = ["SHEBAO", "DB", "HUNYIN", "YANGLAO", "JIANFANG", "CANJI", "Q", "ZHUFANG"] * 3
    results = 0
    for word in words:
        for ch in word + "\0":
            key = keys["清空" if ch == "\0" else ch]
            t0 = time.perf_counter()
            f.tap(*key.rect.center)
            while time.perf_counter() - t0 < 0.2:  # a brisk typist: five keys a second
                f.turn_natural()
            results += screen.result.total if screen.result is not None else 0
    return {"keys": sum(len(w) + 1 for w in words), "hits_seen": results,
            "frames": stats_ms(f.times), "search_ms_per_key": stats_ms(search_times(app, words))}


def search_times(app: Any, words: list[str]) -> list[float]:
    """The search index alone, per prefix typed (what a worker thread spends per key)."""
    index = app.searcher.index()
    times = []
    for word in words:
        for i in range(1, len(word) + 1):
            t = time.perf_counter()
            index.search(word[:i].lower(), app.cfg.search.limit)
            index.complete(word[:i].lower(), 8)
            times.append(time.perf_counter() - t)
    return times


def measure_idle(app: Any, seconds: float) -> dict[str, Any]:
    app.go_home()
    app.step(0)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    frames0 = app.frames
    while time.perf_counter() - wall0 < seconds:
        app.step()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 4),
            "cpu_pct_of_one_core": round(100 * cpu / wall, 2), "frames_drawn": app.frames - frames0}


def child_run(cfg_path: Path, idle_s: float) -> None:
    """Run in a fresh process (so the generator's memory is not counted): scrolling, typing,
    idle CPU and memory of a kiosk that has done all of that."""
    from screens.main import build_app

    app = build_app(with_size(load_config(cfg_path)), windowed=True, headless=True)
    app.open()
    app.step(0)
    app.after_first_frame()
    app.searcher.index()  # type: ignore[attr-defined]
    out = {"scroll_long_guide": measure_scroll(app), "typing_in_search": measure_typing(app),
           "idle_home": measure_idle(app, idle_s), "search": type(
               app.searcher.index()).__name__,  # type: ignore[attr-defined]
           "rss_mb": round(rss_mb(), 1),
           "peak_rss_mb": round(rss_mb("VmHWM"), 1)}
    app.close()
    print(json.dumps(out))


def child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=True, cwd=REPO)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(n: int, idle_s: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as d:
        cfg_path = bench_config(Path(d), n)
        start = measure_start(cfg_path)
        rest = child(["--child-run", str(cfg_path), "--idle-s", str(idle_s)])
    return {"bench": "ui", "machine": machine(), "panel": f"{SIZE[0]}x{SIZE[1]} (SDL dummy)",
            "items": n, "start": start, **rest}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    p.add_argument("--items", type=int, default=10_847)
    p.add_argument("--idle-s", type=float, default=5.0)
    p.add_argument("--out", type=Path)
    p.add_argument("--child-start", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--child-run", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child_start:
        child_start(args.child_start)
        return 0
    if args.child_run:
        child_run(args.child_run, args.idle_s)
        return 0
    result = run(args.items, args.idle_s)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


