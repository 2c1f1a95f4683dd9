"""Fault run (issue 13): bad catalogs and configs thrown at the kiosk, and the time and memory
of large imports, good and bad.

    .venv/bin/python bench/fault_run.py [--cases 1000] [--big-mb 200] [--sizes 10847,100000]
                                        [--out FILE]

Prints one JSON document (figures, never pass/fail) with the machine it ran on:
- `catalog_cases` / `config_cases`: inputs tried, clear refusals (the kiosk's own error naming
  the problem), accepted, and crashes (any other exception: the target is 0), with the first
  few crashes shown. Catalog inputs: the fault run's named cases plus random mutations of the
  test catalog (a value replaced by any JSON value, bytes spliced in, text cut short); each is
  checked and imported into a real store, and the store must keep its catalog when refused.
  Config inputs: the demo kiosk.toml with a value replaced, lines dropped or repeated, bytes
  spliced in, plus the named cases (NaN, ports, FIFO, /dev/null, …).
- `big_bad`: a `--big-mb` file of bad items, and one of good items broken at its very end
  (the worst case: everything is read before the problem): seconds and peak RSS of
  `kiosk catalog validate` and of `kiosk catalog import` as real processes.
- `good_import`: generated catalogs of `--sizes` items imported by `kiosk catalog import`:
  seconds and peak RSS (the child's ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from machine import machine  # noqa: E402

from kiosk.errors import CatalogError, ConfigError  # noqa: E402

MINI = REPO / "tests" / "data" / "mini-catalog.json"
TOML = REPO / "kiosk.toml"
WEIRD: list[Any] = [None, True, -1, 0, 2**63, 10**40, 1.5, 1e308, "", "\ud800", "\x1b[2J",
                    "长" * 300, [], {}, [None], {"a": None}, "9" * 5000]


# ---- catalog ---------------------------------------------------------------------------------

def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _catalog_inputs(n: int, rng: random.Random) -> list[tuple[str, bytes]]:
    text = MINI.read_text("utf-8")
    doc = json.loads(text)
    paths = [p for p in _paths(doc) if p]
    named = [("null", b"null"), ("empty", b""), ("list", b"[1,2]"), ("bom", b"\xef\xbb\xbf{"),
             ("deep", b"[" * 100_000), ("nan", text.replace('"popularity": ', '"popularity": '
                                                            'NaN, "x": ', 1).encode()),
             ("huge-int", text.replace('"popularity": ', '"popularity": ' + "9" * 5000
                                       + ', "x": ', 1).encode())]
    out = list(named)
    for i in range(n):
        kind = i % 3
        if kind == 0:
            d = json.loads(text)
            path = rng.choice(paths)
            target = d
            for k in path[:-1]:
                target = target[k]
            target[path[-1]] = rng.choice(WEIRD)
            raw = json.dumps(d, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
            out.append((f"value@{'.'.join(map(str, path))}", raw))
        elif kind == 1:
            raw = text.encode()
            at = rng.randrange(len(raw))
            junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
            out.append((f"splice@{at}", raw[:at] + junk + raw[at + rng.randrange(8):]))
        else:
            raw = text.encode()
            out.append((f"cut@{i}", raw[:rng.randrange(len(raw))]))
    return out


def catalog_cases(n: int, work: Path) -> dict[str, Any]:
    from kiosk.catalog.store import CatalogStore

    rng = random.Random(13)
    counts = {"tried": 0, "refused": 0, "accepted": 0, "crashes": 0, "store_changed": 0}
    crashes: list[str] = []
    start = time.perf_counter()
    with CatalogStore(work / "cases.sqlite") as store:
        store.import_file(MINI)
        for name, raw in _catalog_inputs(n, rng):
            counts["tried"] += 1
            f = work / "case.json"
            f.write_bytes(raw)
            before = store.current_version_id()
            try:
                store.import_file(f)
                counts["accepted"] += 1
                store.import_file(MINI)        # back to the known catalog
            except CatalogError as e:
                counts["refused"] += 1
                if store.current_version_id() != before:
                    counts["store_changed"] += 1
                str(e).encode("utf-8")
            except Exception as e:  # this is what the run counts
                counts["crashes"] += 1
                crashes.append(f"{name}: {type(e).__name__}: {e}"[:300])
    return {**counts, "seconds": round(time.perf_counter() - start, 1), "first_crashes":
            crashes[:5]}


# ---- config ----------------------------------------------------------------------------------

def _config_inputs(n: int, rng: random.Random, work: Path) -> list[tuple[str, Path]]:
    from kiosk.commands.catalog import printable  # noqa: F401  (imports what the CLI would)

    lines = TOML.read_text("utf-8").splitlines()
    values = [i for i, line in enumerate(lines) if "=" in line and not line.startswith("#")]
    scalars = ["nan", "inf", "-inf", "0", "-1", "99999", "1e400", '""', '"/"', '"/proc/x"',
               '"tcp://[::1"', '"tcp://h:99999"', '"notaport"', "[]", "{}", "[nan,1,2,3]",
               '"scrypt$x"', "true", "{a = {b = {c = 1}}}"]
    out: list[tuple[str, Path]] = []
    fifo = work / "fifo.toml"
    if not fifo.exists():
        os.mkfifo(fifo)
    loop = work / "loop.toml"
    if not loop.is_symlink():
        loop.symlink_to(loop)
    out += [("fifo", fifo), ("dev-null", Path("/dev/null")), ("folder", work),
            ("symlink-loop", loop)]
    specials = {"empty": b"", "bom": b"\xef\xbb\xbf" + TOML.read_bytes(),
                "deep": ("x = " + "{a = " * 2000 + "1" + "}" * 2000).encode(),
                "dup-key": b'[hall]\nname = "a"\nname = "b"\n',
                "dup-service": (TOML.read_text("utf-8") + '\n[[services]]\nname = "社保医保"\n'
                                'prefix = "Q"\ncounters = ["9"]\n').encode()}
    for name, raw in specials.items():
        f = work / f"{name}.toml"
        f.write_bytes(raw)
        out.append((name, f))
    for i in range(n):
        mutated = list(lines)
        kind = i % 3
        if kind == 0:
            line = rng.choice(values)
            key = mutated[line].split("=", 1)[0]
            mutated[line] = f"{key}= {rng.choice(scalars)}"
            raw = "\n".join(mutated).encode()
        elif kind == 1:
            for _ in range(rng.randrange(1, 4)):
                j = rng.randrange(len(mutated))
                if rng.random() < 0.5:
                    del mutated[j]
                else:
                    mutated.insert(j, mutated[j])
            raw = "\n".join(mutated).encode()
        else:
            raw = "\n".join(mutated).encode()
            at = rng.randrange(len(raw))
            raw = raw[:at] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8))) + \
                raw[at:]
        f = work / f"case{i}.toml"
        f.write_bytes(raw)
        out.append((f"mutation{i}", f))
    return out


def config_cases(n: int, work: Path) -> dict[str, Any]:
    from kiosk.config import load_config

    rng = random.Random(13)
    counts = {"tried": 0, "refused": 0, "accepted": 0, "crashes": 0}
    crashes: list[str] = []
    for name, path in _config_inputs(n, rng, work):
        counts["tried"] += 1
        try:
            load_config(path)
            counts["accepted"] += 1
        except ConfigError:
            counts["refused"] += 1
        except Exception as e:  # this is what the run counts
            counts["crashes"] += 1
            crashes.append(f"{name}: {type(e).__name__}: {e}"[:300])
            traceback.print_exc(file=sys.stderr)
    return {**counts, "first_crashes": crashes[:5]}


# ---- big files -------------------------------------------------------------------------------

def _kiosk(*args: str, cfg: Path) -> dict[str, Any]:
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork+exec, so a child would report
    # the runner's own peak; VmHWM belongs to the new address space
    code = ("import re, sys, time; from township.cli import main; t = time.perf_counter(); "
            "rc = main(sys.argv[1:]); hwm = re.search(r'VmHWM:\\s+(\\d+)', "
            "open('/proc/self/status').read()).group(1); "
            "sys.stderr.write('\\n@@ %d %.3f %s\\n' % (rc, time.perf_counter() - t, hwm))")
    out = subprocess.run([sys.executable, "-c", code, "--config", str(cfg), *args],
                         capture_output=True, text=True, env={**os.environ,
                                                              "PYTHONPATH": str(REPO)})
    tail = [line for line in out.stderr.splitlines() if line.startswith("@@ ")]
    if not tail:
        raise SystemExit(f"kiosk {' '.join(args)} crashed:\n{out.stderr[-3000:]}")
    rc, seconds, rss = tail[-1].split()[1:]
    first = next((line for line in (out.stdout + out.stderr).splitlines() if line.strip()), "")
    return {"exit": int(rc), "seconds": float(seconds), "peak_rss_mb": int(rss) // 1024,
            "first_line": first[:160]}


def _head() -> str:
    doc = json.loads(MINI.read_text("utf-8"))
    return json.dumps({k: v for k, v in doc.items() if k != "items"}, ensure_ascii=False)[:-1]


def _write_bad_items(path: Path, mb: int) -> None:
    """A head, then `mb` MB of items each breaking the schema (a wrong type, a missing key)."""
    item = json.dumps({"code": "X", "name": 1, "department": ["民政"], "popularity": "高"},
                      ensure_ascii=False)
    with path.open("w", encoding="utf-8") as f:
        f.write(_head() + ', "items": [')
        n = mb * 2**20 // (len(item.encode()) + 2)
        chunk = ", ".join([item] * 1000)
        for i in range(n // 1000):
            f.write(("" if i == 0 else ", ") + chunk)
        f.write("]}")


def _write_good_then_broken(path: Path, mb: int, work: Path) -> None:
    """Good generated items for `mb` MB, the last one cut short: found only at the end."""
    from kiosk.catalog.generate import generate_document

    doc = generate_document(1000, seed=7)
    items = [json.dumps(it, ensure_ascii=False) for it in doc["items"]]
    head = json.dumps({k: v for k, v in doc.items() if k != "items"}, ensure_ascii=False)[:-1]
    size, n = 0, 0
    with path.open("w", encoding="utf-8") as f:
        f.write(head + ', "items": [')
        while size < mb * 2**20:
            it = items[n % len(items)]
            code = json.loads(it)["code"]
            it = it.replace(f'"code": "{code}"', f'"code": "GC-{n:08d}"', 1)
            f.write(("" if n == 0 else ", ") + it)
            size += len(it.encode()) + 2
            n += 1
        f.write(', {"code": "truncated", "name": "')       # no end: a cut-off download


def big_bad(mb: int, work: Path, cfg: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("bad_items", "good_then_cut"):
        f = work / f"{name}.json"
        if name == "bad_items":
            _write_bad_items(f, mb)
        else:
            _write_good_then_broken(f, mb, work)
        out[name] = {"file_mb": round(f.stat().st_size / 2**20, 1),
                     "validate": _kiosk("catalog", "validate", str(f), cfg=cfg),
                     "import": _kiosk("catalog", "import", str(f), cfg=cfg)}
        f.unlink()
    return out


def good_import(sizes: list[int], work: Path, cfg: Path) -> dict[str, Any]:
    from kiosk.catalog.generate import write_file

    out: dict[str, Any] = {}
    for n in sizes:
        f = work / f"gen-{n}.json"
        write_file(f, n, 0)
        for p in work.glob("var/catalog.sqlite*"):
            p.unlink()
        out[str(n)] = {"file_mb": round(f.stat().st_size / 2**20, 1),
                       "import": _kiosk("catalog", "import", str(f), cfg=cfg)}
        f.unlink()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--big-mb", type=int, default=200)
    ap.add_argument("--sizes", default="10847,100000")
    ap.add_argument("--out", help="also write the JSON here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="fault-run-") as d:
        work = Path(d)
        cfg = work / "kiosk.toml"
        cfg.write_text('[catalog]\ndb = "var/catalog.sqlite"\nseed = ""\nforms_dir = "forms"\n',
                       "utf-8")
        result: dict[str, Any] = {"machine": machine(), "command": " ".join(sys.argv)}
        result["catalog_cases"] = catalog_cases(args.cases, work)
        result["config_cases"] = config_cases(args.cases, work)
        if args.big_mb:
            result["big_bad"] = big_bad(args.big_mb, work, cfg)
        sizes = [int(s) for s in args.sizes.split(",") if s]
        result["good_import"] = good_import(sizes, work, cfg)
        result["runner_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
