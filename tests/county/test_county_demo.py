"""`kiosk county demo` (the README's county command) starts a private PostgreSQL, the service
and its simulated kiosks, which show up on the dashboard; and stops cleanly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.conftest import REPO
from tests.support.county_service import free_port


def test_county_demo_runs_and_its_kiosks_report(tmp_path: Path) -> None:
    # pytest's tmp folders are 0700; as root the private PostgreSQL runs as `postgres`, which
    # must be able to reach its data folder: a folder of the demo's own under /tmp
    demo = Path(tempfile.mkdtemp(prefix="county-demo-"))
    demo.chmod(0o755)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "county", "demo", "--kiosks", "2", "--listen",
         f"127.0.0.1:{port}", "--dir", str(demo), "--seconds", "30"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout is not None
    said = []
    try:
        deadline = time.monotonic() + 90
        for line in proc.stdout:
            said.append(line)
            if line.startswith("county dashboard:") or time.monotonic() > deadline:
                break
        assert said and said[-1].startswith("county dashboard:"), "".join(said[-20:])
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}")
        r = client.post("/login", data={"name": "演示", "password": "demo-pass-1"})
        assert r.status_code == 303
        for _ in range(60):
            view = client.get("/api/v1/overview").json()
            tiles = [k for h in view["halls"] for k in h["kiosks"]]
            if len(tiles) == 2 and all(k["colour"] == "green" for k in tiles):
                break
            time.sleep(0.5)
        assert [k["catalog"] for k in tiles] == ["2026.11.20"] * 2, tiles
        assert all(k["colour"] == "green" for k in tiles), tiles
    finally:
        proc.terminate()
        rest = proc.communicate(timeout=60)[0]
    shutil.rmtree(demo, ignore_errors=True)
    assert proc.returncode == 0, "".join(said) + rest
