"""The hall service as a REAL process (`python -m kiosk hall serve`), for the fault tests and the
fault run: started on a fixed loopback port (so a restart after SIGKILL is found at the same
address), killed with SIGKILL, started again on the same database.

    hall = HallProcess(folder, database="sqlite:var/hall.sqlite")   # or postgresql://…
    prepare(folder, HALL_TOML, database, kiosks=["kiosk-1"])        # staff + enrolment codes
    hall.start(); hall.url; hall.kill(); hall.start(); hall.stop()

`prepare` writes hall.toml and enrols staff (tests.support.hall_env.STAFF) and kiosks the way
`kiosk hall staff add` / `enrol-kiosk` store them, straight into the database before the
service starts (the CLI's own path is tested in tests/integration/test_hall_cli.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from hall.app import open_store
from hall.auth import Auth
from kiosk.queue.hallconfig import load_hall
from kiosk.queue.sql import auth as rows
from kiosk.queue.sql.tx import Tx
from tests.support.hall_env import STAFF, _pin_hash
from tests.support.pg_env import free_port

REPO = Path(__file__).resolve().parents[2]


class HallStartError(RuntimeError):
    """`kiosk hall serve` did not come up: its own words."""


def prepare(folder: Path, hall_toml: str, kiosks: list[str],
            staff: dict[str, str] = STAFF) -> dict[str, str]:
    """hall.toml, staff and one-time enrolment codes; returns {kiosk name: code}."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hall.toml").write_text(hall_toml, encoding="utf-8")
    settings = load_hall(folder / "hall.toml")
    store = open_store(settings.server.database, settings)
    store.open()
    try:
        now = store.clock()

        def add(tx: Tx) -> None:
            for number, pin in staff.items():
                role = "manager" if number.startswith("9") else "window"
                rows.staff_add(tx, number, f"测试{number}", role, _pin_hash(pin), now)

        store.transact("staff", add)
        auth = Auth(store, settings)
        return {name: auth.enrol_code(name) for name in kiosks}
    finally:
        store.close()


class HallProcess:
    def __init__(self, folder: Path, port: int = 0) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.proc: subprocess.Popen[str] | None = None
        self.starts = 0
        self.kills = 0
        self.codes: dict[str, str] = {}        # kiosk name → enrolment code (prepare())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        log = (self.folder / "serve.out").open("a", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "hall", "serve", "--listen",
             f"127.0.0.1:{self.port}"], cwd=self.folder, env=env, stdout=log,
            stderr=subprocess.STDOUT, text=True)
        log.close()
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                said = (self.folder / "serve.out").read_text(encoding="utf-8")[-2000:]
                raise HallStartError(f"kiosk hall serve exited {self.proc.returncode}: {said}")
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code in (200, 503):
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise HallStartError(f"kiosk hall serve did not answer on {self.url} in {timeout} s")

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a power cut or the OOM killer."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
            self.kills += 1

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None
