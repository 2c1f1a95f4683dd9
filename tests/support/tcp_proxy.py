"""A loopback TCP proxy that a test can cut and restore: the network between a display and the
hall service failing for real (connections reset, new ones refused), not a mock.

    with TcpProxy(("127.0.0.1", hall_port)) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"
        proxy.cut()        # every open connection is reset, new ones are refused
        proxy.restore()    # connections are accepted and forwarded again
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from types import TracebackType


class TcpProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._open = threading.Event()
        self._open.set()
        self._stop = threading.Event()
        self.accepted = 0
        self.refused = 0
        self._thread = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut(self) -> None:
        """Reset every connection now and refuse new ones until `restore()`."""
        self._open.clear()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                reset(s)

    def restore(self) -> None:
        self._open.set()

    def close(self) -> None:
        self._stop.set()
        self.cut()
        self._server.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if not self._open.is_set():
                self.refused += 1
                reset(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                reset(client)
                continue
            upstream.settimeout(None)
            self.accepted += 1
            with self._lock:
                self._pairs.append((client, upstream))
            if not self._open.is_set():        # cut while this one was being connected
                self.cut()
                continue
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(src, dst), daemon=True).start()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


def reset(s: socket.socket) -> None:
    """Close with RST (SO_LINGER 0): the peer sees "connection reset", as on a pulled cable
    that a switch reports, rather than a polite FIN."""
    with contextlib.suppress(OSError):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RD)   # wakes the pipe thread blocked in recv (no FIN sent)
    with contextlib.suppress(OSError):
        s.close()
