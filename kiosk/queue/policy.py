"""The hall's rules, as pure functions: whether a service takes numbers now, which priority
class a citizen gets, which prefix, whether a limit is reached, and THE order of service.

Pure (no I/O, no clock, no database): every store applies these inside its own transaction,
the hall service and the embedded kiosk alike, so two kiosks can never apply two rule sets.

The order of service, defined once here and nowhere else:
- a ticket sits in a *lane*: its priority class's lane (1..8, from the rule table), or
  NORMAL_LANE (9); within a lane, by *position* (`pos`: its arrival, moved by 过号 and 转移);
- a window calls from its services in the order hall.toml lists them, taking the first
  service with anyone waiting;
- within a service, lanes are tried lowest first, except that after `priority_run` priority
  calls in a row the ordinary lane goes first once (anti-starvation).
`lane_order()` gives the lanes to try; the stores ask their database for the lowest `pos` in
each lane in that order (PostgreSQL: `FOR UPDATE SKIP LOCKED`); `service_order()` replays the
same rule to list a queue or count the people ahead of a new ticket.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kiosk.queue.hallconfig import HallSettings, PriorityRule, ServiceRule, WindowRule
from kiosk.queue.model import NORMAL_LANE, Priority, Refusal

MIN_SAMPLES = 3        # fewer finished tickets than this say too little: use the typical time
RECENT = 10            # how many recent tickets the observed handling time is taken from


class PolicyError(ValueError):
    """A request the rules cannot place: an unknown service or priority class (a caller's
    mistake, not a refusal)."""


def open_by_hours(rule: ServiceRule, now: datetime) -> bool:
    """Whether `now` falls in one of the service's 'HH:MM-HH:MM' periods (start inclusive,
    end exclusive)."""
    hhmm = now.strftime("%H:%M")
    if not re.fullmatch(r"\d\d:\d\d", hhmm):
        raise PolicyError(f"expected HH:MM, got {hhmm!r}")
    return any(start <= hhmm < end for start, end in (h.split("-") for h in rule.hours))


def is_open(rule: ServiceRule, override: bool | None, now: datetime) -> bool:
    """Staff's open/close for today wins over the hours."""
    return override if override is not None else open_by_hours(rule, now)


@dataclass(frozen=True)
class PriorityClass:
    priority: Priority
    name: str = ""              # 老年人, 残疾人 … ('' for none)
    lane: int = NORMAL_LANE
    check: str = ""             # what the window confirms ('' for age from the card)


NO_PRIORITY = PriorityClass(Priority.NONE)


def declared_classes(settings: HallSettings) -> list[str]:
    """The classes a citizen may choose at the kiosk, in the rule table's order."""
    return [r.name for r in settings.priority if r.source == "declared"]


def classify(settings: HallSettings, age: int | None, declared: str) -> PriorityClass:
    """The citizen's priority class by the rule table: an age rule (from the card) when the
    age qualifies, else the declared class; the better lane wins when both apply."""
    found: list[PriorityClass] = []
    if age is not None:
        found += [PriorityClass(Priority.AGE, r.name, r.lane) for r in _rules(settings, "age")
                  if age >= r.min_age]
    if declared:
        rule = next((r for r in _rules(settings, "declared") if r.name == declared), None)
        if rule is None:
            known = "、".join(declared_classes(settings)) or "(none)"
            raise PolicyError(f"declared priority {declared!r}: expected one of {known}")
        found.append(PriorityClass(Priority.DECLARED, rule.name, rule.lane, rule.check))
    if not found:
        return NO_PRIORITY
    return min(found, key=lambda c: (c.lane, c.priority is not Priority.AGE))


def _rules(settings: HallSettings, source: str) -> list[PriorityRule]:
    return [r for r in settings.priority if r.source == source]


def check_for(settings: HallSettings, priority: Priority, name: str) -> str:
    """What the window confirms for a ticket of this class ('' when nothing)."""
    if priority is not Priority.DECLARED:
        return ""
    rule = next((r for r in _rules(settings, "declared") if r.name == name), None)
    return rule.check if rule else ""


def number_prefix(settings: HallSettings, service: str, cls: PriorityClass) -> str:
    """'A', or 'YA' for a priority ticket when priority_mode = 'prefix'."""
    if cls.priority is not Priority.NONE and settings.queue.priority_mode == "prefix":
        return settings.queue.priority_prefix + service
    return service


