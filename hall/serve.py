"""`kiosk hall serve`: the hall service under uvicorn, on the socket it is told.

Binding the socket here (not in uvicorn) lets `--listen 127.0.0.1:0` pick a free port and
print it — what the tests and the demo do — and lets a bad address fail with one plain line.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from hall.app import HallService, describe, log_file, open_store
from hall.fleet_relay import relay_routes
from hall.web import pages
from kiosk.logsetup import setup_logging
from kiosk.queue.hallconfig import HallSettings
from kiosk.sync.relay import Relay

log = logging.getLogger("hall")


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"--listen {text!r}: expected HOST:PORT, e.g. 0.0.0.0:8700")
    return host.strip("[]") or "127.0.0.1", int(port)


def bind(listen: str) -> socket.socket:
    host, port = parse_listen(listen)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot listen on {listen}: {exc.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _server(service: HallService) -> uvicorn.Server:
    config = uvicorn.Config(service.app, log_level="warning", access_log=False,
                            lifespan="off", timeout_graceful_shutdown=2)
    return uvicorn.Server(config)


def serve(settings: HallSettings, database: str, listen: str, relay: Relay | None = None
          ) -> int:
    """Run until SIGTERM/SIGINT. Prints one line with the address, then logs. `relay`: the
    kiosks' fleet messages are kept and forwarded to the county (hall/fleet_relay.py)."""
    setup_logging(log_file(settings).parent, "INFO")
    sock = bind(listen)
    routes = [*pages.routes(), *(relay_routes(relay) if relay is not None else ())]
    service = HallService(settings, open_store(database, settings), extra_routes=routes)
    pages.mount(service)         # the window, manager, display and rating pages (issue 15)
    service.open()
    if relay is not None:
        relay.start()
        log.info("fleet relay to %s (hall %s)", relay.url, relay.hall.kiosk)
    print(f"hall service {settings.hall.name}: {url_of(sock)} on {describe(database)}",
          flush=True)
    log.info("hall service listening on %s, database %s", url_of(sock), describe(database))
    server = _server(service)
    # uvicorn hands a SIGTERM/SIGINT back to the handler that was there before it, once it has
    # shut down: let that be a no-op, so the service closes its store and exits 0 (systemd's
    # stop) instead of dying by the signal half-way through its own clean-up.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    try:
        server.run(sockets=[sock])
    finally:
        if relay is not None:
            relay.stop()
            relay.outbox.close()
        service.close()
        sock.close()
        log.info("hall service stopped")
    return 0


@contextmanager
def running(service: HallService, listen: str = "127.0.0.1:0") -> Iterator[str]:
    """The service in a thread of this process (tests, bench): its base URL."""
    sock = bind(listen)
    service.open()
    server = _server(service)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name="hall-uvicorn", daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("hall service thread ended before it started")
            thread.join(0.02)
        yield url_of(sock)
    finally:
        service.hub.stop()              # ends the event streams, so the shutdown is quick
        server.should_exit = True
        thread.join(timeout=10)
        service.close()
        sock.close()
