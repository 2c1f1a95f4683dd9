"""Debian's headless Chromium driven by Playwright (it cannot download a browser here):
/usr/bin/chromium with a fresh profile per session. A browser that does not start FAILS the
test with the command and the reason in one line — never a quiet skip."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


class BrowserStartError(RuntimeError):
    pass


@contextlib.contextmanager
def chromium(viewport: tuple[int, int] = (1366, 900)) -> Iterator[Any]:
    """A Playwright BrowserContext on a fresh --user-data-dir."""
    from playwright.sync_api import Error, sync_playwright

    if shutil.which(CHROMIUM) is None:
        raise BrowserStartError(f"chromium: {CHROMIUM} not found (apt-get install chromium)")
    profile = tempfile.mkdtemp(prefix="kiosk-chromium-")
    try:
        with sync_playwright() as pw:
            try:
                context = pw.chromium.launch_persistent_context(
                    profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
                    viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN")
            except Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                raise BrowserStartError(
                    f"chromium: {CHROMIUM} {' '.join(FLAGS)} did not start: {first}") from exc
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
