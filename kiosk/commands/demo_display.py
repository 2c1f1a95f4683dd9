"""The demo's hall display: `kiosk display` in a window of its own beside the kiosk, following
the demo's hall service, so a person trying the demo sees a call on the hall's screen and hears
it (or, with no sound card, sees it and finds it said in the display's log)."""

from __future__ import annotations

import subprocess

from kiosk.config import Config

SIZE = "960x540"
"""Half a 1920×1080 TV: beside the kiosk's window on one desktop."""


def command(base: list[str], url: str) -> list[str]:
    return [*base, "display", "--server", url, "--windowed", "--size", SIZE]


def start(base: list[str], cfg: Config, url: str) -> subprocess.Popen[bytes]:
    """The display as a child process; its own words go to var/log/display-demo.stderr (not a
    pipe: nobody would drain it)."""
    log = cfg.path("var/log/display-demo.stderr")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as err:
        return subprocess.Popen(command(base, url), stdout=subprocess.DEVNULL, stderr=err)


def describe(url: str) -> list[str]:
    return [f"  大厅显示屏：已在另一个窗口打开（{SIZE}），叫号时显示并播报；"
            f"它的日志在 var/log/display-demo.stderr"]
