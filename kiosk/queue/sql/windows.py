"""The windows' side: log in / out, 呼叫下一位, 重呼, 开始办理, 过号, 转移, 完成, 暂停 / 恢复.

Call next is one atomic step. The window's row is locked first (its own operations queue up),
then each (service, lane) bucket of the hall's order (kiosk.queue.policy.call_order) is asked
for its lowest position — on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so two windows pressing
at the same instant take two different tickets instead of waiting for or sharing one. The
partial unique index one_open_ticket_per_window makes "a window holds at most one open
ticket" a fact of the database, not only of this code.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kiosk.queue import policy
from kiosk.queue.hallconfig import HallSettings, WindowRule
from kiosk.queue.model import (
    EventType,
    Ticket,
    TicketState,
    WindowState,
    WindowView,
)
from kiosk.queue.sql.events import pending
from kiosk.queue.sql.tickets import (
    CALLABLE_SQL,
    COLUMNS,
    OPEN_SQL,
    Conflict,
    NotFound,
    emit,
    get,
    ticket_of,
    void,
)
from kiosk.queue.sql.tx import Tx


def sync(tx: Tx, settings: HallSettings) -> None:
    """A row per window of hall.toml (windows removed from the file keep their row)."""
    for w in settings.windows:
        tx.run("INSERT INTO windows (number) VALUES (?) ON CONFLICT (number) DO NOTHING",
               (w.number,))


def _rule(settings: HallSettings, number: int) -> WindowRule:
    rule = settings.window(number)
    if rule is None:
        raise NotFound(f"no window {number} in hall.toml")
    return rule


def open_ticket(tx: Tx, number: int) -> Ticket | None:
    row = tx.one(f"SELECT {COLUMNS} FROM tickets WHERE window_no = ? AND {OPEN_SQL}", (number,))
    return ticket_of(row) if row else None


def view(tx: Tx, settings: HallSettings, number: int) -> WindowView:
    rule = _rule(settings, number)
    row = tx.one("SELECT state, paused_reason, staff FROM windows WHERE number = ?", (number,))
    state, reason, staff = row or ("closed", "", "")
    ticket = open_ticket(tx, number)
    shown = WindowState.SERVING if ticket is not None else WindowState(state)
    return WindowView(number=number, name=rule.label, services=tuple(rule.services),
                      state=shown, paused_reason=reason, staff=staff, ticket=ticket)


def all_views(tx: Tx, settings: HallSettings) -> list[WindowView]:
    return [view(tx, settings, w.number) for w in settings.windows]


def _lock(tx: Tx, settings: HallSettings, number: int, staff: str) -> tuple[str, str]:
    """Lock the window's row; it must be this staff member's. (state, paused reason)."""
    _rule(settings, number)
    row = tx.one("SELECT state, staff, paused_reason FROM windows WHERE number = ?{for_update}",
                 (number,))
    if row is None:
        raise NotFound(f"window {number} is not set up (restart the hall service)")
    state, holder, reason = row
    if holder != staff:
        raise Conflict(f"window {number} is not logged in by staff {staff!r}", "forbidden")
    return state, reason


def _window_event(tx: Tx, settings: HallSettings, etype: EventType, number: int, staff: str,
                  now: datetime, day: date, request_id: str, **data: Any) -> None:
    rule = _rule(settings, number)
    tx.emit(pending(etype, now, day, window=number, staff=staff, request_id=request_id,
                    data={"window": {"number": number, "name": rule.label}, **data}))


def login(tx: Tx, settings: HallSettings, number: int, staff: str, now: datetime, day: date,
          request_id: str) -> None:
    """Bind the window to one person: refused if someone else is at it."""
    _rule(settings, number)
    row = tx.one("SELECT staff FROM windows WHERE number = ?{for_update}", (number,))
    holder = row[0] if row else ""
    if holder == staff:
        return
    if holder:
        raise Conflict(f"window {number} is in use by staff {holder}", "window_in_use",
                       holder=holder)
    elsewhere = tx.value("SELECT number FROM windows WHERE staff = ?", (staff,))
    if elsewhere is not None:
        raise Conflict(f"staff {staff} is still logged in at window {elsewhere}",
                       "staff_elsewhere", window=elsewhere)
    tx.run("UPDATE windows SET state = 'open', staff = ?, paused_reason = '', since = ? "
           "WHERE number = ?", (staff, now.isoformat(), number))
    _window_event(tx, settings, EventType.WINDOW_OPENED, number, staff, now, day, request_id)


def logout(tx: Tx, settings: HallSettings, number: int, staff: str, now: datetime, day: date,
           request_id: str) -> None:
    _lock(tx, settings, number, staff)
    held = open_ticket(tx, number)
    if held is not None:
        raise Conflict(f"window {number} still holds {held.number}: finish it first",
                       "window_busy", number=held.number)
    tx.run("UPDATE windows SET state = 'closed', staff = '', paused_reason = '', since = ? "
           "WHERE number = ?", (now.isoformat(), number))
    _window_event(tx, settings, EventType.WINDOW_CLOSED, number, staff, now, day, request_id)


def pause(tx: Tx, settings: HallSettings, number: int, staff: str, reason: str,
          now: datetime, day: date, request_id: str) -> None:
    state, _ = _lock(tx, settings, number, staff)
    held = open_ticket(tx, number)
    if held is not None:
        raise Conflict(f"window {number} still holds {held.number}: finish it first",
                       "window_busy", number=held.number)
    if state == "paused":
        return
    tx.run("UPDATE windows SET state = 'paused', paused_reason = ?, since = ? WHERE number = ?",
           (reason, now.isoformat(), number))
    _window_event(tx, settings, EventType.WINDOW_PAUSED, number, staff, now, day, request_id,
                  reason=reason)


def resume(tx: Tx, settings: HallSettings, number: int, staff: str, now: datetime, day: date,
           request_id: str) -> None:
    state, _ = _lock(tx, settings, number, staff)
    if state != "paused":
        return
    tx.run("UPDATE windows SET state = 'open', paused_reason = '', since = ? WHERE number = ?",
           (now.isoformat(), number))
    _window_event(tx, settings, EventType.WINDOW_RESUMED, number, staff, now, day, request_id)


# ---- calling ---------------------------------------------------------------------------------

def _pick(tx: Tx, settings: HallSettings, rule: WindowRule, day: str) -> tuple[str, int] | None:
    """(ticket id, lane) of the ticket this window calls now, locked; None: nobody waits."""
    row = tx.one(f"SELECT ticket_id FROM tickets WHERE day = ? AND target_window = ? AND "
                 f"{CALLABLE_SQL} ORDER BY pos, ticket_id LIMIT 1{{skip_locked}}",
                 (day, rule.number))
    if row is not None:
        return str(row[0]), -1           # transferred to this window: not a lane call
    runs = {s: int(r) for s, r in tx.all("SELECT service, run FROM service_days WHERE day = ?",
                                         (day,))}
    for service, lane in policy.call_order(settings, rule, runs):
        row = tx.one(f"SELECT ticket_id FROM tickets WHERE day = ? AND service_prefix = ? AND "
                     f"lane = ? AND target_window IS NULL AND {CALLABLE_SQL} "
                     f"ORDER BY pos, ticket_id LIMIT 1{{skip_locked}}", (day, service, lane))
        if row is not None:
            return str(row[0]), lane
    return None


def call_next(tx: Tx, settings: HallSettings, number: int, staff: str, now: datetime,
              day: date, request_id: str, close_open: str = "") -> Ticket:
    """呼叫下一位. A window still holding a ticket is refused (window_busy) unless
    `close_open` says what to do with it first: 'done' or 'no_show'."""
    state, _ = _lock(tx, settings, number, staff)
    if state == "paused":
        raise Conflict(f"window {number} is paused", "window_paused")
    held = open_ticket(tx, number)
    if held is not None:
        if close_open == "done":
            finish(tx, settings, number, staff, "", now, request_id)
        elif close_open == "no_show":
            no_show(tx, settings, number, staff, now, request_id)
        else:
            raise Conflict(f"window {number} still holds {held.number}", "window_busy",
                           number=held.number)
    picked = _pick(tx, settings, _rule(settings, number), day.isoformat())
    if picked is None:
        raise Conflict(f"nobody is waiting for window {number}", "nobody_waiting")
    tid, lane = picked
    tx.run("UPDATE tickets SET state = 'called', called_at = ?, last_called_at = ?, "
           "window_no = ?, staff = ?, calls = calls + 1, target_window = NULL "
           "WHERE ticket_id = ?", (now.isoformat(), now.isoformat(), number, staff, tid))
    t = get(tx, tid)
    if lane >= 0:
        tx.run("UPDATE service_days SET run = ? WHERE day = ? AND service = ?",
               (policy.next_run(_run(tx, day, t.service_prefix), lane), day.isoformat(),
                t.service_prefix))
    emit(tx, settings, EventType.CALLED, t, now, request_id, recall=False, at_window=number)
    return t


def _run(tx: Tx, day: date, service: str) -> int:
    return int(tx.value("SELECT run FROM service_days WHERE day = ? AND service = ?",
                        (day.isoformat(), service)) or 0)


def _held(tx: Tx, settings: HallSettings, number: int, staff: str,
          states: tuple[TicketState, ...]) -> Ticket:
    _lock(tx, settings, number, staff)
    t = open_ticket(tx, number)
    if t is None:
        raise Conflict(f"window {number} holds no ticket", "no_ticket")
    if t.state not in states:
        raise Conflict(f"ticket {t.number} is {t.state.value}; expected "
                       f"{' or '.join(s.value for s in states)}")
    return t


def recall(tx: Tx, settings: HallSettings, number: int, staff: str, now: datetime,
           request_id: str) -> Ticket:
    """重呼: call the held ticket again, not sooner than the hall's recall interval."""
    t = _held(tx, settings, number, staff, (TicketState.CALLED,))
    last = tx.value("SELECT last_called_at FROM tickets WHERE ticket_id = ?", (t.ticket_id,))
    gap = (now - datetime.fromisoformat(last)).total_seconds() if last else 1e9
    wait = settings.queue.recall_interval_s - gap
    if wait > 0:
        raise Conflict(f"ticket {t.number} was called {gap:.0f} s ago", "too_soon",
                       retry_after_s=int(wait) + 1)
    tx.run("UPDATE tickets SET calls = calls + 1, last_called_at = ? WHERE ticket_id = ?",
           (now.isoformat(), t.ticket_id))
    t = get(tx, t.ticket_id)
    emit(tx, settings, EventType.RECALLED, t, now, request_id, recall=True, at_window=number)
    return t


