"""The demo's hall: `kiosk hall serve` as a child process (on its own SQLite file under var/),
this kiosk enrolled with it the way an installer does (`kiosk hall enrol-kiosk` + `kiosk hall
join`), a demo window staff member, and the lines that tell a person how to call the tickets
the kiosk issues through it (`kiosk counter …`)."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import httpx

from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.queue.remote_store import HallServerStore, read_token

DEMO_STAFF, DEMO_PIN, DEMO_WINDOW = "1001", "246810", 5
"""Fictional, for the demo only (a real hall adds staff with `kiosk hall staff add`)."""


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start(base: list[str], cfg: Config) -> tuple[subprocess.Popen[str], str]:
    """The hall service, started and answering; (process, its URL). Raises KioskError with the
    service's own words when it does not start."""
    listen = "127.0.0.1:8700" if _port_free(8700) else "127.0.0.1:0"   # another demo runs
    log = cfg.path("var/log/hall-demo.stderr")     # not a pipe: nobody would drain it
    log.parent.mkdir(parents=True, exist_ok=True)
    err = log.open("w", encoding="utf-8")
    proc = subprocess.Popen([*base, "hall", "serve", "--listen", listen, "--database",
                             f"sqlite:{cfg.path('var/hall.sqlite')}"],
                            stdout=subprocess.PIPE, stderr=err, text=True)
    assert proc.stdout is not None
    try:
        line = proc.stdout.readline()
    except BaseException:          # a SIGTERM while it starts: it must not outlive the demo
        proc.terminate()
        raise
    finally:
        err.close()                                # the child keeps its own copy
    if "http://" not in line:
        proc.terminate()
        said = log.read_text(encoding="utf-8", errors="replace").strip()[-500:]
        raise KioskError(f"the demo's hall service did not start: {line.strip()} {said}")
    url = line.split("http://", 1)[1].split()[0]
    return proc, f"http://{url}"


def enrol(base: list[str], cfg: Config, url: str) -> None:
    """This kiosk enrolled with the hall at `url` (again, if its token is for another hall),
    and the demo staff member there."""
    hall = [*base, "hall"]          # hall.toml: as [queue].hall_config of the demo's kiosk.toml
    db = ["--database", f"sqlite:{cfg.path('var/hall.sqlite')}"]
    if not _enrolled(cfg, url):
        code = _run([*hall, "enrol-kiosk", "demo-kiosk", *db]).split("--code ")[1].split()[0]
        _run([*base, "hall", "join", url, "--code", code])
    subprocess.run([*hall, "staff", "add", DEMO_STAFF, "--name", "演示窗口", "--pin-stdin", *db],
                   input=DEMO_PIN + "\n", capture_output=True, text=True, check=False)


def open_all_day(cfg: Config, url: str) -> list[str]:
    """Every service opened for the rest of today (the staff override of `kiosk ticket
    set-open`), so the demo issues tickets at any hour — at lunch or in the evening the hall's
    hours would close them all. Returns the letters opened."""
    token = read_token(cfg.path(cfg.queue.token_file))
    if token is None:
        raise KioskError("demo: this kiosk is not enrolled with the demo's hall service")
    store = HallServerStore(url, token=token.token, probe_s=0)
    store.open()
    try:
        letters = [svc.prefix for svc in store.services()]
        for letter in letters:
            store.set_service_open(letter, True)
        return letters
    finally:
        store.close()


def _enrolled(cfg: Config, url: str) -> bool:
    token = read_token(cfg.path(cfg.queue.token_file))
    if token is None or token.url != url:
        return False
    store = HallServerStore(url, token=token.token, probe_s=0)
    store.open()
    try:
        store.tickets()                 # needs an enrolled kiosk's token
        return True
    except KioskError:
        return False
    finally:
        store.close()


def _run(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise KioskError(f"demo: `{' '.join(cmd[2:])}` failed: {done.stderr.strip()}")
    return done.stdout


def pages(url: str) -> list[str]:
    """The hall's browser pages this service serves (the window page, the TV display: issue 15's
    hall/web, mounted by `kiosk hall serve` when it is there)."""
    found = []
    with httpx.Client(timeout=5.0) as client:
        for path in ("/window", "/display"):
            try:
                if client.get(url + path).status_code == 200:
                    found.append(path)
            except httpx.HTTPError:
                pass
    return found


def describe(url: str, pin_file: Path) -> list[str]:
    server = "" if url == "http://127.0.0.1:8700" else f" --server {url}"
    served = pages(url)
    web = [f"  窗口页面：{url}/window   （浏览器打开；工号 {DEMO_STAFF}，密码 {DEMO_PIN}，"
           f"{DEMO_WINDOW}号窗口）"] if "/window" in served else []
    web += [f"  大厅屏幕：{url}/display"] if "/display" in served else []
    return [
        f"叫号服务（演示）已启动：{url}   （自助终端通过它取号）",
        *web,
        f"  窗口叫号：kiosk counter login {DEMO_WINDOW} --staff {DEMO_STAFF} --pin-file "
        f"{pin_file}{server}",
        "            kiosk counter next   /   recall / start / finish / no-show / pause 午休",
        f"  大厅显示：kiosk display --server {url}   （或浏览器打开 {url}/api/state）",
        f"  当日统计：kiosk hall report --database sqlite:{pin_file.parent / 'hall.sqlite'}",
    ]


def pin_file(cfg: Config) -> Path:
    """The demo PIN in a 0600 file, so the printed login line works as it is."""
    path = cfg.path("var/demo-window-pin")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DEMO_PIN + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path

