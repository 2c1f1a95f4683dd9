"""hall.toml: the hall's own settings, the same for every kiosk and window of the hall.

Services, windows, hours, limits, the priority rule table, the no-show and transfer rules, the
reset hour and the per-person secret belong to the hall, not to each kiosk: two kiosks with
different files would otherwise apply different rules. The hall service loads this file; a
kiosk without `[queue].server` (the embedded one-kiosk shape) loads the same file, named by
`[queue].hall_config` in its kiosk.toml. Validated with kiosk.configschema, so a bad key is
named the way kiosk.toml's are, and `kiosk hall keys` lists every key.

Stdlib + configschema only: the hall service imports this module.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk import configcheck as cc
from kiosk.configschema import build, setting

_HOURS = r"([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)"   # 24:00: until midnight


class HallConfigError(Exception):
    """hall.toml cannot be used; `problems` lists each bad key."""

    def __init__(self, problems: list[str], source: str = "hall.toml") -> None:
        self.problems = list(problems)
        self.source = source
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s):\n{lines}")


@dataclass(frozen=True)
class HallInfo:
    name: str = setting("青禾县清河镇便民服务中心", "The hall's name, on the display and reports.")


@dataclass(frozen=True)
class QueueRules:
    reset_hour: int = setting(4, "Hour of the day (0-23) when numbering restarts at 001.",
                              min=0, max=23)
    priority_mode: str = setting("flag", "Priority tickets are marked with a flag, or get their "
                                         "own prefix.", choices=("flag", "prefix"))
    priority_prefix: str = setting("Y", "Prefix for priority tickets when priority_mode='prefix' "
                                        "(put before the service letter: YA001).",
                                   pattern=r"[A-Z]")
    priority_run: int = setting(3, "Anti-starvation: after this many priority calls in a row "
                                   "for a service, the next call takes an ordinary ticket.",
                                min=1, max=50)
    recall_interval_s: int = setting(10, "Seconds a window must wait before 重呼 again.",
                                     min=0, max=600)
    secret_file: str = setting("var/queue-secret.key",
                               "The hall's per-person secret (keys the hash of ID numbers for "
                               "per-person limits); handed to each kiosk at `kiosk hall join`.")


@dataclass(frozen=True)
class NoShowRules:
    policy: str = setting("back", "What 过号 does: 'back' N places, to the 'end' of the queue, "
                                  "or 'void' at once.", choices=("back", "end", "void"))
    places: int = setting(3, "How many places 'back' moves the ticket.", min=1, max=100)
    max_no_shows: int = setting(2, "Void the ticket at this many no-shows.", min=1, max=10)


@dataclass(frozen=True)
class TransferRules:
    position: str = setting("front", "Where a transferred ticket joins its new queue: at the "
                                     "'front', or by its original 'arrival'.",
                            choices=("front", "arrival"))


@dataclass(frozen=True)
class PriorityRule:
    name: str = setting(doc="The class as staff and citizens read it, e.g. 老年人, 残疾人.")
    source: str = setting("declared", "'age' (from the ID card's birth date), 'declared' (the "
                                      "citizen chooses it; the window confirms), or "
                                      "'appointment' (reserved).",
                          choices=("age", "declared", "appointment"))
    min_age: int = setting(70, "For source='age': this age or older.", min=50, max=120)
    lane: int = setting(1, "Order among priority classes: 1 is called first (ordinary "
                           "tickets are lane 9).", min=1, max=8)
    check: str = setting("", "What the window checks before serving, e.g. 核验残疾人证.")


def _default_priorities() -> list[PriorityRule]:
    return [
        PriorityRule(name="老年人", source="age", min_age=70, lane=1),
        PriorityRule(name="老年人", source="declared", lane=1, check="核验身份证上的年龄"),
        PriorityRule(name="残疾人", lane=1, check="核验残疾人证"),
        PriorityRule(name="行动不便", lane=1, check="确认行动不便"),
        PriorityRule(name="孕妇", lane=1, check="确认是孕妇"),
        PriorityRule(name="带婴幼儿", lane=1, check="确认带着婴幼儿"),
        PriorityRule(name="军人", lane=1, check="核验军人证或退役军人优待证"),
    ]


@dataclass(frozen=True)
class ServiceRule:
    name: str = setting(doc="Service name shown to citizens, e.g. 社保医保.", check=cc.nonempty)
    prefix: str = setting(doc="Ticket letter, e.g. A.", pattern=r"[A-Z]")
    requires_id: bool = setting(False, "Whether a ticket needs the citizen's ID card.")
    daily_limit: int = setting(200, "Most tickets per day.", min=1, max=999)
    per_person_daily_limit: int = setting(1, "Most tickets one person (by ID card) may hold per "
                                             "day.", min=1, max=99)
    hours: list[str] = setting(doc="Opening periods, e.g. ['08:30-12:00', '14:00-17:30']; an "
                                   "end of 24:00 is midnight.",
                               factory=lambda: ["08:30-12:00", "14:00-17:30"], pattern=_HOURS)
    handling_minutes: float = setting(8.0, "Typical minutes per citizen at one window (used "
                                           "until today's own handling times are known).",
                                      min=0.5, max=240.0)
    where: str = setting("", "Where to wait, e.g. 一楼东侧等候区.")


def _default_services() -> list[ServiceRule]:
    return [
        ServiceRule(name="社保医保", prefix="A", requires_id=True, handling_minutes=6.0,
                    where="一楼东侧等候区"),
        ServiceRule(name="民政救助", prefix="B", requires_id=True, handling_minutes=10.0,
                    where="一楼东侧等候区"),
        ServiceRule(name="综合咨询", prefix="C", requires_id=False, handling_minutes=5.0,
                    where="一楼大厅中央"),
    ]


@dataclass(frozen=True)
class WindowRule:
    number: int = setting(doc="The window's number, as the voice says it (3 → 3号窗口).",
                          min=1, max=99)
    services: list[str] = setting(doc="Service letters it serves, in the order it calls them, "
                                      "e.g. ['A', 'C'].", factory=list, pattern=r"[A-Z]")
    name: str = setting("", "Shown name; '' means '<number>号窗口'.")

    @property
    def label(self) -> str:
        return self.name or f"{self.number}号窗口"


def _default_windows() -> list[WindowRule]:
    return [WindowRule(number=1, services=["A"]), WindowRule(number=2, services=["A"]),
            WindowRule(number=3, services=["B"]), WindowRule(number=5, services=["C"])]


@dataclass(frozen=True)
class ServerRules:
    listen: str = setting("127.0.0.1:8700", "HOST:PORT `kiosk hall serve` listens on (the hall "
                                            "LAN's address on a mini PC).",
                          pattern=r"[\w.\-\[\]:]+:\d{1,5}")
    database: str = setting("sqlite:var/queue.sqlite",
                            "sqlite:PATH (the embedded shape: the kiosk's own queue file) or "
                            "postgresql://… (several kiosks).",
                            pattern=r"(sqlite:.+|postgres(ql)?://.+)")
    log_dir: str = setting("var/log", "Folder of the service's rotating log file.")


@dataclass(frozen=True)
class AuthRules:
    max_attempts: int = setting(5, "Wrong PINs before a staff number is locked.", min=1, max=20)
    lockout_s: int = setting(300, "Seconds a staff number stays locked.", min=10, max=86400)
    session_hours: int = setting(12, "Hours a window login lasts.", min=1, max=24)
    enrol_code_minutes: int = setting(30, "Minutes a one-time kiosk enrolment code is valid.",
                                      min=1, max=1440)
    failures_per_minute: int = setting(10, "Refused logins/tokens per minute from one address "
                                           "before it is slowed down (429).", min=1, max=1000)


@dataclass(frozen=True)
class HallSettings:
    """The whole hall. `base_dir` is the folder of the file it came from."""

    hall: HallInfo = setting(factory=HallInfo, doc="The hall.")
    queue: QueueRules = setting(factory=QueueRules, doc="Numbering and calling.")
    no_show: NoShowRules = setting(factory=NoShowRules, doc="过号.")
    transfer: TransferRules = setting(factory=TransferRules, doc="转移.")
    priority: list[PriorityRule] = setting(factory=_default_priorities, doc="Priority rules.")
    services: list[ServiceRule] = setting(factory=_default_services, doc="Queue services.")
    windows: list[WindowRule] = setting(factory=_default_windows, doc="Windows (counters).")
    server: ServerRules = setting(factory=ServerRules, doc="The hall service.")
    auth: AuthRules = setting(factory=AuthRules, doc="Logins and tokens.")
    base_dir: str = dataclasses.field(default=".", metadata={"internal": True})

    def path(self, value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else Path(self.base_dir) / p

    def service(self, prefix: str) -> ServiceRule | None:
        return next((s for s in self.services if s.prefix == prefix), None)

    def window(self, number: int) -> WindowRule | None:
        return next((w for w in self.windows if w.number == number), None)

    def windows_for(self, prefix: str) -> list[WindowRule]:
        return [w for w in self.windows if prefix in w.services]


def _service_checks(h: HallSettings) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}
    names: dict[str, int] = {}
    for i, svc in enumerate(h.services):
        if svc.name in names:
            problems.append(f'services[{i}].name: "{svc.name}" is already the name of '
                            f"services[{names[svc.name]}]; citizens could not tell them apart")
        names.setdefault(svc.name, i)
        if svc.prefix in seen:
            problems.append(f'services[{i}].prefix: "{svc.prefix}" is already used by '
                            f"services[{seen[svc.prefix]}]; each service needs its own letter")
        seen.setdefault(svc.prefix, i)
        for j, span in enumerate(svc.hours):
            start, end = span.split("-")
            if start >= end:
                problems.append(f'services[{i}].hours[{j}]: expected start before end, '
                                f'got "{span}"')
        if not h.windows_for(svc.prefix):
            problems.append(f'services[{i}]: no window serves "{svc.prefix}" (add it to a '
                            f"[[windows]] services list)")
    return problems


def _window_checks(h: HallSettings) -> list[str]:
    problems: list[str] = []
    letters = {s.prefix for s in h.services}
    numbers: set[int] = set()
    for i, win in enumerate(h.windows):
        if win.number in numbers:
            problems.append(f"windows[{i}].number: {win.number} is used twice")
        numbers.add(win.number)
        problems += [f'windows[{i}].services: "{letter}" is not a service prefix'
                     for letter in win.services if letter not in letters]
    return problems


def _cross_checks(h: HallSettings) -> list[str]:
    problems = _service_checks(h) + _window_checks(h)
    keys = [(p.name, p.source) for p in h.priority]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            problems.append(f'priority[{i}]: "{key[0]}" ({key[1]}) is listed twice')
    if h.queue.priority_mode == "prefix" and h.service(h.queue.priority_prefix) is not None:
        problems.append(f'queue.priority_prefix: "{h.queue.priority_prefix}" is also a service '
                        f"prefix; choose a letter no service uses")
    return problems


def parse_hall(data: dict[str, Any], base_dir: str = ".",
               source: str = "hall.toml") -> HallSettings:
    """Validate a parsed hall.toml; raise HallConfigError listing every problem."""
    settings, problems = build(HallSettings, dict(data))
    if "base_dir" in data:
        problems.append("base_dir: unknown key (it is set from the file's location)")
    if settings is not None and not problems:
        problems = _cross_checks(settings)
    if problems or settings is None:
        raise HallConfigError(problems, source)
    return dataclasses.replace(settings, base_dir=base_dir)


def load_hall(path: str | Path, missing_ok: bool = False) -> HallSettings:
    """Read and validate hall.toml. `missing_ok`: a file that does not exist gives the
    built-in demo hall (three services, four windows) based in the file's folder."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return dataclasses.replace(HallSettings(), base_dir=str(p.resolve().parent))
        raise HallConfigError([f"file not found: {p}"], str(p)) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise HallConfigError([f"cannot be read: {exc}"], str(p)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise HallConfigError([f"not valid TOML: {exc}"], str(p)) from None
    return parse_hall(data, base_dir=str(p.resolve().parent), source=str(p))