def start(tx: Tx, settings: HallSettings, number: int, staff: str, now: datetime,
          request_id: str) -> Ticket:
    """开始办理: the citizen came."""
    t = _held(tx, settings, number, staff, (TicketState.CALLED, TicketState.SERVING))
    if t.state is TicketState.SERVING:
        return t
    tx.run("UPDATE tickets SET state = 'serving', serving_at = ? WHERE ticket_id = ?",
           (now.isoformat(), t.ticket_id))
    t = get(tx, t.ticket_id)
    emit(tx, settings, EventType.SERVING, t, now, request_id, at_window=number)
    return t


def finish(tx: Tx, settings: HallSettings, number: int, staff: str, case_no: str,
           now: datetime, request_id: str) -> Ticket:
    """完成 (optionally with the 办件编号)."""
    t = _held(tx, settings, number, staff, (TicketState.CALLED, TicketState.SERVING))
    tx.run("UPDATE tickets SET state = 'done', done_at = ?, case_no = ?, "
           "serving_at = COALESCE(serving_at, called_at) WHERE ticket_id = ?",
           (now.isoformat(), case_no, t.ticket_id))
    t = get(tx, t.ticket_id)
    emit(tx, settings, EventType.DONE, t, now, request_id, at_window=number)
    return t


def _lane_positions(tx: Tx, day: date, service: str, lane: int, but: str) -> list[float]:
    return [float(p) for (p,) in tx.all(
        f"SELECT pos FROM tickets WHERE day = ? AND service_prefix = ? AND lane = ? AND "
        f"{CALLABLE_SQL} AND ticket_id != ?", (day.isoformat(), service, lane, but))]


