"""A PRIVATE PostgreSQL for tests (and for trying the hall service by hand):

    python -m tests.support.pg_env        # start one, print its URL, wait for ^C

initdb into a fresh /tmp folder, a free loopback port, its Unix socket in that folder, trust
authentication for its one user, fsync kept on (the fault tests rely on what a commit
promises). Debian's `postgresql` package provides the binaries (/usr/lib/postgresql/N/bin);
scripts/setup.sh installs it. PostgreSQL refuses to run as root, so under root the server runs
as the `postgres` system user the package creates, in a folder it owns.

A server that cannot start fails the tests that need it with one line naming the command and
its own words (`PgStartError`), the way tests/support/cups_env.py's CupsStartError does: never
a quiet skip.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DB = "hall"
USER = "hall"


class PgStartError(RuntimeError):
    """The private PostgreSQL could not start: the command and what it said, in one line."""

    def __init__(self, command: str, said: str) -> None:
        self.command = command
        self.said = " ".join(said.split())
        super().__init__(f"private PostgreSQL could not start: `{command}`: {self.said}")


def bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if not found:
        on_path = shutil.which("initdb")
        if on_path:
            return Path(on_path).parent
        raise PgStartError("initdb", "PostgreSQL is not installed (apt-get install postgresql)")
    return found[-1].parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One private PostgreSQL. start() → url → stop() (or restart() for the fault tests)."""

    def __init__(self) -> None:
        self.root = Path()
        self.port = 0
        self._bin = Path()
        self._as: list[str] = []

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{DB}"

    def _run(self, *cmd: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        full = [*self._as, *cmd]
        try:
            done = subprocess.run(full, capture_output=True, text=True, timeout=timeout,
                                  cwd=self.root)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PgStartError(" ".join(full), str(exc)) from None
        if done.returncode != 0:
            raise PgStartError(" ".join(full), (done.stderr + done.stdout).strip()
                               or f"exit status {done.returncode}")
        return done

    def _layout(self) -> None:
        self._bin = bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="kpg", dir="/tmp"))
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise PgStartError("initdb", "running as root and there is no `postgres` "
                                             "user to run the server as") from None
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"
            self._as = [runuser, "-u", "postgres", "--"]
        os.chmod(self.root, 0o700)

    def start(self, timeout: float = 30.0) -> PgServer:
        self._layout()
        try:
            self._run(str(self._bin / "initdb"), "-D", str(self.data), "-U", USER,
                      "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-N")
            self._conf()
            self.port = free_port()
            self._pg_ctl_start(timeout)
            self._run(str(self._bin / "createdb"), "-h", str(self.root), "-p", str(self.port),
                      "-U", USER, DB)
        except BaseException:
            self.stop()
            raise
        return self

    def _conf(self) -> None:
        conf = (f"listen_addresses = '127.0.0.1'\nunix_socket_directories = '{self.root}'\n"
                "max_connections = 100\nshared_buffers = 64MB\nfsync = on\n"
                "synchronous_commit = on\nlog_min_messages = warning\n")
        target = self.data / "postgresql.auto.conf"
        text = target.read_text() if target.exists() else ""
        if self._as:   # the file belongs to postgres; append through it
            subprocess.run([*self._as, "sh", "-c", f"cat >> '{target}'"], input=conf,
                           text=True, check=True)
        else:
            target.write_text(text + conf)

    def _pg_ctl_start(self, timeout: float) -> None:
        self._run(str(self._bin / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.root / "server.log"), "-o", f"-p {self.port}", "-w",
                  "-t", str(int(timeout)), "start", timeout=timeout + 10)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (keeping nothing: the folder goes too)."""
        self.halt(mode)
        if self.root != Path() and self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)

    def halt(self, mode: str = "fast") -> None:
        """Stop the server, keep its data (for restart())."""
        if self.data.exists() and (self.data / "postmaster.pid").exists():
            with contextlib.suppress(PgStartError):
                self._run(str(self._bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w",
                          "stop")

    def kill(self) -> None:
        """SIGKILL the postmaster (a crash, not a shutdown): recovery runs at the next start."""
        pid_file = self.data / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        time.sleep(0.5)

    def restart(self, timeout: float = 30.0) -> None:
        """Start it again on the same port and data (after halt() or kill())."""
        with contextlib.suppress(OSError):
            pid = self.data / "postmaster.pid"
            if pid.exists() and not Path(f"/proc/{pid.read_text().split()[0]}").exists():
                subprocess.run([*self._as, "rm", "-f", str(pid)], check=False)
        self._pg_ctl_start(timeout)

    def psql(self, sql: str) -> str:
        return self._run(str(self._bin / "psql"), "-h", str(self.root), "-p", str(self.port),
                         "-U", USER, "-d", DB, "-At", "-c", sql).stdout

    def dump(self) -> bytes:
        """pg_dump of the whole database (for the privacy byte-scan and the backup docs)."""
        full = [*self._as, str(self._bin / "pg_dump"), "-h", str(self.root), "-p",
                str(self.port), "-U", USER, DB]
        return subprocess.run(full, capture_output=True, check=True, cwd=self.root).stdout


def main() -> None:
    server = PgServer().start()
    print(f"HALL_DATABASE={server.url}", flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
