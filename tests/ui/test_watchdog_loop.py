"""The UI loop pings the systemd watchdog (a real AF_UNIX datagram socket stands in for
systemd's NOTIFY_SOCKET): READY once the first frame is up, WATCHDOG=1 every half period
while the loop turns, nothing while it does not (so a frozen loop gets restarted)."""

from __future__ import annotations

import socket
from pathlib import Path

from kiosk.lookup import catalog_from_file, make_searcher
from kiosk.watchdog import Notifier
from screens.app import App
from tests.support.catalogs import MINI_CATALOG
from tests.ui.helpers import FakeClock, config


def _received(sock: socket.socket) -> list[bytes]:
    out = []
    while True:
        try:
            out.append(sock.recv(100))
        except BlockingIOError:
            return out


def test_loop_pings_watchdog(tmp_path: Path) -> None:
    path = tmp_path / "notify.sock"
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(str(path))
    systemd.setblocking(False)
    clock = FakeClock()
    notifier = Notifier({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "30000000"}, clock=clock)
    cat = catalog_from_file(MINI_CATALOG)
    app = App(config(), cat, make_searcher(cat), headless=True, windowed=True, clock=clock,
              notifier=notifier)
    app.open()
    try:
        app.post(lambda: setattr(app, "running", False))   # one turn of run(), then stop
        app.run()
        assert _received(systemd) == [b"WATCHDOG=1", b"READY=1"]
        clock.advance(10)
        app.step(0)
        assert _received(systemd) == []                    # 10 s < half of 30 s
        clock.advance(6)
        app.step(0)
        assert _received(systemd) == [b"WATCHDOG=1"]
        clock.advance(60)                                  # the loop did not turn: silence
        assert _received(systemd) == []
    finally:
        app.close()
        systemd.close()