def no_show(tx: Tx, settings: HallSettings, number: int, staff: str, now: datetime,
            request_id: str) -> Ticket:
    """过号: back N places, to the end, or void at the hall's limit."""
    t = _held(tx, settings, number, staff, (TicketState.CALLED,))
    count = t.no_shows + 1
    tx.run("UPDATE tickets SET no_shows = ? WHERE ticket_id = ?", (count, t.ticket_id))
    if policy.void_after_no_show(settings, count):
        t = void(tx, settings, t.ticket_id, "no_show", now, request_id, staff)
        return t
    current = float(tx.value("SELECT pos FROM tickets WHERE ticket_id = ?", (t.ticket_id,)))
    pos = policy.requeue_pos(settings, current,
                             _lane_positions(tx, t.day, t.service_prefix, t.lane, t.ticket_id))
    tx.run("UPDATE tickets SET state = 'no_show', pos = ?, window_no = NULL, staff = '' "
           "WHERE ticket_id = ?", (pos, t.ticket_id))
    t = get(tx, t.ticket_id)
    emit(tx, settings, EventType.NO_SHOW, t, now, request_id, staff=staff, at_window=number,
         no_shows=count)
    return t


def transfer(tx: Tx, settings: HallSettings, number: int, staff: str, now: datetime,
             request_id: str, service: str = "", to_window: int | None = None) -> Ticket:
    """转移 to another service or window, keeping the number."""
    t = _held(tx, settings, number, staff, (TicketState.CALLED, TicketState.SERVING))
    target = service or t.service_prefix
    if settings.service(target) is None:
        raise NotFound(f"no service {service!r}")
    if to_window is not None and settings.window(to_window) is None:
        raise NotFound(f"no window {to_window}")
    if to_window is None and target == t.service_prefix:
        raise Conflict(f"ticket {t.number} is already in service {target}", "bad_request")
    arrival = float(tx.value("SELECT arrival FROM tickets WHERE ticket_id = ?", (t.ticket_id,)))
    pos = policy.transfer_pos(settings, arrival,
                              _lane_positions(tx, t.day, target, t.lane, t.ticket_id))
    tx.run("UPDATE tickets SET state = 'transferred', service_prefix = ?, pos = ?, "
           "target_window = ?, window_no = NULL, staff = '', transfers = transfers + 1 "
           "WHERE ticket_id = ?", (target, pos, to_window, t.ticket_id))
    moved = get(tx, t.ticket_id)
    emit(tx, settings, EventType.TRANSFERRED, moved, now, request_id, staff=staff,
         at_window=number, from_service=t.service_prefix, to_service=target,
         to_window=to_window)
    return moved
