"""Where an update comes from: the county service over HTTP, or a USB stick holding the same
repository folder. Both are TUF fetchers (python-tuf's FetcherInterface): they only move
bytes; every byte is then checked against signed metadata by the Updater.

Each counts what it moved (the bench's "bytes moved for a one-item change").
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface

CHUNK = 64 * 1024


class BrokenOff(exceptions.DownloadError):
    """The connection ended before the whole file came (a truncated download)."""


class CountingFetcher(FetcherInterface):
    def __init__(self) -> None:
        self.bytes = 0
        self.files = 0

    def _count(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        self.files += 1
        for chunk in chunks:
            self.bytes += len(chunk)
            yield chunk


class HttpFetcher(CountingFetcher):
    """httpx, one connection reused for the whole check; no retries here (the next check
    is the retry)."""

    def __init__(self, timeout_s: float = 30.0, client: httpx.Client | None = None) -> None:
        super().__init__()
        self._client = client or httpx.Client(timeout=timeout_s, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def _fetch(self, url: str) -> Iterator[bytes]:
        try:
            response = self._client.send(self._client.build_request("GET", url), stream=True)
        except httpx.HTTPError as exc:
            raise exceptions.DownloadError(f"{url}: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            response.close()
            raise exceptions.DownloadHTTPError(f"{url}: HTTP {response.status_code}",
                                               response.status_code)
        return self._count(self._stream(url, response))

    @staticmethod
    def _stream(url: str, response: httpx.Response) -> Iterator[bytes]:
        try:
            yield from response.iter_bytes(CHUNK)
        except httpx.HTTPError as exc:
            raise BrokenOff(f"{url}: the download broke off ({type(exc).__name__})") from exc
        finally:
            response.close()


class StickFetcher(CountingFetcher):
    """A repository folder on a USB stick (or any folder): file:// URLs under `root`. A
    missing file answers like HTTP 404 (TUF stops looking for newer roots there); a read
    that fails half-way — the stick pulled out — is a DownloadError, never a short file."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root.resolve()

    def url(self, *parts: str) -> str:
        return (self.root / Path(*parts)).as_uri() + "/"

    def _path(self, url: str) -> Path:
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise exceptions.DownloadError(f"{url}: not a file:// URL")
        path = Path(unquote(parsed.path))
        if ".." in path.parts or not str(path).startswith(str(self.root) + os.sep):
            raise exceptions.DownloadError(f"{url}: outside the repository folder {self.root}")
        return path

    def _fetch(self, url: str) -> Iterator[bytes]:
        path = self._path(url)
        if not self.root.is_dir():
            raise exceptions.DownloadError(f"{self.root}: the repository folder is gone; was "
                                           "the USB drive removed?")
        try:
            f = path.open("rb")
        except FileNotFoundError:
            raise exceptions.DownloadHTTPError(f"{path}: not on the drive", 404) from None
        except OSError as exc:
            raise exceptions.DownloadError(f"{path}: cannot be read ({exc.strerror}); was the "
                                           "USB drive removed?") from exc
        return self._count(self._read(path, f))

    @staticmethod
    def _read(path: Path, f: object) -> Iterator[bytes]:
        import io

        assert isinstance(f, io.BufferedReader)
        with f:
            while True:
                try:
                    chunk = f.read(CHUNK)
                except OSError as exc:
                    raise exceptions.DownloadError(f"{path}: reading stopped ({exc.strerror}); "
                                                   "was the USB drive removed?") from exc
                if not chunk:
                    return
                yield chunk
