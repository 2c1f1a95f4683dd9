"""An import killed with SIGKILL half-way (a real process, a real SQLite file) leaves the
previous catalog untouched — current during the import, and after the crash."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from kiosk.catalog.store import CatalogStore

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "data" / "mini-catalog.json"

CHILD = r"""
import sys, time
from kiosk.catalog.generate import generate_document
from kiosk.catalog.store import CatalogStore

store = CatalogStore(sys.argv[1]).open()
doc = generate_document(3000, seed=1)

def progress(n: int) -> None:
    if n == 2000:                      # 2,000 items written, transaction still open
        print("MID", flush=True)
        time.sleep(120)                # the parent kills us here

store.import_document(doc, progress=progress)
print("FINISHED", flush=True)
"""


def test_sigkill_mid_import_keeps_previous_catalog(tmp_path: Path) -> None:
    db_path = tmp_path / "catalog.sqlite"
    with CatalogStore(db_path) as store:
        store.import_document(json.loads(MINI.read_text("utf-8")))

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "MID"
        # while the import is half-way, a reader still gets the previous catalog
        with CatalogStore(db_path) as reader:
            cat = reader.current()
            assert cat is not None and cat.version == "test-1" and len(cat) == 4
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(30)
    assert child.returncode == -signal.SIGKILL

    with CatalogStore(db_path) as store:
        cat = store.current()
        assert cat is not None and cat.version == "test-1" and len(cat) == 4
        assert cat.get("T-0001").name == "最低生活保障审核确认"
        assert store.stats()["previous"] is None
        raw = sqlite3.connect(db_path)
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("SELECT count(*) FROM summaries").fetchone()[0] == 4
        raw.close()
        # the store is usable: the next import goes through
        assert store.import_document(json.loads(MINI.read_text("utf-8"))).items == 4
