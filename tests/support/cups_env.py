"""A PRIVATE CUPS server for tests (and for trying the kiosk by hand), plus SANE's test backend.

    python -m tests.support.cups_env          # start one, print the environment, wait for ^C

The server has its own config, spool, logs and binary folder under a fresh /tmp directory and
listens ONLY on a Unix socket there: no TCP port to collide with other engineers' runs, and the
system's CUPS (if any) is never touched. Clients find it through CUPS_SERVER=<socket>.

Its queue uses a real CUPS filter chain (tests/support/kiosk-pdf.ppd: pdftopdf) and the
kiosktest backend (tests/support/kiosktest-backend.sh), which writes each job as
<out>/<queue>/job-<id>.pdf, or, when that folder's FAULT file names a printer-state-reason such
as media-empty-error, reports it the way a printer's backend does and stops the queue. It runs
as root (filters as lp) or as a normal user (everything as that user, as CUPS's own test suite
does). A server that cannot start fails the tests that need it with one line naming the
command and cupsd's own words (`CupsStartError`); it never skips them.

SANE: `sane_env(dir)` makes a SANE_CONFIG_DIR with only the `test` backend enabled, so
`scanimage -d test` works without probing (or disturbing) real scanners.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYSTEM_SERVERBIN = Path("/usr/lib/cups")
QUEUE = "kiosk-a4"

CUPSD_CONF = """\
# private cupsd for the kiosk's tests
LogLevel warn
MaxLogSize 0
Listen {root}/cups.sock
Browsing No
WebInterface No
DefaultAuthType None
JobRetryLimit 0
PreserveJobHistory Yes
# as deploy/cups-privacy.sh sets on a terminal: no printed ID copy stays in the spool
PreserveJobFiles No
MaxJobs 500
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""

CUPS_FILES_CONF = """\
ServerRoot {root}/etc
RequestRoot {root}/spool
TempDir {root}/tmp
CacheDir {root}/cache
StateDir {root}/state
ServerBin {root}/lib
DataDir /usr/share/cups
DocumentRoot /usr/share/cups/doc-root
AccessLog {root}/log/access_log
ErrorLog {root}/log/error_log
PageLog {root}/log/page_log
# A path of our own: a bare `Printcap` is refused by current cupsd (2.4.2-3+deb12u10, "Missing
# value for Printcap"), and leaving it out makes cupsd write the system's /run/cups/printcap.
Printcap {root}/printcap
User {user}
Group {group}
SystemGroup {system_group}
"""


def _users() -> dict[str, str]:
    """Who cupsd runs filters as: lp when we are root, else ourselves (cupsd cannot switch)."""
    import grp
    import pwd

    if os.geteuid() == 0:
        return {"user": "lp", "group": "lp", "system_group": "root"}
    user = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    return {"user": user, "group": group, "system_group": group}


class CupsStartError(RuntimeError):
    """The private cupsd could not start: the command and what it (or cupsd) said, one line."""

    def __init__(self, command: str, said: str) -> None:
        self.command = command
        self.said = " ".join(said.split())
        super().__init__(f"private CUPS could not start: `{command}`: {self.said}")


