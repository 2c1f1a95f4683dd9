"""Which queue service serves a procedure: the windows its guide names ("一楼9号窗口（公安户籍
窗口）") against the windows each `[[services]]` counter list covers. The guide's 去取号 button
takes the citizen straight to that service; `kiosk doctor` checks that every window a guide
names is served by some service (else the guide sends people to a window no ticket calls)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from kiosk.config import ServiceConfig

WINDOW = re.compile(r"(\d+)号窗口")


def windows_named(location: str) -> list[str]:
    """'…一楼9号窗口（公安户籍窗口）' → ['9号窗口']."""
    return [f"{n}号窗口" for n in WINDOW.findall(location)]


def service_for(services: Sequence[ServiceConfig], location: str) -> ServiceConfig | None:
    """The first service whose counters include a window the location names."""
    for window in windows_named(location):
        for svc in services:
            if window in svc.counters:
                return svc
    return None


def unserved_windows(services: Sequence[ServiceConfig],
                     items: Iterable[tuple[str, str, str]]) -> dict[str, list[str]]:
    """Windows named by items (code, name, location) that no service's counters cover, with
    the names of the items that name them."""
    served = {c for svc in services for c in svc.counters}
    out: dict[str, list[str]] = {}
    for _code, name, location in items:
        for window in windows_named(location):
            if window not in served:
                out.setdefault(window, []).append(name)
    return dict(sorted(out.items(), key=lambda kv: int(kv[0].split("号")[0])))
