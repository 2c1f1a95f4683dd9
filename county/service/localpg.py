"""A private PostgreSQL server: `initdb` into a folder of its own, a free loopback port, no
other configuration touched — for `kiosk county demo` (and, until engineer hall's fixture of
issue 14 is on main, the county tests).

As root (this machine's CI, a fresh demo box) the server runs as the `postgres` user, since
initdb refuses root. A server that cannot start raises PgStartError with one line: the
command and what it said.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from kiosk.errors import KioskError

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PgStartError(KioskError):
    def __init__(self, command: str, said: str) -> None:
        super().__init__(f"private PostgreSQL could not start: `{command}`: "
                         f"{' '.join(said.split())[:600]}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivatePostgres:
    def __init__(self, root: Path | None = None) -> None:
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)
        self.root = root or Path(tempfile.mkdtemp(prefix="county-pg-"))
        self._keep = root is not None
        self.port = _free_port()
        self.user = "county"
        self._as: list[str] = []

    def _run(self, *cmd: str) -> None:
        full = [*self._as, *cmd]
        try:
            r = subprocess.run(full, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PgStartError(" ".join(full), str(exc)) from None
        if r.returncode != 0:
            raise PgStartError(" ".join(full), r.stderr or r.stdout)

    def start(self) -> PrivatePostgres:
        if not (PG_BIN / "initdb").exists():
            raise PgStartError(str(PG_BIN / "initdb"), "not installed (apt-get install "
                                                      "postgresql; scripts/setup.sh does)")
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres")
            closed = [p for p in self.root.resolve().parents if not os.stat(p).st_mode & 0o001]
            if closed:
                raise PgStartError("initdb", f"the postgres user cannot enter {closed[0]} "
                                   f"(mode {oct(os.stat(closed[0]).st_mode & 0o777)}); choose "
                                   "a folder whose parents others may search")
        data = self.root / "data"
        if (data / "PG_VERSION").exists():
            self._start(data)
            return self
        self._run(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", self.user,
                  "-E", "UTF8", "--no-sync")
        self._start(data)
        return self

    def _start(self, data: Path) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(self.root / "log"), "-w",
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                        "-c fsync=off -c max_connections=200", "start")

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{db}"

    def create_db(self, name: str) -> str:
        """A database of that name (made if missing); its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"'.encode())
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(PgStartError):
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast",
                      "-w", "stop")
        if self._keep:
            return
        for _ in range(20):
            try:
                shutil.rmtree(self.root)
                return
            except OSError:
                time.sleep(0.1)