class CupsServer:
    """One private cupsd. start() → add_queue() → env for clients → stop()."""

    def __init__(self, root: Path | None = None) -> None:
        self._given_root = root
        self.root = Path()
        self.out = Path()
        self._proc: subprocess.Popen[bytes] | None = None

    @staticmethod
    def unavailable() -> str:
        """What is missing for a private cupsd ('' when the tools are all here). That they are
        installed does not prove a start works: start() does (cupsd -t, then a real start)."""
        missing = [t for t in ("cupsd", "lpadmin", "lp", "lpstat", "cancel", "cupsenable")
                   if shutil.which(t) is None and not Path("/usr/sbin", t).exists()]
        if missing:
            return f"CUPS tools not installed: {', '.join(missing)} (apt-get install cups)"
        if not (SYSTEM_SERVERBIN / "filter" / "pdftopdf").exists():
            return "pdftopdf filter missing (apt-get install cups-filters)"
        return ""

    @property
    def socket(self) -> Path:
        return self.root / "cups.sock"

    @property
    def env(self) -> dict[str, str]:
        """What a client process needs to talk to this server (and only to it)."""
        return {"CUPS_SERVER": str(self.socket), "LC_ALL": "C"}

    def _layout(self) -> None:
        root = self._given_root or Path(tempfile.mkdtemp(prefix="kcups", dir="/tmp"))
        self.root = root
        for sub in ("etc/ppd", "spool", "tmp", "cache", "state", "log", "lib/backend", "out"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(root, 0o755)  # filters run as another user (lp) and must reach the spool
        for sub in ("filter", "daemon", "cgi-bin", "notifier", "monitor", "driver"):
            link = root / "lib" / sub
            if not link.exists():
                link.symlink_to(SYSTEM_SERVERBIN / sub)
        backend = root / "lib/backend/kiosktest"
        shutil.copy(HERE / "kiosktest-backend.sh", backend)
        # As root, cupsd runs a 0700 backend as root (so it may write to out/); as a normal
        # user (CI), cupsd runs everything as that user, as CUPS's own test suite does.
        os.chmod(backend, 0o700 if os.geteuid() == 0 else 0o755)
        self.out = root / "out"
        (root / "etc/cupsd.conf").write_text(CUPSD_CONF.format(root=root))
        (root / "etc/cups-files.conf").write_text(CUPS_FILES_CONF.format(root=root, **_users()))

    def _cupsd(self) -> list[str]:
        cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
        return [cupsd, "-c", str(self.root / "etc/cupsd.conf"),
                "-s", str(self.root / "etc/cups-files.conf")]

    def check_config(self) -> None:
        """cupsd's own test mode (`cupsd -t`) on the generated files: a daemon that rejects a
        line (as a security update once did) says so here, naming the line."""
        cmd = [*self._cupsd(), "-t"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise CupsStartError(" ".join(cmd), (done.stderr + done.stdout).strip()
                                 or f"exit status {done.returncode}")

    def start(self, timeout: float = 15.0) -> CupsServer:
        reason = self.unavailable()
        if reason:
            raise CupsStartError("cupsd", reason)
        self._layout()
        try:
            self.check_config()
            self._launch(timeout)
        except BaseException:
            self.stop()   # no stray daemon, no leaked temporary folder
            raise
        return self

    def _launch(self, timeout: float) -> None:
        cmd = [*self._cupsd(), "-f"]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode(errors="replace") if self._proc.stderr else ""
                raise CupsStartError(" ".join(cmd), f"exited ({self._proc.returncode}): "
                                     f"{err.strip()} {self.error_log().strip()}")
            if self.socket.exists() and self.run("lpstat", "-r").returncode == 0:
                return
            time.sleep(0.05)
        raise CupsStartError(" ".join(cmd), f"did not answer on {self.socket} within "
                             f"{timeout} s; error_log: {self.error_log().strip()}")

    def run(self, *cmd: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        """A CUPS client command against this server."""
        return subprocess.run(list(cmd), capture_output=True, text=True, check=check,
                              env={**os.environ, **self.env}, timeout=30)

    def queue_dir(self, name: str) -> Path:
        return self.out / name

    def add_queue(self, name: str = QUEUE) -> str:
        """A PDF queue whose jobs land in queue_dir(name) (enabled, accepting)."""
        self.queue_dir(name).mkdir(parents=True, exist_ok=True)
        self.run("lpadmin", "-p", name, "-E", "-v", f"kiosktest:{self.queue_dir(name)}",
                 "-P", str(HERE / "kiosk-pdf.ppd"), "-o", "printer-error-policy=stop-printer",
                 check=True)
        self.run("cupsenable", name, check=True)
        self.run("cupsaccept", name, check=True)
        return name

    def set_fault(self, queue: str, reason: str) -> None:
        """Make the printer report `reason` (e.g. media-empty-error) on its next job;
        '' clears it (the next job then clears the reason, as a refilled printer would)."""
        fault = self.queue_dir(queue) / "FAULT"
        if reason:
            fault.write_text(reason + "\n")
        else:
            fault.unlink(missing_ok=True)

    def set_slow(self, queue: str, seconds: float) -> None:
        """Make each job of `queue` take `seconds` in the backend (0: normal)."""
        slow = self.queue_dir(queue) / "SLOW"
        if seconds:
            slow.write_text(f"{seconds:g}\n")
        else:
            slow.unlink(missing_ok=True)

    def outputs(self, queue: str) -> list[Path]:
        """What the printer "printed": job-<id>.pdf files, in job order."""
        return sorted(self.queue_dir(queue).glob("job-*.pdf"),
                      key=lambda p: int(p.stem.split("-")[1]))

    def spooled_documents(self) -> list[Path]:
        """Documents CUPS still holds in its spool (d<job>-<n> files)."""
        return sorted((self.root / "spool").glob("d*-*"))

    def jobs_left(self) -> str:
        """lpstat's list of jobs not yet completed ('' when none)."""
        return self.run("lpstat", "-o").stdout.strip()

    def error_log(self) -> str:
        log = self.root / "log/error_log"
        return log.read_text(errors="replace") if log.exists() else ""

    def stop(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            if self._proc.stderr:
                self._proc.stderr.close()
            self._proc = None
        if self._given_root is None and self.root != Path():
            shutil.rmtree(self.root, ignore_errors=True)


def sane_unavailable() -> str:
    """Why SANE's test backend cannot be used here ('' when it can)."""
    if shutil.which("scanimage") is None:
        return "scanimage not installed (apt-get install sane-utils)"
    return ""


def sane_env(config_dir: Path) -> dict[str, str]:
    """A SANE config folder enabling only the `test` backend; returns the env to use it."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "dll.conf").write_text("test\n")
    system_test = Path("/etc/sane.d/test.conf")
    if system_test.exists():
        shutil.copy(system_test, config_dir / "test.conf")
    return {"SANE_CONFIG_DIR": str(config_dir)}


def main() -> None:
    server = CupsServer().start()
    queue = server.add_queue()
    print(f"export CUPS_SERVER={server.socket}   # queue {queue}, jobs land in "
          f"{server.queue_dir(queue)}")
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
