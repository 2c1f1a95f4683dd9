"""The county's whole path with real processes, as a county and a township would run it:

    kiosk county keys init / publish            (the publisher's PC)
    kiosk county serve --repo … --database …    (the county server, on a private PostgreSQL)
    kiosk county enrol-hall / enrol-kiosk / operator, kiosk fleet join
    kiosk sim printer                           (the kiosk's receipt printer, simulated)
    --notify webhook:… --notify module:factory  (a work chat robot, a county's own plug-in)
    kiosk catalog update                        (online through the county's /repo, then from
                                                 a USB stick's copy of the repository)
    kiosk fleet run                             (the kiosk's fleet agent heartbeating)

and the county's dashboard in a real Chromium: the kiosk is there, green, on the catalog it
verified; its printer runs out of paper and the dashboard, the webhook and the plug-in say so
within two heartbeats, then it resolves by itself; a one-item change is published, travels
as a handful of small files, is picked up, and the dashboard shows the new version after the
next heartbeat. Screenshots go to
$KIOSK_SHOTS/county (or the test's folder)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import httpx
import pytest

from tests.conftest import REPO
from tests.county.test_fleet_service import Webhook
from tests.support.browser import chromium_page
from tests.support.county_repo import FORMS, REGION, mini_doc
from tests.support.county_service import free_port

Run = Callable[..., CompletedProcess[str]]
INTERVAL_S = 10
HALL = "清河镇便民服务中心"
OPERATOR, PASSWORD = "县数据局值班员", "duty-pass-1"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


class Proc:
    """A long-running `kiosk …` process whose output goes to a file (read on failure)."""

    def __init__(self, name: str, args: list[str], cwd: Path) -> None:
        self.log = cwd / f"{name}.out"
        self._out = self.log.open("w", encoding="utf-8")
        self.name = name
        self.popen = subprocess.Popen([sys.executable, "-m", "kiosk", *args], cwd=cwd,
                                      stdout=self._out, stderr=subprocess.STDOUT, text=True,
                                      env=_env())

    def said(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> int:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
        try:
            rc = self.popen.wait(20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            rc = self.popen.wait(5)
        self._out.close()
        return rc


@pytest.fixture
def procs() -> Iterator[list[Proc]]:
    started: list[Proc] = []
    try:
        yield started
    finally:
        for p in reversed(started):
            p.stop()


def _wait_http(url: str, proc: Proc, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not proc.alive():
            raise AssertionError(f"{proc.name} exited: {proc.said()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {timeout_s} s; {proc.name}: {proc.said()}")


def _wait_line(proc: Proc, pattern: str, timeout_s: float = 60) -> re.Match[str]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = re.search(pattern, proc.said())
        if found:
            return found
        if not proc.alive():
            break
        time.sleep(0.2)
    raise AssertionError(f"{proc.name} never said /{pattern}/: {proc.said()}")


def _ok(r: CompletedProcess[str]) -> str:
    assert r.returncode == 0, f"exit {r.returncode}: {r.stdout}{r.stderr}"
    return r.stdout


def _code(out: str) -> str:
    found = re.search(r"one-time code (\S+)", out)
    assert found, out
    return found.group(1)


def _kiosk_toml(base: Path, root: Path, county: str, printer: int) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    cfg = base / "kiosk.toml"
    cfg.write_text(
        f'[hall]\nregion_code = "{REGION}"\nname = "{HALL}"\n\n'
        f'[receipt_printer]\nurl = "tcp://127.0.0.1:{printer}"\ntimeout_s = 2.0\n\n'
        '[id_reader]\nenabled = false\n\n[document_printer]\nenabled = false\n\n'
        '[scanner]\nenabled = false\n\n'
        f'[catalog]\ndb = "var/catalog.sqlite"\nseed = ""\nforms_dir = "var/forms"\n'
        f'update_root = "{root}"\nupdate_url = "{county}/repo"\nupdate_stick = false\n'
        'sync_dir = "var/sync"\n\n'
        f'[fleet]\nurl = "{county}"\ninterval_s = {INTERVAL_S}\n', "utf-8")
    return cfg


def _tile(page: Any, kiosk_id: str) -> tuple[str, str]:
    loc = page.locator(f'[data-kiosk="{kiosk_id}"]')
    if loc.count() == 0:
        return "", ""
    return str(loc.get_attribute("data-colour")), str(loc.inner_text())


def _wait_tile(page: Any, url: str, kiosk_id: str, colour: str, text: str,
               timeout_s: float) -> None:
    start = time.monotonic()
    seen = ("", "")
    while time.monotonic() - start < timeout_s:
        page.goto(url)
        seen = _tile(page, kiosk_id)
        if seen[0] == colour and text in seen[1]:
            return
        time.sleep(0.5)
    raise AssertionError(f"kiosk {kiosk_id} tile never showed {colour}/{text!r} in "
                         f"{timeout_s} s; last: {seen}")


def _printer_says(port: int, command: str) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(command.encode() + b"\n")
        s.recv(256)


def _wait_for(done: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} in {timeout_s} s")
        time.sleep(0.2)


def _update(run_kiosk: Run, cfg: Path, *source: str) -> dict[str, Any]:
    r = run_kiosk("--config", str(cfg), "catalog", "update", *source, "--json")
    out: dict[str, Any] = json.loads(r.stdout)
    assert r.returncode == 0, r.stdout + r.stderr
    return out


@pytest.mark.slow
def test_publish_serve_update_online_and_by_stick_heartbeat_and_dashboard(
        run_kiosk: Run, tmp_path: Path, pg_url: str, procs: list[Proc]) -> None:
    shots = (Path(os.environ["KIOSK_SHOTS"]) / "county" if os.environ.get("KIOSK_SHOTS")
             else tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    db = ["--database", pg_url]
    # ---- the publisher's PC: keys, then the first publication ---------------------------------
    repo, keys = tmp_path / "repo", tmp_path / "keys"
    _ok(run_kiosk("county", "keys", "init", "--repo", str(repo), "--keys", str(keys),
                  "--offline", str(tmp_path / "offline")))
    v1 = tmp_path / "catalog-v1.json"
    v1.write_text(json.dumps(mini_doc("2026.12.01", "2026-12-01"), ensure_ascii=False), "utf-8")
    _ok(run_kiosk("county", "publish", str(v1), "--forms", str(FORMS), "--repo", str(repo),
                  "--keys", str(keys), "--region", REGION))

    # ---- the county server ---------------------------------------------------------------------
    port = free_port()
    county = f"http://127.0.0.1:{port}"
    Webhook.got = []
    hook = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    plugged = tmp_path / "alerts.txt"
    server = Proc("county-serve", [
        "county", "serve", "--listen", f"127.0.0.1:{port}", *db, "--repo", str(repo),
        "--notify", f"webhook:http://127.0.0.1:{hook.server_port}/robot",
        "--notify", f"tests.support.notify_plugin:to_file:{plugged}"], tmp_path)
    procs.append(server)
    _wait_http(f"{county}/repo/metadata/1.root.json", server)
    _ok(run_kiosk("county", "enrol-hall", HALL, "--region", REGION, *db))
    code = _code(_ok(run_kiosk("county", "enrol-kiosk", "1号机", "--hall", HALL, *db)))
    (tmp_path / "pw").write_text(PASSWORD + "\n", "utf-8")
    _ok(run_kiosk("county", "operator", OPERATOR, "--password-file", str(tmp_path / "pw"), *db))

    # ---- the kiosk: its printer, enrolment, the first update online through the county ---------
    kiosk_dir = tmp_path / "kiosk"
    kiosk_dir.mkdir()
    printer = Proc("sim-printer", ["sim", "printer", "--listen", "tcp://127.0.0.1:0", "--out",
                                   str(kiosk_dir / "var" / "receipts"), "--control",
                                   "tcp://127.0.0.1:0"], kiosk_dir)
    procs.append(printer)
    printer_port = int(_wait_line(printer, r"listening on tcp://127\.0\.0\.1:(\d+)").group(1))
    control = int(_wait_line(printer, r"control channel on tcp://127\.0\.0\.1:(\d+)").group(1))
    cfg = _kiosk_toml(kiosk_dir, repo / "metadata" / "1.root.json", county, printer_port)
    joined = _ok(run_kiosk("--config", str(cfg), "fleet", "join", county, "--code", code))
    kiosk_id = re.search(r"enrolled as (\S+)", joined).group(1)  # type: ignore[union-attr]

    first = _update(run_kiosk, cfg)                        # [catalog].update_url
    assert first["outcome"] == "updated" and first["to_version"] == "2026.12.01", first
    assert first["source"] == f"{county}/repo" and first["items"] == 4
    assert (kiosk_dir / "var" / "forms" / "F-DB-01.pdf").is_file()   # the form came along
    status = json.loads(run_kiosk("--config", str(cfg), "status", "--json").stdout)
    cat = status["catalog"]
    assert cat["version"] == "2026.12.01" and cat["verified_at"] and cat["expires"]
    assert cat["update_outcome"] == "updated" and not cat["expired"]

    # ---- its fleet agent heartbeats; the dashboard shows it ----------------------------------
    agent = Proc("fleet-run", ["--config", str(cfg), "fleet", "run"], kiosk_dir)
    procs.append(agent)
    _wait_line(agent, r"fleet agent \S+ → ")
    with chromium_page() as page:
        page.goto(county + "/")
        page.fill("input[name=name]", OPERATOR)
        page.fill("input[name=password]", PASSWORD)
        page.click("button")
        _wait_tile(page, county + "/", kiosk_id, "green", "2026.12.01", 3 * INTERVAL_S)
        page.screenshot(path=str(shots / "e2e-dashboard-v1.png"), full_page=True)

        # ---- paper out: an urgent event at once; dashboard, webhook and plug-in --------------
        _printer_says(control, "paper out")
        _wait_tile(page, county + "/", kiosk_id, "red", "凭条打印机缺纸", 2 * INTERVAL_S)
        page.screenshot(path=str(shots / "e2e-paper-out.png"), full_page=True)
        _wait_for(lambda: bool(Webhook.got) and plugged.exists(), 2 * INTERVAL_S, "alerts")
        robot = Webhook.got[0]["text"]["content"]
        assert HALL in robot and "1号机" in robot and "凭条打印机" in robot, robot
        assert "凭条打印机" in plugged.read_text("utf-8") and HALL in plugged.read_text("utf-8")
        _printer_says(control, "paper ok")
        _wait_tile(page, county + "/", kiosk_id, "green", "一切正常", 2 * INTERVAL_S)
        hook.shutdown()

        # ---- a one-item change, carried to the hall on a USB stick ---------------------------
        doc = mini_doc("2026.12.02", "2026-12-02")
        doc["items"][2]["name"] += "（新）"
        v2 = tmp_path / "catalog-v2.json"
        v2.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        pub = json.loads(_ok(run_kiosk("county", "publish", str(v2), "--forms", str(FORMS),
                                       "--repo", str(repo), "--keys", str(keys), "--region",
                                       REGION, "--json")))
        assert pub["changed_roles"] == [f"bundle-{REGION}", "snapshot", "timestamp"], pub
        stick = tmp_path / "media" / "U盘" / "county-repo"
        shutil.copytree(repo, stick)
        by_stick = _update(run_kiosk, cfg, "--from", str(stick))
        assert by_stick["outcome"] == "updated", by_stick
        assert (by_stick["from_version"], by_stick["to_version"]) == ("2026.12.01",
                                                                      "2026.12.02")
        # timestamp, snapshot, the township's role, its index, the one item (+ a probe for
        # the next root): nothing else moves
        assert by_stick["files_fetched"] <= 6, by_stick
        assert by_stick["bytes_fetched"] < first["bytes_fetched"] / 5, (by_stick, first)
        online = _update(run_kiosk, cfg)
        assert online["outcome"] == "current" and online["to_version"] == "2026.12.02"

        _wait_tile(page, county + "/", kiosk_id, "green", "2026.12.02", 3 * INTERVAL_S)
        page.click(f'[data-kiosk="{kiosk_id}"]')
        kiosk_page = page.inner_text("main")
        assert "2026.12.02" in kiosk_page
        page.screenshot(path=str(shots / "e2e-kiosk-v2.png"), full_page=True)

        # ---- the next change, online; the kiosk picks it up and the county sees it ------------
        doc = mini_doc("2026.12.03", "2026-12-03")
        doc["items"][2]["name"] += "（新）"
        doc["items"][1]["name"] += "（改）"
        v3 = tmp_path / "catalog-v3.json"
        v3.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        _ok(run_kiosk("county", "publish", str(v3), "--forms", str(FORMS), "--repo",
                      str(repo), "--keys", str(keys), "--region", REGION))
        third = _update(run_kiosk, cfg)
        assert (third["outcome"], third["from_version"], third["to_version"]) == (
            "updated", "2026.12.02", "2026.12.03"), third
        assert third["files_fetched"] <= 6, third
        _wait_tile(page, county + "/", kiosk_id, "green", "2026.12.03", 3 * INTERVAL_S)
        page.screenshot(path=str(shots / "e2e-dashboard-v3.png"), full_page=True)

    assert agent.stop() == 0, agent.said()
    assert server.alive(), server.said()
    guide = run_kiosk("--config", str(cfg), "show", doc["items"][1]["code"])
    assert "（改）" in guide.stdout, guide.stdout + guide.stderr
