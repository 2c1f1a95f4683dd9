"""Taking a number, end to end: rules → allocate (issuing) → print → printed, or void.

How results come back (the UI and the CLI act on them): `take()` and `reprint()` never raise
for anything a citizen can cause or meet; they return an `IssueResult` whose `status` says what
happened and whose `message` is the plain Chinese line to show. They raise
`kiosk.errors.QueueError` only for a caller's mistake (an unknown service, an unknown
self-declared priority). Staff actions (`void`, `reprint` of a missing number) raise
QueueError naming the number.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from devices.outcome import JobOutcome
from kiosk.config import Config, ServiceConfig, hours_open
from kiosk.errors import QueueError, citizen_message_of
from kiosk.queue import messages
from kiosk.queue.identity import CardInfo, PersonHasher, age_on
from kiosk.queue.model import (
    AllocationRequest,
    Priority,
    Refusal,
    Ticket,
    TicketState,
    queue_day,
)
from kiosk.queue.owner import current_owner
from kiosk.queue.store import AllocationRefused, QueueStore
from kiosk.queue.waittime import RECENT, handling_minutes, minutes_per_ticket, wait_text
from kiosk.receipts.ticket import TicketSlip

log = logging.getLogger(__name__)

DECLARED_PRIORITIES = ("老年人", "残疾人", "行动不便", "孕妇", "带婴幼儿", "军人")
"""Self-declared classes (staff verify at the window): an elderly citizen at a service that
does not read the card can ask too."""
REPEAT_GUARD_S = 2.0
"""After a ticket is issued, another take() for the same service within this time is a
double tap (a town-office queue system learnt this the hard way), not a second citizen."""

Printer = Callable[[TicketSlip], JobOutcome]


class IssueStatus(enum.StrEnum):
    ISSUED = "issued"              # printed: hand it over
    REFUSED = "refused"            # a rule said no (closed, limit, card needed); nothing used
    PRINT_FAILED = "print_failed"  # the number was voided; ask staff
    INCOMPLETE = "incomplete"      # the print failed after the number was sent: the number is
                                   # kept (it may be on paper); show it, ask to keep the slip
    BUSY = "busy"                  # another take is in flight (double tap): ignore quietly
    ERROR = "error"                # the store failed; ask staff


@dataclass(frozen=True)
class IssueResult:
    """What came of taking a ticket (the parts named as devices.outcome names them)."""

    status: IssueStatus
    message: str                   # plain Chinese for the citizen
    ticket: Ticket | None = None
    slip: TicketSlip | None = None
    refusal: Refusal | None = None
    detail: str = ""               # for the log and the technician, never personal data

    @property
    def ok(self) -> bool:
        return self.status is IssueStatus.ISSUED


@dataclass(frozen=True)
class ServiceStatus:
    """One button on the services screen."""

    name: str
    prefix: str
    is_open: bool
    hours_text: str                # "08:30-12:00、14:00-17:30"
    waiting: int
    wait_text: str                 # for a ticket taken now: "约 10–15 分钟" / "无需等待"
    available: bool                # open and numbers left today
    note: str = ""                 # why not available, in plain words
    requires_id: bool = False
    where: str = ""


class QueueService:
    def __init__(self, cfg: Config, store: QueueStore, printer: Printer,
                 clock: Callable[[], datetime] = datetime.now,
                 hasher: PersonHasher | None = None,
                 repeat_guard_s: float = REPEAT_GUARD_S) -> None:
        self.cfg = cfg
        self.store = store
        self.printer = printer
        self.clock = clock
        self.hasher = hasher or PersonHasher(cfg.path(cfg.queue.secret_file))
        self.repeat_guard_s = repeat_guard_s
        self._busy = threading.Lock()
        self._last_issue: tuple[str, float] = ("", 0.0)
        self._owner = ""

    # -- lifecycle ---------------------------------------------------------------------------

    def open(self) -> list[Ticket]:
        """Open the store and resolve tickets a crash left in `issuing`; returns those."""
        self._owner = current_owner()
        self.store.open()
        self.hasher.open()
        voided = self.store.recover(self.clock())
        for t in voided:
            log.warning("ticket %s was left issuing by a stopped process: voided", t.number)
        return voided

    def close(self) -> None:
        self.store.close()
        self.hasher.close()

    # -- what the screens show ---------------------------------------------------------------

    def service(self, key: str) -> ServiceConfig:
        """A service by its letter (A, a) or its name (社保医保)."""
        k = key.strip()
        for svc in self.cfg.services:
            if k.upper() == svc.prefix or k == svc.name:
                return svc
        known = ", ".join(f"{s.prefix} {s.name}" for s in self.cfg.services)
        raise QueueError(f"no service {key!r}; expected one of: {known}",
                         "没有这项业务，请返回重新选择。")

    def day(self, now: datetime | None = None) -> date:
        return queue_day(now or self.clock(), self.cfg.queue.reset_hour)

    def overview(self, now: datetime | None = None) -> list[ServiceStatus]:
        now = now or self.clock()
        day = self.day(now)
        counts = self.store.summary(day)
        overrides = self.store.service_overrides(day)
        out = []
        for svc in self.cfg.services:
            c = counts.get(svc.prefix)
            waiting, issued = (c.waiting, c.issued) if c else (0, 0)
            is_open = overrides.get(svc.prefix, self._open_by_hours(svc, now))
            full = issued >= svc.daily_limit
            note = messages.closed_note(svc, overrides.get(svc.prefix)) if not is_open else (
                messages.FULL_NOTE if full else "")
            out.append(ServiceStatus(
                name=svc.name, prefix=svc.prefix, is_open=is_open,
                hours_text=messages.hours_text(svc), waiting=waiting,
                wait_text=wait_text(waiting, self._per_ticket(svc, day)),
                available=is_open and not full, note=note, requires_id=svc.requires_id,
                where=svc.where))
        return out

    def overrides(self) -> dict[str, bool]:
        """Staff's open/close choices for today, by service letter (absent: by the hours)."""
        return self.store.service_overrides(self.day())

    def list_today(self) -> list[Ticket]:
        return self.store.tickets(self.day())

    # -- taking a number ---------------------------------------------------------------------

    def take(self, service_key: str, card: CardInfo | None = None,
             declared_priority: str = "") -> IssueResult:
        """Issue one ticket. A second call while one is in flight (a double tap, or a tap
        during printing) returns BUSY at once and issues nothing."""
        svc = self.service(service_key)
        if declared_priority and declared_priority not in DECLARED_PRIORITIES:
            raise QueueError(f"declared priority {declared_priority!r}: expected one of "
                             f"{', '.join(DECLARED_PRIORITIES)}", messages.GENERIC)
        if not self._busy.acquire(blocking=False):
            return IssueResult(IssueStatus.BUSY, messages.BUSY, detail="take already in flight")
        try:
            last_key, last_t = self._last_issue
            if last_key == svc.prefix and time.monotonic() - last_t < self.repeat_guard_s:
                return IssueResult(IssueStatus.BUSY, messages.BUSY, detail="repeat tap ignored")
            result = self._take(svc, card, declared_priority)
            if result.ok:
                self._last_issue = (svc.prefix, time.monotonic())
            return result
        finally:
            self._busy.release()

    def _take(self, svc: ServiceConfig, card: CardInfo | None, declared: str) -> IssueResult:
        if svc.requires_id and card is None:
            return IssueResult(IssueStatus.REFUSED, messages.needs_card(svc),
                               refusal=Refusal.NEEDS_CARD, detail=f"{svc.prefix} needs a card")
        try:
            req = self._request(svc, card, declared, self.clock())
            ticket = self.store.allocate(req)
        except AllocationRefused as exc:
            paused = exc.reason is Refusal.CLOSED and req.open_by_hours  # staff closed it
            return IssueResult(IssueStatus.REFUSED, messages.refusal(exc.reason, svc, paused),
                               refusal=exc.reason, detail=str(exc))
        except (QueueError, OSError) as exc:   # the store, or the secret file under var/
            log.error("allocation failed: %s", exc)
            return IssueResult(IssueStatus.ERROR, citizen_message_of(exc, messages.GENERIC),
                               detail=str(exc))
        slip = self._slip(svc, ticket, card.masked_name if card else "")
        return self._print_and_settle(ticket, slip)

    def _print_and_settle(self, ticket: Ticket, slip: TicketSlip) -> IssueResult:
        outcome = self._print(slip)
        try:
            if not outcome.ok and _number_may_be_on_paper(outcome):
                return self._keep_incomplete(ticket, slip, outcome)
            if not outcome.ok:
                voided = self.store.void(ticket.ticket_id, f"print failed: {outcome.detail}",
                                         self.clock())
                log.warning("ticket %s voided: print failed (%s)", ticket.number, outcome.detail)
                return IssueResult(IssueStatus.PRINT_FAILED,
                                   messages.print_failed(outcome.message),
                                   ticket=voided, slip=slip, detail=outcome.detail)
            printed = self.store.mark_printed(ticket.ticket_id, self.clock())
        except QueueError as exc:
            log.error("ticket %s: %s", ticket.number, exc)
            return IssueResult(IssueStatus.ERROR, exc.citizen_message, ticket=ticket,
                               slip=slip, detail=str(exc))
        log.info("ticket %s issued (%d ahead)", printed.number, printed.people_ahead)
        return IssueResult(IssueStatus.ISSUED, messages.TAKE_SLIP, ticket=printed, slip=slip)

    def _keep_incomplete(self, ticket: Ticket, slip: TicketSlip,
                         outcome: JobOutcome) -> IssueResult:
        """The number went out, then the print failed: what the citizen holds may show it, so
        it stays valid (servable, reprintable by staff) instead of becoming a dead number."""
        kept = self.store.mark_printed(ticket.ticket_id, self.clock())
        log.warning("ticket %s kept: its slip may be incomplete (%s)", ticket.number,
                    outcome.detail)
        return IssueResult(IssueStatus.INCOMPLETE,
                           messages.slip_may_exist(outcome.detail, ticket.number),
                           ticket=kept, slip=slip, detail=outcome.detail)

    def _print(self, slip: TicketSlip) -> JobOutcome:
        """The printer's outcome; an exception from it is a failed print, not a crash, so the
        ticket is voided rather than left issuing."""
        try:
            return self.printer(slip)
        except Exception as exc:
            return JobOutcome(ok=False, detail=f"{type(exc).__name__}: {exc}",
                              message=citizen_message_of(exc, ""))

    def _request(self, svc: ServiceConfig, card: CardInfo | None, declared: str,
                 now: datetime) -> AllocationRequest:
        day = self.day(now)
        priority = self._priority(card, declared, now.date())
        prefix = svc.prefix
        if priority is not Priority.NONE and self.cfg.queue.priority_mode == "prefix":
            prefix = self.cfg.queue.priority_prefix + svc.prefix
        person = None
        if svc.requires_id and card is not None:
            person = self.hasher.hash(card.id_number, day)
        return AllocationRequest(
            day=day, service_prefix=svc.prefix, number_prefix=prefix, issued_at=now,
            open_by_hours=self._open_by_hours(svc, now), daily_limit=svc.daily_limit,
            minutes_per_ticket=self._per_ticket(svc, day), priority=priority,
            declared=declared if priority is Priority.DECLARED else "",
            person_hash=person, person_daily_limit=svc.per_person_daily_limit,
            owner=self._owner or current_owner())

    def _priority(self, card: CardInfo | None, declared: str, today: date) -> Priority:
        if card is not None and age_on(card.birth_date, today) >= self.cfg.queue.priority_age:
            return Priority.AGE
        return Priority.DECLARED if declared else Priority.NONE

    def _slip(self, svc: ServiceConfig, ticket: Ticket, holder_masked: str,
              reprint: bool = False, ahead: int | None = None) -> TicketSlip:
        people = ticket.people_ahead if ahead is None else ahead
        per_ticket = (ticket.est_wait_min / ticket.people_ahead if ticket.people_ahead
                      else self._per_ticket(svc, ticket.day))
        return TicketSlip(
            hall_name=self.cfg.hall.name, number=ticket.number, service_name=svc.name,
            people_ahead=people, wait_text=wait_text(people, per_ticket),
            issued_at=ticket.issued_at, ticket_id=ticket.ticket_id, where=svc.where,
            counters=tuple(svc.counters), priority=messages.priority_label(ticket),
            holder_masked=holder_masked, reprint=reprint)

    def _open_by_hours(self, svc: ServiceConfig, now: datetime) -> bool:
        return hours_open(svc.hours, now.strftime("%H:%M"))

    def _per_ticket(self, svc: ServiceConfig, day: date) -> float:
        observed = self.store.handling_minutes(day, svc.prefix, RECENT)
        return minutes_per_ticket(handling_minutes(svc.handling_minutes, observed),
                                  len(svc.counters))

    # -- staff -------------------------------------------------------------------------------

    def _ticket(self, number: str) -> Ticket:
        ticket = self.store.find(self.day(), number.strip().upper())
        if ticket is None:
            raise QueueError(f"no ticket {number!r} today ({self.day().isoformat()})",
                             "没有找到这个号，请核对号码。")
        return ticket

    def reprint(self, number: str) -> IssueResult:
        """Print a waiting or called ticket again, marked 补打; its number does not change."""
        ticket = self._ticket(number)
        if ticket.state not in (TicketState.PRINTED, TicketState.CALLED):
            raise QueueError(f"ticket {ticket.number} is {ticket.state.value}; only printed or "
                             f"called tickets can be reprinted", "这个号已失效，不能补打。")
        svc = self.service(ticket.service_prefix)
        ahead = self._ahead_now(ticket)
        if not self._busy.acquire(blocking=False):
            return IssueResult(IssueStatus.BUSY, messages.BUSY, detail="printer in use")
        try:
            outcome = self._print(self._slip(svc, ticket, "", reprint=True, ahead=ahead))
        finally:
            self._busy.release()
        if not outcome.ok:
            return IssueResult(IssueStatus.PRINT_FAILED,
                               messages.print_failed(outcome.message, voided=False),
                               ticket=ticket, detail=outcome.detail)
        log.info("ticket %s reprinted", ticket.number)
        return IssueResult(IssueStatus.ISSUED, messages.TAKE_SLIP, ticket=ticket)

    def _ahead_now(self, ticket: Ticket) -> int:
        """Waiting tickets of its service served before it *now* (a reprint says today's
        figures): every earlier one of its class or higher, and priority tickets taken later
        when it is an ordinary one (they pass it)."""
        ahead = 0
        later = False
        for t in self.store.tickets(ticket.day):
            if t.ticket_id == ticket.ticket_id:
                later = True
                continue
            if t.service_prefix != ticket.service_prefix or not t.waiting:
                continue
            passes = t.priority is not Priority.NONE and ticket.priority is Priority.NONE
            if passes or (not later and (ticket.priority is Priority.NONE
                                         or t.priority is not Priority.NONE)):
                ahead += 1
        return ahead

    def void(self, number: str, reason: str = "staff") -> Ticket:
        ticket = self.store.void(self._ticket(number).ticket_id, reason, self.clock())
        log.info("ticket %s voided by staff", ticket.number)
        return ticket

    def call(self, number: str, counter: str) -> Ticket:
        return self.store.call(self._ticket(number).ticket_id, counter, self.clock())

    def finish(self, number: str) -> Ticket:
        return self.store.finish(self._ticket(number).ticket_id, self.clock())

    def reset_today(self) -> list[Ticket]:
        """Void every ticket still waiting today (staff 'clear the queue'). Numbering goes on
        from where it was: numbers are never reused within a queue day."""
        voided = self.store.void_waiting(self.day(), "reset", self.clock())
        log.info("queue reset: %d waiting tickets voided", len(voided))
        return voided

    def set_service_open(self, prefix: str, is_open: bool | None) -> None:
        """Maintenance mode: open or close a service for the rest of the queue day
        (None: follow its hours again)."""
        svc = self.service(prefix)
        self.store.set_service_open(self.day(), svc.prefix, is_open)
        log.info("service %s override for today: %s", svc.prefix, is_open)


def _number_may_be_on_paper(outcome: JobOutcome) -> bool:
    """kiosk.receipts.service.TicketOutcome says whether the number's bytes went out; any
    other printer function's outcome: whatever was sent may have printed."""
    sent = getattr(outcome, "number_sent", None)
    return bool(sent) if sent is not None else outcome.bytes_sent > 0
