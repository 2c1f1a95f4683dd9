"""Which queue service serves a procedure: the windows its guide names ("一楼9号窗口（公安户籍
窗口）") against the windows of the hall that call each service (hall.toml's [[windows]]; as a
kiosk sees them, ServiceView.windows). The guide's 去取号 button takes the citizen straight to
that service; `kiosk doctor` checks that every window a guide names is served by some service
(else the guide sends people to a window no ticket calls)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.queue.hallconfig import HallSettings

WINDOW = re.compile(r"(\d+)号窗口")


class Served(Protocol):
    """A service and the windows that call it (ServiceView is one)."""

    @property
    def prefix(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def windows(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class HallService:
    prefix: str
    name: str
    windows: tuple[str, ...]


def served_by(settings: HallSettings) -> list[HallService]:
    """hall.toml's services with the names of the windows that call them."""
    return [HallService(s.prefix, s.name, tuple(w.label for w in settings.windows_for(s.prefix)))
            for s in settings.services]


def windows_named(location: str) -> list[str]:
    """'…一楼9号窗口（公安户籍窗口）' → ['9号窗口']."""
    return [f"{n}号窗口" for n in WINDOW.findall(location)]


def service_for(services: Sequence[Served], location: str) -> Served | None:
    """The first service called at a window the location names."""
    for window in windows_named(location):
        for svc in services:
            if window in svc.windows:
                return svc
    return None


def unserved_windows(services: Sequence[Served],
                     items: Iterable[tuple[str, str, str]]) -> dict[str, list[str]]:
    """Windows named by items (code, name, location) that call no service, with the names of
    the items that name them."""
    served = {w for svc in services for w in svc.windows}
    out: dict[str, list[str]] = {}
    for _code, name, location in items:
        for window in windows_named(location):
            if window not in served:
                out.setdefault(window, []).append(name)
    return dict(sorted(out.items(), key=lambda kv: int(kv[0].split("号")[0])))
