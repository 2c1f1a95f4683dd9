"""A loopback HTTP/1.1 proxy that loses replies AFTER the server acted: the request goes through
whole, the server commits and answers, and the answer's first bytes are thrown away and the
connection reset — what a kiosk on flaky Wi-Fi meets when the hall's reply is lost on the way
back. The client can only retry (the same request id) and must get the first result.

    with DropProxy(("127.0.0.1", hall_port), drop=lambda line: line.startswith("POST")) as p:
        url = p.url          # point the kiosk here
        p.dropped            # replies lost so far (their request lines in p.dropped_lines)

`drop(request_line)` is asked once per reply (HTTP/1.1 without pipelining: a reply answers the
connection's latest request). When the upstream cannot be reached (the service was killed)
the client's connection is reset, as the network would.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from types import TracebackType

from tests.support.tcp_proxy import reset

METHODS = (b"GET ", b"POST ", b"PUT ", b"DELETE ", b"HEAD ", b"PATCH ", b"OPTIONS ")


class DropProxy:
    def __init__(self, upstream: tuple[str, int],
                 drop: Callable[[str], bool] = lambda _line: False,
                 on_drop: Callable[[str], None] | None = None) -> None:
        self.upstream = upstream
        self.drop = drop
        self.on_drop = on_drop
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.dropped = 0
        self.dropped_lines: list[str] = []
        self.forwarded = 0
        self._thread = threading.Thread(target=self._accept, name="drop-proxy", daemon=True)

    def __enter__(self) -> DropProxy:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._server.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            reset(client)
            return
        upstream.settimeout(None)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = _Conn(self, client, upstream)
        threading.Thread(target=conn.requests, daemon=True).start()
        conn.replies()

    def _decide(self, line: str) -> bool:
        if not self.drop(line):
            with self._lock:
                self.forwarded += 1
            return False
        with self._lock:
            self.dropped += 1
            self.dropped_lines.append(line)
        if self.on_drop is not None:
            self.on_drop(line)
        return True


class _Conn:
    """One client connection: requests flow up unchanged, replies down unless dropped."""

    def __init__(self, proxy: DropProxy, client: socket.socket, upstream: socket.socket) -> None:
        self.proxy, self.client, self.upstream = proxy, client, upstream
        self.last_line = ""

    def requests(self) -> None:
        try:
            while data := self.client.recv(65536):
                if data.startswith(METHODS):
                    self.last_line = data.split(b"\r\n", 1)[0].decode("latin-1")
                self.upstream.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                self.upstream.shutdown(socket.SHUT_WR)

    def replies(self) -> None:
        try:
            while data := self.upstream.recv(65536):
                if data.startswith(b"HTTP/") and self.proxy._decide(self.last_line):
                    reset(self.client)
                    reset(self.upstream)
                    return
                self.client.sendall(data)
        except OSError:
            reset(self.client)
        finally:
            with contextlib.suppress(OSError):
                self.client.shutdown(socket.SHUT_WR)
