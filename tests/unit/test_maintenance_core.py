"""Maintenance mode's core: PIN hashing and lockout, the corner gesture, sd_notify, logs."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.logsetup import scrub, setup_logging
from kiosk.maintenance.gesture import CornerGesture, GestureSpec
from kiosk.maintenance.pin import PinGate, hash_pin, verify_pin, write_pin_hash
from kiosk.watchdog import Notifier


def test_hash_is_salted_and_verifies() -> None:
    a, b = hash_pin("246810"), hash_pin("246810")
    assert a != b  # a fresh salt each time
    assert "246810" not in a
    assert verify_pin("246810", a) and verify_pin("246810", b)
    assert not verify_pin("246811", a)
    assert not verify_pin("246810", "")
    assert not verify_pin("246810", "scrypt$16384$8$1$!!$??")
    assert not verify_pin("246810", "scrypt$1073741824$8$1$AAAA$AAAA")  # cost bomb refused
    with pytest.raises(ValueError):
        hash_pin("1234")


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


def test_five_wrong_tries_lock_entry(tmp_path: Path) -> None:
    clock = Clock()
    gate = PinGate(hash_pin("135790"), max_attempts=5, lockout_s=300,
                   state_path=tmp_path / "pin.json", clock=clock)
    results = [gate.check("000000") for _ in range(4)]
    assert [r.tries_left for r in results] == [4, 3, 2, 1]
    assert "还可以再试 1 次" in results[-1].message
    fifth = gate.check("000000")
    assert fifth.locked_for_s == 300 and not fifth.accepted
    # Locked: even the right PIN is refused, and a restart (new gate) does not unlock.
    again = PinGate(hash_pin("135790"), 5, 300, tmp_path / "pin.json", clock=clock)
    assert not again.check("135790").accepted
    assert "5 分钟后再试" in again.check("135790").message
    clock.t += 301
    assert again.locked_for() == 0
    assert again.check("135790").accepted


def test_success_resets_the_count(tmp_path: Path) -> None:
    gate = PinGate(hash_pin("135790"), 3, 60, tmp_path / "pin.json", clock=Clock())
    gate.check("1"), gate.check("2")
    assert gate.check("135790").accepted
    assert gate.check("3").tries_left == 2


def test_unset_pin_never_opens(tmp_path: Path) -> None:
    gate = PinGate("", 5, 60, tmp_path / "pin.json")
    assert not gate.configured
    assert not gate.check("").accepted


def test_write_pin_hash_keeps_the_rest_of_the_file(tmp_path: Path, repo: Path) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text((repo / "kiosk.toml").read_text(encoding="utf-8"), encoding="utf-8")
    before = cfg.read_text(encoding="utf-8")
    h = hash_pin("555666")
    write_pin_hash(cfg, h)
    after = cfg.read_text(encoding="utf-8")
    assert f'pin_hash = "{h}"' in after
    assert after.count("pin_hash") == 1
    assert len(after.splitlines()) == len(before.splitlines())
    assert "# set with: kiosk admin set-pin" in after


def test_cli_set_pin(run_kiosk, tmp_path: Path, repo: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text((repo / "kiosk.toml").read_text(encoding="utf-8"), encoding="utf-8")
    bad = run_kiosk("--config", str(cfg), "admin", "set-pin", "--pin-stdin", input="12\n")
    assert bad.returncode == 1 and "6 to 12 digits" in bad.stderr
    ok = run_kiosk("--config", str(cfg), "admin", "set-pin", "--pin-stdin", input="80261357\n")
    assert ok.returncode == 0, ok.stderr
    text = cfg.read_text(encoding="utf-8")
    assert "80261357" not in text
    stored = text.split('pin_hash = "')[1].split('"')[0]
    assert verify_pin("80261357", stored)


def test_corner_gesture() -> None:
    g = CornerGesture(1080, 1920, GestureSpec(hold_s=3.0, within_s=5.0, corner_px=100))
    # Long press top-left, then tap bottom-right: opens.
    g.press(0.0, 10, 10)
    assert not g.release(3.2, 12, 8)
    g.press(5.0, 1070, 1910)
    assert g.release(5.1, 1070, 1910)
    # A short press does not arm it.
    g.press(10.0, 10, 10)
    assert not g.release(10.5, 10, 10)
    g.press(11.0, 1070, 1910)
    assert not g.release(11.1, 1070, 1910)
    # Too slow to the second corner.
    g.press(20.0, 10, 10)
    g.release(23.5, 10, 10)
    g.press(29.0, 1070, 1910)
    assert not g.release(29.1, 1070, 1910)
    # A tap elsewhere in between disarms it.
    g.press(40.0, 10, 10)
    g.release(43.1, 10, 10)
    g.press(43.5, 500, 900)
    g.release(43.6, 500, 900)
    g.press(44.0, 1070, 1910)
    assert not g.release(44.1, 1070, 1910)
    # Sliding out of the corner while holding does not count.
    g.press(50.0, 10, 10)
    assert not g.release(53.5, 400, 400)


def test_watchdog_pings_a_real_notify_socket(tmp_path: Path) -> None:
    path = tmp_path / "notify.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(2)
    t = [0.0]
    n = Notifier({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "10000000"}, clock=lambda: t[0])
    assert n.interval_s == 5.0
    assert n.ready()
    assert server.recv(100) == b"READY=1"
    assert n.ping()
    assert server.recv(100) == b"WATCHDOG=1"
    t[0] = 4.0
    assert not n.ping()  # too soon: at most every interval
    t[0] = 5.1
    assert n.ping()
    assert server.recv(100) == b"WATCHDOG=1"
    n.close()
    server.close()


def test_watchdog_is_a_no_op_outside_systemd() -> None:
    n = Notifier({})
    assert not n.enabled and not n.ready() and not n.ping()


def test_scrub_masks_id_like_numbers() -> None:
    assert scrub("card 11010519491231002X read") == "card 1101**********002X read"
    assert scrub("old 110105491231002") == "old 1101*******1002"
    # Things that are not ID numbers stay as they are.
    assert scrub("ticket A001 at 2026-11-23 09:30, 12 items") == \
        "ticket A001 at 2026-11-23 09:30, 12 items"
    assert scrub("x110105194912310020000") == "x110105194912310020000"


def test_log_file_rotates_and_is_scrubbed(tmp_path: Path) -> None:
    log_path = setup_logging(tmp_path / "log", "DEBUG", max_bytes=10_000, backups=2,
                             to_stderr=False)
    assert log_path == tmp_path / "log" / "kiosk.log"
    log = logging.getLogger("test.privacy")
    for i in range(400):
        log.info("line %d for 11010519491231002X and more text to fill the file", i)
    for h in logging.getLogger().handlers:
        h.flush()
    files = sorted(p.name for p in (tmp_path / "log").iterdir())
    assert files == ["kiosk.log", "kiosk.log.1", "kiosk.log.2"]
    for f in (tmp_path / "log").iterdir():
        assert f.stat().st_size <= 10_000
        assert "11010519491231002X" not in f.read_text(encoding="utf-8")
    logging.getLogger().handlers.clear()


def test_escpos_connect_chatter_stays_out_of_an_info_log(tmp_path: Path) -> None:
    import escpos.printer  # noqa: F401  (the real library, which logs on the root logger)

    def chatter() -> None:
        rec = logging.LogRecord("root", logging.INFO, "/x/site-packages/escpos/printer/network.py",
                                111, "Network printer enabled", None, None)
        logging.getLogger().handle(rec)
        logging.getLogger("kiosk.test").info("a line of our own")

    for level, expect_chatter in (("INFO", False), ("DEBUG", True)):
        text = _logged(tmp_path / level, level, chatter)
        assert "a line of our own" in text
        assert ("Network printer enabled" in text) is expect_chatter


def test_httpx_request_lines_stay_out_of_an_info_log(tmp_path: Path) -> None:
    """A kiosk issuing through the hall service asks it for the queue every few seconds; httpx
    logs each request at INFO. A real request to a real loopback server."""
    import http.server
    import threading

    import httpx

    class Ok(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def request() -> None:
        httpx.get(f"http://127.0.0.1:{server.server_address[1]}/api/services")
        logging.getLogger("kiosk.test").info("a line of our own")

    try:
        for level, expect_line in (("INFO", False), ("DEBUG", True)):
            text = _logged(tmp_path / level, level, request)
            assert "a line of our own" in text
            assert ("/api/services" in text) is expect_line
    finally:
        server.shutdown()
        server.server_close()


def _logged(folder: Path, level: str, act: Callable[[], None]) -> str:
    """What `act` leaves in a fresh kiosk log at `level`; the root logger restored after."""
    root = logging.getLogger()
    before, level_before = list(root.handlers), root.level
    try:
        path = setup_logging(folder, level, to_stderr=False)
        act()
        for h in root.handlers:
            h.flush()
        return path.read_text(encoding="utf-8")
    finally:
        for h in list(root.handlers):
            root.removeHandler(h)
            h.close()
        for h in before:
            root.addHandler(h)
        root.setLevel(level_before)
