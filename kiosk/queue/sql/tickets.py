"""Taking and settling numbers: issue (rules, number, insert, event in one transaction),
printed / verify / void, recovery of tickets a dead kiosk left issuing, and the reads.

Numbering is ONE statement, correct under PostgreSQL's READ COMMITTED:
`INSERT … ON CONFLICT (day, number_prefix) DO UPDATE SET last_seq = last_seq + 1 RETURNING`
(measured: 0 duplicates, 0 gaps with 8 writers and 10 % aborts; reading the last number and
then writing gave 1,418 duplicates of 1,782). Limits are checked under the row lock of the
service's `service_days` row, taken first, so two kiosks cannot both get the 200th ticket.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.queue import policy
from kiosk.queue.hallconfig import HallSettings, ServiceRule
from kiosk.queue.model import (
    CALLABLE,
    MAX_SEQ,
    EventType,
    IssueRequest,
    Priority,
    Refusal,
    Ticket,
    TicketState,
    format_number,
)
from kiosk.queue.owner import owner_alive
from kiosk.queue.sql.events import pending
from kiosk.queue.sql.tx import Row, Tx

STALE_ISSUING = timedelta(minutes=2)
"""An `issuing` ticket whose owner cannot be checked is settled as `verify` after this long:
no slip takes two minutes, so its process is gone — and its slip may exist."""

COLUMNS = ("ticket_id, day, number, service_prefix, seq, state, issued_at, people_ahead, "
           "est_wait_min, priority, declared, lane, pos, printed_at, called_at, serving_at, "
           "done_at, voided_at, void_reason, verify_reason, COALESCE(window_no, target_window), "
           "staff, calls, no_shows, "
           "transfers, case_no, kiosk")
IN_QUEUE_SQL = "state IN ('issuing', 'waiting', 'verify', 'no_show', 'transferred')"
CALLABLE_SQL = "state IN ('waiting', 'verify', 'no_show', 'transferred')"
OPEN_SQL = "state IN ('called', 'serving')"


class Refused(Exception):
    """A rule refused the number: the transaction rolls back, no number is used."""

    def __init__(self, reason: Refusal, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class Conflict(Exception):
    """The ticket or window is not in a state for this (names it and what was expected)."""

    def __init__(self, message: str, code: str = "conflict", **info: Any) -> None:
        super().__init__(message)
        self.code = code
        self.info = info


class NotFound(Exception):
    pass


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def ticket_of(row: Row) -> Ticket:
    (tid, day, number, prefix, seq, state, issued, ahead, est, prio, declared, lane, pos, printed,
     called, serving, done, voided, reason, verify, window, staff, calls, no_shows, transfers,
     case_no, kiosk) = row
    return Ticket(
        ticket_id=tid, day=date.fromisoformat(day), number=number, service_prefix=prefix,
        seq=int(seq), state=TicketState(state), issued_at=datetime.fromisoformat(issued),
        people_ahead=int(ahead), est_wait_min=float(est), priority=Priority(prio),
        declared=declared, lane=int(lane), pos=float(pos), printed_at=_dt(printed),
        called_at=_dt(called),
        serving_at=_dt(serving), done_at=_dt(done), voided_at=_dt(voided), void_reason=reason,
        verify_reason=verify, window=window, staff=staff, calls=int(calls),
        no_shows=int(no_shows), transfers=int(transfers), case_no=case_no, kiosk=kiosk)


def get(tx: Tx, ticket_id: str, lock: bool = False) -> Ticket:
    row = tx.one(f"SELECT {COLUMNS} FROM tickets WHERE ticket_id = ?"
                 f"{'{for_update}' if lock else ''}", (ticket_id,))
    if row is None:
        raise NotFound(f"no ticket with id {ticket_id!r}")
    return ticket_of(row)


def find(tx: Tx, day: date, number: str) -> Ticket | None:
    row = tx.one(f"SELECT {COLUMNS} FROM tickets WHERE day = ? AND number = ?",
                 (day.isoformat(), number))
    return ticket_of(row) if row else None


def of_day(tx: Tx, day: date) -> list[Ticket]:
    rows = tx.all(f"SELECT {COLUMNS} FROM tickets WHERE day = ? ORDER BY arrival, ticket_id",
                  (day.isoformat(),))
    return [ticket_of(r) for r in rows]


def view(t: Ticket, settings: HallSettings) -> dict[str, Any]:
    """The small ticket view events carry (no personal data)."""
    rule = settings.service(t.service_prefix)
    return {"id": t.ticket_id, "number": t.number, "service": t.service_prefix,
            "service_name": rule.name if rule else t.service_prefix, "state": t.state.value,
            "priority": t.priority.value, "declared": t.declared, "calls": t.calls,
            "case_no": t.case_no}


def emit(tx: Tx, settings: HallSettings, etype: EventType, t: Ticket, at: datetime,
         request_id: str, *, staff: str = "", at_window: int | None = None,
         **data: Any) -> None:
    """Append the ticket's event; `at_window`: the window that acted (default: the ticket's)."""
    number = at_window if at_window is not None else t.window
    rule = settings.window(number) if number is not None else None
    extra: dict[str, Any] = {"ticket": view(t, settings)}
    if rule is not None:
        extra["window"] = {"number": rule.number, "name": rule.label}
    tx.emit(pending(etype, at, t.day, ticket_id=t.ticket_id, number=t.number,
                    service=t.service_prefix, window=number, staff=staff or t.staff,
                    kiosk=t.kiosk, request_id=request_id, data={**extra, **data}))


# ---- issuing ---------------------------------------------------------------------------------

def queued(tx: Tx, day: date, service: str) -> list[policy.Queued]:
    rows = tx.all(f"SELECT lane, pos, ticket_id FROM tickets WHERE day = ? AND "
                  f"service_prefix = ? AND {IN_QUEUE_SQL}", (day.isoformat(), service))
    return [policy.Queued(int(lane), float(pos), tid) for lane, pos, tid in rows]


def _next(tx: Tx, day: str, prefix: str) -> int:
    return int(tx.value(
        "INSERT INTO sequences (day, number_prefix, last_seq) VALUES (?, ?, 1) "
        "ON CONFLICT (day, number_prefix) DO UPDATE SET last_seq = sequences.last_seq + 1 "
        "RETURNING last_seq", (day, prefix)))


def _check(tx: Tx, rule: ServiceRule, req: IssueRequest, day: str, now: datetime,
           person: str | None) -> int:
    """Lock the service's day row, apply the rules; the service's anti-starvation run."""
    issued, run = tx.one(
        "INSERT INTO service_days (day, service, issued, run) VALUES (?, ?, 0, 0) "
        "ON CONFLICT (day, service) DO UPDATE SET issued = service_days.issued "
        "RETURNING issued, run", (day, rule.prefix)) or (0, 0)
    override = tx.value("SELECT is_open FROM service_overrides WHERE day = ? AND "
                        "service_prefix = ?", (day, rule.prefix))
    override = None if override is None else bool(override)
    states = None
    if person is not None:
        states = [r[0] for r in tx.all(
            "SELECT state FROM tickets WHERE day = ? AND person_hash = ? AND "
            "service_prefix = ? AND state != 'void'", (day, person, rule.prefix))]
    why = policy.refusal(rule, open_now=policy.is_open(rule, override, now), override=override,
                         issued=int(issued), has_card=req.person_hash is not None,
                         person_states=states)
    if why is not None:
        raise Refused(why, f"service {rule.prefix}: {why.value}")
    return int(run)


def issue(tx: Tx, settings: HallSettings, req: IssueRequest, now: datetime, day: date,
          minutes_per_ticket: float) -> Ticket:
    rule = settings.service(req.service)
    if rule is None:
        raise NotFound(f"no service {req.service!r}")
    cls = policy.classify(settings, req.age, req.declared)
    d = day.isoformat()
    person = req.person_hash if rule.requires_id else None   # stored only where it is needed
    run = _check(tx, rule, req, d, now, person)
    prefix = policy.number_prefix(settings, rule.prefix, cls)
    seq = _next(tx, d, prefix)
    if seq > MAX_SEQ:
        raise Refused(Refusal.NUMBERS_EXHAUSTED, f"prefix {prefix}: all {MAX_SEQ} numbers of "
                                                 f"{d} used")
    arrival = float(_next(tx, d, "#"))      # the hall-wide order of arrival
    tid = uuid.uuid4().hex
    new = policy.Queued(cls.lane, arrival, tid)
    ahead = policy.people_ahead(settings, queued(tx, day, rule.prefix), new, run)
    t = Ticket(ticket_id=tid, day=day, number=format_number(prefix, seq),
               service_prefix=rule.prefix, seq=seq, state=TicketState.ISSUING, issued_at=now,
               people_ahead=ahead, est_wait_min=round(ahead * minutes_per_ticket, 2),
               priority=cls.priority, declared=cls.name, lane=cls.lane, pos=arrival,
               kiosk=req.kiosk)
    tx.run("INSERT INTO tickets (ticket_id, day, number, service_prefix, origin, seq, state, "
           "lane, pos, arrival, issued_at, people_ahead, est_wait_min, priority, declared, "
           f"person_hash, owner, kiosk) VALUES ({', '.join('?' * 18)})",
           (tid, d, t.number, rule.prefix, rule.prefix, seq, t.state.value, cls.lane, arrival,
            arrival, now.isoformat(), ahead, t.est_wait_min, cls.priority.value, cls.name, person,
            req.owner, req.kiosk))
    tx.run("UPDATE service_days SET issued = issued + 1 WHERE day = ? AND service = ?",
           (d, rule.prefix))
    emit(tx, settings, EventType.ISSUED, t, now, req.request_id, people_ahead=ahead)
    return t


def in_order(tx: Tx, settings: HallSettings, day: date, service: str) -> list[Ticket]:
    """The service's tickets in the queue, in the order its windows will call them (each with
    the people ahead of it now)."""
    run = int(tx.value("SELECT run FROM service_days WHERE day = ? AND service = ?",
                       (day.isoformat(), service)) or 0)
    rows = tx.all(f"SELECT {COLUMNS} FROM tickets WHERE day = ? AND service_prefix = ? AND "
                  f"{IN_QUEUE_SQL}", (day.isoformat(), service))
    found = {t.ticket_id: t for t in map(ticket_of, rows)}
    order = policy.service_order(settings, [policy.Queued(t.lane, t.pos, t.ticket_id)
                                            for t in found.values()], run)
    return [dataclasses.replace(found[q.key], people_ahead=i) for i, q in enumerate(order)]


def holding(tx: Tx, settings: HallSettings, day: date, service: str,
            person_hash: str) -> Ticket | None:
    """This person's ticket of the service today that is not done or void, with the people
    ahead of it now."""
    row = tx.one(f"SELECT {COLUMNS} FROM tickets WHERE day = ? AND service_prefix = ? AND "
                 f"person_hash = ? AND state NOT IN ('done', 'void') ORDER BY arrival DESC",
                 (day.isoformat(), service, person_hash))
    if row is None:
        return None
    t = ticket_of(row)
    if not t.waiting:
        return t
    return next(q for q in in_order(tx, settings, day, service) if q.ticket_id == t.ticket_id)


# ---- settling --------------------------------------------------------------------------------

def _set(tx: Tx, ticket_id: str, sets: str, args: Sequence[Any]) -> Ticket:
    tx.run(f"UPDATE tickets SET {sets} WHERE ticket_id = ?", (*args, ticket_id))
    return get(tx, ticket_id)


def printed(tx: Tx, settings: HallSettings, ticket_id: str, now: datetime,
            request_id: str) -> Ticket:
    """issuing (or verify: the slip did come out) → waiting."""
    t = get(tx, ticket_id, lock=True)
    if t.state is TicketState.WAITING or (t.printed_at and t.state in CALLABLE):
        return t
    if t.state not in (TicketState.ISSUING, TicketState.VERIFY):
        raise Conflict(f"ticket {t.number} is {t.state.value}; expected issuing")
    t = _set(tx, ticket_id, "state = 'waiting', printed_at = ?", (now.isoformat(),))
    emit(tx, settings, EventType.PRINTED, t, now, request_id)
    return t


def verify(tx: Tx, settings: HallSettings, ticket_id: str, reason: str, now: datetime,
           request_id: str) -> Ticket:
    """issuing → verify: the print failed after data was sent; the slip may exist."""
    t = get(tx, ticket_id, lock=True)
    if t.state is not TicketState.ISSUING:
        return t                    # already settled (printed, or recovered): keep that
    t = _set(tx, ticket_id, "state = 'verify', verify_reason = ?", (reason,))
    emit(tx, settings, EventType.VERIFY, t, now, request_id, reason=reason)
    return t


def void(tx: Tx, settings: HallSettings, ticket_id: str, reason: str, now: datetime,
         request_id: str, staff: str = "") -> Ticket:
    """Any state but done → void; void again is a no-op. The number stays used."""
    t = get(tx, ticket_id, lock=True)
    if t.state is TicketState.VOID:
        return t
    if t.state is TicketState.DONE:
        raise Conflict(f"ticket {t.number} is done; a served ticket cannot be voided")
    t = _set(tx, ticket_id, "state = 'void', voided_at = ?, void_reason = ?, target_window = "
                            "NULL", (now.isoformat(), reason))
    tx.run("UPDATE service_days SET issued = issued - 1 WHERE day = ? AND service = "
           "(SELECT origin FROM tickets WHERE ticket_id = ?)", (t.day.isoformat(), ticket_id))
    emit(tx, settings, EventType.VOID, t, now, request_id, staff=staff, reason=reason)
    return t


def recover(tx: Tx, settings: HallSettings, owner: str, kiosk: str, now: datetime) -> list[Ticket]:
    """Settle as `verify` every ticket left issuing by a process that is gone: one of this
    host's that no longer runs, one of this kiosk's from before its restart, or any older
    than STALE_ISSUING. Its slip may have come out (a printer keeps printing what it has
    buffered after the kiosk died), so it stays servable; staff check the slip."""
    rows = tx.all("SELECT ticket_id, owner, kiosk, issued_at FROM tickets "
                  "WHERE state = 'issuing'")
    settled = []
    for tid, who, whose, issued in rows:
        if who == owner and owner:
            continue
        alive = owner_alive(who)
        restarted = bool(kiosk) and whose == kiosk and alive is not True
        stale = now - datetime.fromisoformat(issued) > STALE_ISSUING
        if alive is False or restarted or stale:
            settled.append(verify(tx, settings, tid, "interrupted", now, ""))
    return settled


def reset(tx: Tx, settings: HallSettings, day: date, reason: str, now: datetime,
          request_id: str, staff: str = "") -> list[Ticket]:
    ids = [r[0] for r in tx.all(f"SELECT ticket_id FROM tickets WHERE day = ? AND "
                                f"{IN_QUEUE_SQL} ORDER BY arrival", (day.isoformat(),))]
    out = [void(tx, settings, tid, reason, now, request_id, staff) for tid in ids]
    tx.emit(pending(EventType.QUEUE_RESET, now, day, staff=staff, request_id=request_id,
                    data={"voided": len(out), "reason": reason}))
    return out


def set_open(tx: Tx, day: date, service: str, is_open: bool | None, now: datetime,
             request_id: str, staff: str = "") -> None:
    d = day.isoformat()
    if is_open is None:
        tx.run("DELETE FROM service_overrides WHERE day = ? AND service_prefix = ?", (d, service))
    else:
        tx.run("INSERT INTO service_overrides (day, service_prefix, is_open) VALUES (?, ?, ?) "
               "ON CONFLICT (day, service_prefix) DO UPDATE SET is_open = excluded.is_open",
               (d, service, int(is_open)))
    tx.emit(pending(EventType.SERVICE_OVERRIDE, now, day, service=service, staff=staff,
                    request_id=request_id, data={"is_open": is_open}))


def overrides(tx: Tx, day: date) -> dict[str, bool]:
    return {p: bool(o) for p, o in tx.all("SELECT service_prefix, is_open FROM "
                                          "service_overrides WHERE day = ?", (day.isoformat(),))}
