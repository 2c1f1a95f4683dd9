"""Real headless Chromium for page tests: Debian's /usr/bin/chromium driven by Playwright
(which cannot download a browser here), a fresh profile per test, no background network.

    with chromium_page(tmp_path) as page:
        page.goto(url)

A browser that cannot start fails the test with one line naming the command and what it
said — never a skip."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


class BrowserStartError(RuntimeError):
    pass


@contextmanager
def chromium_page(viewport: tuple[int, int] = (1280, 900)) -> Iterator[Any]:
    from playwright.sync_api import Error, sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    try:
        with sync_playwright() as p:
            try:
                context = p.chromium.launch_persistent_context(
                    str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
                    viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN")
            except Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                raise BrowserStartError(f"chromium could not start: `{CHROMIUM} "
                                        f"{' '.join(FLAGS)}`: {first}") from None
            try:
                # a page of our own: the one Chromium opens with a persistent profile can be
                # replaced under us while it starts ("Not attached to an active page")
                page = context.new_page()
                for other in context.pages:
                    if other is not page:
                        other.close()
                yield page
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def chromium(viewport: tuple[int, int] = (1366, 900)) -> Iterator[Any]:
    """The BrowserContext itself (several pages, downloads): the hall page tests."""
    from playwright.sync_api import Error, sync_playwright

    if shutil.which(CHROMIUM) is None:
        raise BrowserStartError(f"chromium: {CHROMIUM} not found (apt-get install chromium)")
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    try:
        with sync_playwright() as p:
            try:
                context = p.chromium.launch_persistent_context(
                    str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
                    viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN",
                    accept_downloads=True)
            except Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                raise BrowserStartError(f"chromium could not start: `{CHROMIUM} "
                                        f"{' '.join(FLAGS)}`: {first}") from None
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