def refusal(rule: ServiceRule, *, open_now: bool, override: bool | None, issued: int,
            has_card: bool, person_states: Sequence[str] | None) -> Refusal | None:
    """Why a number cannot be issued now, or None. `issued`: the service's tickets today that
    are not void; `person_states`: the states of this person's tickets of the service today
    that are not void (None when no card was given)."""
    if rule.requires_id and not has_card:
        return Refusal.NEEDS_CARD
    if not open_now:
        return Refusal.PAUSED if override is False else Refusal.CLOSED
    if issued >= rule.daily_limit:
        return Refusal.DAILY_LIMIT
    if person_states is None:
        return None
    if any(s not in ("done", "void") for s in person_states):
        return Refusal.PERSON_WAITING
    if len(person_states) >= rule.per_person_daily_limit:
        return Refusal.PERSON_DAILY_LIMIT
    return None


# ---- the order of service --------------------------------------------------------------------

def priority_lanes(settings: HallSettings) -> list[int]:
    return sorted({r.lane for r in settings.priority})


def lane_order(settings: HallSettings, run: int) -> list[int]:
    """Lanes to call from, in order, for a service that has had `run` priority calls in a
    row: priority lanes first, unless the run reached `priority_run` (then ordinary first)."""
    lanes = priority_lanes(settings)
    if run >= settings.queue.priority_run:
        return [NORMAL_LANE, *lanes]
    return [*lanes, NORMAL_LANE]


def next_run(run: int, lane: int) -> int:
    """The run after a call from `lane`: priority calls count up, an ordinary call resets."""
    return 0 if lane == NORMAL_LANE else run + 1


def call_order(settings: HallSettings, window: WindowRule,
               runs: dict[str, int]) -> list[tuple[str, int]]:
    """(service, lane) buckets a window tries, in order; the first with a ticket wins."""
    return [(svc, lane) for svc in window.services
            for lane in lane_order(settings, runs.get(svc, 0))]


@dataclass(frozen=True)
class Queued:
    """A waiting ticket as the order needs it."""

    lane: int
    pos: float
    key: str = ""


def service_order(settings: HallSettings, waiting: Sequence[Queued], run: int) -> list[Queued]:
    """One service's waiting tickets in the order its windows will call them."""
    buckets: dict[int, list[Queued]] = {}
    for q in sorted(waiting, key=lambda q: (q.pos, q.key)):
        buckets.setdefault(q.lane, []).append(q)
    out: list[Queued] = []
    while any(buckets.values()):
        lane = next(lane for lane in lane_order(settings, run) + sorted(buckets)
                    if buckets.get(lane))
        out.append(buckets[lane].pop(0))
        run = next_run(run, lane)
    return out


def people_ahead(settings: HallSettings, waiting: Sequence[Queued], new: Queued,
                 run: int) -> int:
    """How many of `waiting` will be called before `new`."""
    return service_order(settings, [*waiting, new], run).index(new)


def requeue_pos(settings: HallSettings, current: float, behind: Sequence[float]) -> float:
    """The position of a no-show ticket put back in its lane: `places` back, or at the end.
    `behind`: positions of the tickets now waiting after it in its lane."""
    later = sorted(p for p in behind if p > current)
    places = settings.no_show.places if settings.no_show.policy == "back" else len(later)
    if not later:
        return current
    if places >= len(later):
        return later[-1] + 1.0
    return (later[places - 1] + later[places]) / 2


def transfer_pos(settings: HallSettings, arrival: float, lane_positions: Sequence[float]) -> float:
    """Where a transferred ticket joins its new lane: in front, or by its arrival."""
    if settings.transfer.position == "arrival" or not lane_positions:
        return arrival
    return min(min(lane_positions), arrival) - 1.0


def void_after_no_show(settings: HallSettings, no_shows: int) -> bool:
    """Whether this no-show (the `no_shows`-th) voids the ticket."""
    return settings.no_show.policy == "void" or no_shows >= settings.no_show.max_no_shows


# ---- wait estimates --------------------------------------------------------------------------

def handling_minutes(typical: float, observed: Sequence[float]) -> tuple[float, str]:
    """The median of today's recent handling times once there are enough, else the typical
    time; with which it was. Clamped, so one forgotten 完成 cannot claim a 3-hour case."""
    usable = [min(max(m, 0.5), 240.0) for m in observed if m > 0]
    if len(usable) < MIN_SAMPLES:
        return typical, "typical"
    return float(statistics.median(usable)), "observed"


def minutes_per_ticket(handling: float, open_windows: int, configured_windows: int
                       ) -> tuple[float, str]:
    """Handling time / windows actually open for the service; before any window opens, the
    configured windows stand in (said by the basis, 'configured')."""
    if open_windows > 0:
        return handling / open_windows, "open"
    return handling / max(1, configured_windows), "configured"
