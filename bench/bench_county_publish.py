"""Signed catalog updates at a county's scale: publish time, end-to-end update time, bytes
moved for a one-item change.

    PYTHONPATH=. .venv/bin/python bench/bench_county_publish.py [--items 10847] [--out FILE]

Two shapes of the same synthetic catalog (kiosk.catalog.generate, seed 1):
- county: the generated townships, one bundle each (a kiosk fetches only its own);
- one_town: every item in ONE township, so one kiosk verifies and imports all of them (the
  worst case for the kiosk: the whole catalog in one bundle).
For each: `kiosk county publish` (validate + cut + sign) first and again after one item
changed; a kiosk's `kiosk catalog update --from URL` as a real process over real HTTP (a
stdlib server on loopback serving the repository folder): first update, already current, and
after the one-item change — wall time, files and bytes fetched, the process's peak RSS (the
import inside it is engineer faults' streaming import; its own bench is bench_catalog.py).
Figures only; no pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from machine import machine  # noqa: E402  (bench/machine.py)

# `kiosk …` with its own peak RSS on stderr at exit. VmHWM of /proc/self/status, not
# ru_maxrss: after fork+exec, ru_maxrss still counts the (large) bench process it forked from.
PEAK = ("import atexit, runpy, sys\n"
        "atexit.register(lambda: sys.stderr.write(next(l for l in open('/proc/self/status') "
        "if l.startswith('VmHWM'))))\n"
        "sys.argv[0] = 'kiosk'\n"
        "runpy.run_module('kiosk', run_name='__main__', alter_sys=True)\n")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def kiosk_update(base: Path, root: Path, region: str, url: str) -> dict[str, Any]:
    cfg = base / "kiosk.toml"
    if not cfg.exists():
        base.mkdir(parents=True, exist_ok=True)
        cfg.write_text(f'[hall]\nregion_code = "{region}"\n[catalog]\n'
                       f'db = "var/catalog.sqlite"\nseed = ""\nforms_dir = "var/forms"\n'
                       f'update_root = "{root}"\nupdate_stick = false\n', "utf-8")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", PEAK, "--config", str(cfg), "catalog",
                               "update", "--from", url, "--json"], stdout=out, stderr=err,
                              env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=base)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"update failed: {stdout[-800:]} {stderr[-800:]}")
    r = json.loads(stdout)
    peak_kb = int(stderr.rsplit("VmHWM:", 1)[1].split()[0])
    return {"outcome": r["outcome"], "items": r["items"], "wall_s": round(wall, 2),
            "check_s": round(r["seconds"], 2), "files_fetched": r["files_fetched"],
            "bytes_fetched": r["bytes_fetched"],
            "process_peak_rss_mb": round(peak_kb / 1024, 1)}


def publish(county: Any, doc: dict[str, Any], path: Path) -> dict[str, Any]:
    from county.publish import publish as do_publish

    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    t0 = time.perf_counter()
    r = do_publish(path, county.repo, county.keys)
    return {"seconds": round(time.perf_counter() - t0, 2), "bundles": len(r.bundles),
            "targets": r.targets, "files_written": r.files_written,
            "bytes_written": r.bytes_written, "changed_roles": len(r.changed_roles)}


def metadata_sizes(repo: Path) -> dict[str, int]:
    meta = repo / "metadata"
    newest: dict[str, tuple[int, int]] = {}
    for p in meta.iterdir():
        parts = p.name.split(".", 1)
        if parts[0].isdigit():
            v, role = int(parts[0]), parts[1]
            if v >= newest.get(role, (0, 0))[0]:
                newest[role] = (v, p.stat().st_size)
    bundles = [s for r, (_, s) in newest.items() if r.startswith("bundle-")]
    return {"targets_json": newest["targets.json"][1], "snapshot_json": newest["snapshot.json"][1],
            "timestamp_json": (meta / "timestamp.json").stat().st_size,
            "largest_bundle_role": max(bundles), "bundle_roles": len(bundles)}


def shape(name: str, doc: dict[str, Any], tmp: Path) -> dict[str, Any]:
    from tests.support.county_repo import make_county

    county = make_county(tmp / name)
    out: dict[str, Any] = {"items": len(doc["items"])}
    out["publish_first"] = publish(county, doc, tmp / f"{name}.json")
    out["metadata_bytes"] = metadata_sizes(county.repo.path)
    out["publish_again_same"] = publish(county, doc, tmp / f"{name}.json")
    region = doc["items"][0]["township"]["code"]
    server, url = serve(county.repo.path)
    try:
        kiosk = tmp / f"{name}-kiosk"
        out["kiosk_region_items"] = sum(1 for i in doc["items"]
                                        if i["township"]["code"] == region)
        out["update_first"] = kiosk_update(kiosk, county.root_file, region, url)
        out["update_current"] = kiosk_update(kiosk, county.root_file, region, url)
        changed = json.loads(json.dumps(doc))
        changed["catalog_version"] += "-b"
        changed["items"][0]["location"] += "（已搬到二楼）"
        out["publish_one_item_changed"] = publish(county, changed, tmp / f"{name}.json")
        out["update_one_item_changed"] = kiosk_update(kiosk, county.root_file, region, url)
    finally:
        server.shutdown()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_847)
    parser.add_argument("--out", metavar="FILE")
    args = parser.parse_args()
    from kiosk.catalog.generate import generate_document

    doc = generate_document(args.items, seed=1)
    for item in doc["items"]:
        item.pop("forms", None)           # synthetic items name form files nobody has
        for m in item["materials"]:
            m.pop("blank_form", None)
            m.pop("sample_form", None)
    one_town = json.loads(json.dumps(doc))
    town = one_town["items"][0]["township"]
    for item in one_town["items"]:
        item["township"] = dict(town)
    with tempfile.TemporaryDirectory(prefix="bench-county-") as tmp:
        figures = {"machine": machine(), "county": shape("county", doc, Path(tmp)),
                   "one_town": shape("one_town", one_town, Path(tmp))}
    figures["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(figures, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
