"""SqlHallStore: the whole hall store contract (kiosk.queue.store.HallStore) over any database
that can hand out a transaction — SQLite (kiosk/queue/sqlite_store.py) and PostgreSQL
(hall/pg_store.py) subclass it and supply `_write()` / `_read()`.

Every command runs in ONE transaction that also (1) records its client request id with its
result, so a retried or double-sent command returns the first result and acts once, and
(2) appends its events, numbered last (see events.py). After the commit, listeners (the hall
service's event stream) are told the new last event id.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from kiosk.queue import policy
from kiosk.queue.hallconfig import HallSettings, ServiceRule
from kiosk.queue.model import (
    Event,
    IssueRequest,
    ServiceView,
    Ticket,
    WindowView,
    queue_day,
)
from kiosk.queue.sql import events, tickets, windows
from kiosk.queue.sql.tickets import IN_QUEUE_SQL, Conflict, NotFound, Refused
from kiosk.queue.sql.tx import Tx
from kiosk.queue.store import (
    AllocationRefused,
    BadRequest,
    QueueStoreError,
    StoreConflict,
    TicketNotFound,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRIES = 5
REQUESTS_KEPT = timedelta(days=2)


class Retry(Exception):
    """Raised by a database adapter for a transient failure (deadlock, serialization): the
    whole operation runs again from the start."""


class SqlHallStore:
    """The hall's queue on a database. `clock` is the hall's clock (tests pin it)."""

    def __init__(self, settings: HallSettings,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.settings = settings
        self.clock = clock
        self._listeners: list[Callable[[int], None]] = []
        self._listen_lock = threading.Lock()

    # -- for subclasses ------------------------------------------------------------------------

    def open(self, *, readonly: bool = False) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _write(self, action: str) -> AbstractContextManager[Tx]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Tx]:
        raise NotImplementedError

    def _prepare(self) -> None:
        """After open: one row per window of hall.toml, old request ids dropped."""
        cutoff = (self.clock() - REQUESTS_KEPT).isoformat()

        def prepare(tx: Tx) -> None:
            windows.sync(tx, self.settings)
            tx.run("DELETE FROM requests WHERE at < ?", (cutoff,))

        self.transact("prepare", prepare)

    # -- running operations --------------------------------------------------------------------

    def transact(self, action: str, fn: Callable[[Tx], T]) -> T:
        """Run `fn` in one write transaction, retried on a transient database failure; its
        events are written last, and listeners hear of them after the commit."""
        for attempt in range(RETRIES):
            try:
                with self._write(action) as tx:
                    out = fn(tx)
                    last = events.flush(tx)
                break
            except Retry:
                if attempt == RETRIES - 1:
                    raise QueueStoreError(f"{action}: the database kept failing; "
                                          f"nothing was changed") from None
            except Refused as exc:
                raise AllocationRefused(exc.reason, str(exc)) from None
            except Conflict as exc:
                raise StoreConflict(exc.code, str(exc), exc.info) from None
            except NotFound as exc:
                raise TicketNotFound(str(exc)) from None
            except policy.PolicyError as exc:
                raise BadRequest(str(exc)) from None
        if last:
            self._notify(last)
        return out

    def query(self, fn: Callable[[Tx], T]) -> T:
        """Run `fn` in one read snapshot."""
        try:
            with self._read() as tx:
                return fn(tx)
        except NotFound as exc:
            raise TicketNotFound(str(exc)) from None

    def _once(self, action: str, request_id: str, fn: Callable[[Tx], T],
              dump: Callable[[T], Any], load: Callable[[Any], T]) -> T:
        """`fn` once per request id: a second request with the id returns the first result."""
        now = self.clock().isoformat()

        def run(tx: Tx) -> T:
            if not request_id:
                return fn(tx)
            fresh = tx.value("INSERT INTO requests (request_id, kind, result, at) "
                             "VALUES (?, ?, '', ?) ON CONFLICT (request_id) DO NOTHING "
                             "RETURNING request_id", (request_id, action, now))
            if fresh is None:     # seen before (on PostgreSQL: after waiting for its commit)
                kind, result = tx.one("SELECT kind, result FROM requests WHERE request_id = ?",
                                      (request_id,)) or ("", "")
                if kind != action:
                    raise Conflict(f"request id {request_id} was already used for {kind}",
                                   "bad_request")
                return load(json.loads(result))
            out = fn(tx)
            tx.run("UPDATE requests SET result = ? WHERE request_id = ?",
                   (json.dumps(dump(out), ensure_ascii=False), request_id))
            return out

        return self.transact(action, run)

    def _ticket_op(self, action: str, request_id: str, fn: Callable[[Tx], Ticket]) -> Ticket:
        return self._once(action, request_id, fn, Ticket.to_dict, Ticket.from_dict)

    def _none_op(self, action: str, request_id: str, fn: Callable[[Tx], None]) -> None:
        self._once(action, request_id, fn, lambda _v: None, lambda _v: None)

    # -- listeners -----------------------------------------------------------------------------

    def add_listener(self, fn: Callable[[int], None]) -> None:
        """`fn(last_event_id)` after every commit that wrote events (in this process)."""
        with self._listen_lock:
            self._listeners.append(fn)

    def remove_listener(self, fn: Callable[[int], None]) -> None:
        with self._listen_lock:
            if fn in self._listeners:
                self._listeners.remove(fn)

    def _notify(self, last: int) -> None:
        with self._listen_lock:
            listeners = list(self._listeners)
        for fn in listeners:
            try:
                fn(last)
            except Exception:   # a listener's bug must not fail a committed command
                log.exception("event listener failed")

    # -- the day -------------------------------------------------------------------------------

    def _now(self) -> tuple[datetime, date]:
        now = self.clock()
        return now, queue_day(now, self.settings.queue.reset_hour)

    def day(self) -> date:
        return self._now()[1]

    # -- kiosk side ----------------------------------------------------------------------------

    def issue(self, req: IssueRequest) -> Ticket:
        """Check the hall's rules, take the next number, insert it `issuing` and append
        ticket.issued — one transaction. Raises AllocationRefused (nothing written)."""
        now, day = self._now()
        rule = self._service(req.service)

        def run(tx: Tx) -> Ticket:
            rate = self._rate(tx, rule, day)[0]
            return tickets.issue(tx, self.settings, req, now, day, rate)

        return self._ticket_op("issue", req.request_id, run)

    def printed(self, ticket_id: str, request_id: str = "") -> Ticket:
        now = self.clock()
        return self._ticket_op("printed", request_id,
                               lambda tx: tickets.printed(tx, self.settings, ticket_id, now,
                                                          request_id))

    def verify(self, ticket_id: str, reason: str, request_id: str = "") -> Ticket:
        now = self.clock()
        return self._ticket_op("verify", request_id,
                               lambda tx: tickets.verify(tx, self.settings, ticket_id, reason,
                                                         now, request_id))

    def void(self, ticket_id: str, reason: str, request_id: str = "", staff: str = "") -> Ticket:
        now = self.clock()
        return self._ticket_op("void", request_id,
                               lambda tx: tickets.void(tx, self.settings, ticket_id, reason,
                                                       now, request_id, staff))

    def recover(self, owner: str, kiosk: str = "") -> list[Ticket]:
        now = self.clock()
        return self.transact("recover",
                             lambda tx: tickets.recover(tx, self.settings, owner, kiosk, now))

    def reset(self, reason: str = "reset", request_id: str = "", staff: str = "") -> list[Ticket]:
        now, day = self._now()
        return self._once("reset", request_id,
                          lambda tx: tickets.reset(tx, self.settings, day, reason, now,
                                                   request_id, staff),
                          lambda ts: [t.to_dict() for t in ts],
                          lambda ds: [Ticket.from_dict(d) for d in ds])

    def set_service_open(self, service: str, is_open: bool | None, request_id: str = "",
                         staff: str = "") -> None:
        now, day = self._now()
        rule = self._service(service)
        self._none_op("set_open", request_id,
                      lambda tx: tickets.set_open(tx, day, rule.prefix, is_open, now,
                                                  request_id, staff))

    def holding(self, service: str, person_hash: str) -> Ticket | None:
        day = self.day()
        rule = self._service(service)
        return self.query(lambda tx: tickets.holding(tx, self.settings, day, rule.prefix,
                                                     person_hash))

    def queue(self, service: str) -> list[Ticket]:
        """The service's tickets still to be called, in the order its windows will call them;
        each one's `people_ahead` is its place now."""
        day = self.day()
        rule = self._service(service)
        return self.query(lambda tx: tickets.in_order(tx, self.settings, day, rule.prefix))

    def get(self, ticket_id: str) -> Ticket | None:
        def run(tx: Tx) -> Ticket | None:
            try:
                return tickets.get(tx, ticket_id)
            except NotFound:
                return None

        return self.query(run)

    def issued_by(self, request_id: str) -> Ticket | None:
        def run(tx: Tx) -> Ticket | None:
            result = tx.value("SELECT result FROM requests WHERE request_id = ? AND "
                              "kind = 'issue'", (request_id,))
            if not result:
                return None
            try:
                return tickets.get(tx, Ticket.from_dict(json.loads(result)).ticket_id)
            except NotFound:
                return None

        return self.query(run)

    def find(self, number: str, day: date | None = None) -> Ticket | None:
        d = day or self.day()
        return self.query(lambda tx: tickets.find(tx, d, number.strip().upper()))

    def tickets(self, day: date | None = None) -> list[Ticket]:
        """Every ticket of the queue day, in order of arrival."""
        d = day or self.day()
        return self.query(lambda tx: tickets.of_day(tx, d))

    def declared_classes(self) -> list[str]:
        return policy.declared_classes(self.settings)

    def services(self) -> list[ServiceView]:
        """Every service as the hall sees it now (open, waiting, the live wait rate)."""
        now, day = self._now()
        return self.query(lambda tx: [self._view(tx, s, now, day) for s in self.settings.services])

    def _service(self, prefix: str) -> ServiceRule:
        rule = self.settings.service(prefix.strip().upper())
        if rule is None:
            known = ", ".join(f"{s.prefix} {s.name}" for s in self.settings.services)
            raise TicketNotFound(f"no service {prefix!r}; expected one of: {known}")
        return rule

    def _rate(self, tx: Tx, rule: ServiceRule, day: date) -> tuple[float, str, int]:
        """(minutes per ticket, basis, windows open for the service now)."""
        rows = tx.all("SELECT serving_at, done_at FROM tickets WHERE day = ? AND "
                      "service_prefix = ? AND state = 'done' AND serving_at IS NOT NULL "
                      "ORDER BY done_at DESC LIMIT ?", (day.isoformat(), rule.prefix,
                                                        policy.RECENT))
        observed = [(datetime.fromisoformat(d) - datetime.fromisoformat(s)).total_seconds() / 60
                    for s, d in rows]
        handling, source = policy.handling_minutes(rule.handling_minutes, observed)
        serving = [w.number for w in self.settings.windows_for(rule.prefix)]
        staffed = {int(n) for (n,) in tx.all("SELECT number FROM windows WHERE state = 'open' "
                                             "AND staff != ''")}
        open_now = len(staffed.intersection(serving))
        rate, windows_basis = policy.minutes_per_ticket(handling, open_now, len(serving))
        return rate, f"{source}/{windows_basis}", open_now

    def _view(self, tx: Tx, rule: ServiceRule, now: datetime, day: date) -> ServiceView:
        d = day.isoformat()
        waiting, prio = tx.one(f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN priority != '' "
                               f"THEN 1 ELSE 0 END), 0) FROM tickets WHERE day = ? AND "
                               f"service_prefix = ? AND {IN_QUEUE_SQL}", (d, rule.prefix)) or (0, 0)
        issued = int(tx.value("SELECT issued FROM service_days WHERE day = ? AND service = ?",
                              (d, rule.prefix)) or 0)
        override = tickets.overrides(tx, day).get(rule.prefix)
        rate, basis, open_windows = self._rate(tx, rule, day)
        return ServiceView(
            prefix=rule.prefix, name=rule.name, is_open=policy.is_open(rule, override, now),
            hours=tuple(rule.hours), waiting=int(waiting), waiting_priority=int(prio),
            issued=issued, daily_limit=rule.daily_limit,
            per_person_daily_limit=rule.per_person_daily_limit, requires_id=rule.requires_id,
            where=rule.where,
            windows=tuple(w.label for w in self.settings.windows_for(rule.prefix)),
            override=override, open_windows=open_windows, minutes_per_ticket=round(rate, 3),
            estimate_basis=basis, number_prefixes=self._prefixes(rule))

    def _prefixes(self, rule: ServiceRule) -> tuple[str, ...]:
        q = self.settings.queue
        return (rule.prefix, q.priority_prefix + rule.prefix) if q.priority_mode == "prefix" \
            else (rule.prefix,)

    # -- windows -------------------------------------------------------------------------------

    def login_window(self, number: int, staff: str, request_id: str = "") -> WindowView:
        now, day = self._now()
        self._none_op("login", request_id, lambda tx: windows.login(
            tx, self.settings, number, staff, now, day, request_id))
        return self.window(number)

    def logout_window(self, number: int, staff: str, request_id: str = "") -> WindowView:
        now, day = self._now()
        self._none_op("logout", request_id, lambda tx: windows.logout(
            tx, self.settings, number, staff, now, day, request_id))
        return self.window(number)

    def pause(self, number: int, staff: str, reason: str, request_id: str = "") -> WindowView:
        now, day = self._now()
        self._none_op("pause", request_id, lambda tx: windows.pause(
            tx, self.settings, number, staff, reason, now, day, request_id))
        return self.window(number)

    def resume(self, number: int, staff: str, request_id: str = "") -> WindowView:
        now, day = self._now()
        self._none_op("resume", request_id, lambda tx: windows.resume(
            tx, self.settings, number, staff, now, day, request_id))
        return self.window(number)

    def call_next(self, number: int, staff: str, request_id: str = "",
                  close_open: str = "") -> Ticket:
        now, day = self._now()
        return self._ticket_op("next", request_id, lambda tx: windows.call_next(
            tx, self.settings, number, staff, now, day, request_id, close_open))

    def recall(self, number: int, staff: str, request_id: str = "") -> Ticket:
        now = self.clock()
        return self._ticket_op("recall", request_id, lambda tx: windows.recall(
            tx, self.settings, number, staff, now, request_id))

    def start(self, number: int, staff: str, request_id: str = "") -> Ticket:
        now = self.clock()
        return self._ticket_op("start", request_id, lambda tx: windows.start(
            tx, self.settings, number, staff, now, request_id))

    def no_show(self, number: int, staff: str, request_id: str = "") -> Ticket:
        now = self.clock()
        return self._ticket_op("no_show", request_id, lambda tx: windows.no_show(
            tx, self.settings, number, staff, now, request_id))

    def finish(self, number: int, staff: str, case_no: str = "", request_id: str = "") -> Ticket:
        now = self.clock()
        return self._ticket_op("finish", request_id, lambda tx: windows.finish(
            tx, self.settings, number, staff, case_no, now, request_id))

    def transfer(self, number: int, staff: str, service: str = "", to_window: int | None = None,
                 request_id: str = "") -> Ticket:
        now = self.clock()
        target = service.strip().upper()
        return self._ticket_op("transfer", request_id, lambda tx: windows.transfer(
            tx, self.settings, number, staff, now, request_id, target, to_window))

    def window(self, number: int) -> WindowView:
        return self.query(lambda tx: windows.view(tx, self.settings, number))

    def windows(self) -> list[WindowView]:
        return self.query(lambda tx: windows.all_views(tx, self.settings))

    # -- events --------------------------------------------------------------------------------

    def events_after(self, last_id: int, limit: int = 500) -> list[Event]:
        return self.query(lambda tx: events.after(tx, last_id, limit))

    def events_of_day(self, day: date) -> list[Event]:
        return self.query(lambda tx: events.of_day(tx, day))

    def last_event_id(self) -> int:
        return self.query(events.last_id)

    def rows(self, sql: str, args: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """A read query for reports and tests (never with outside input in `sql`)."""
        return iter(self.query(lambda tx: tx.all(sql, args)))
