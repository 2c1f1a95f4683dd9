"""Client of the simulated reader's control channel: the demo UI's "place a card" button,
tests and `kiosk sim idreader` scripts use it."""

from __future__ import annotations

import socket

from devices.errors import ReaderError
from devices.sim.idreader_transport import parse_tcp_url


def send_control(url: str, line: str, timeout_s: float = 2.0) -> str:
    """Send one command line (e.g. `place resident`), return the reply line (`ok …`/`error …`)."""
    host, port = parse_tcp_url(url)
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as sock:
            sock.sendall(line.strip().encode("utf-8") + b"\n")
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = sock.recv(4096)
                if not chunk:
                    break
                reply += chunk
    except OSError as exc:
        raise ReaderError(f"simulated reader control {url}: {exc}") from exc
    return reply.decode("utf-8", "replace").strip()
