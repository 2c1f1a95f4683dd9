"""Taking a number at this kiosk, end to end: ask the hall (issuing) → print → waiting, or
void / verify by what the printer says.

The hall decides (hours, limits, priority class, prefix, the number, the wait rate: the store,
see kiosk.queue.policy); this kiosk sends only the service, the person hash, the age in years,
a declared class and a request id, then prints and settles. How results come back: `take()`
and `reprint()` never raise for anything a citizen can cause or meet; they return an
`IssueResult` whose `status` says what happened and whose `message` is the plain Chinese line
to show. They raise `kiosk.errors.QueueError` only for a caller's mistake (an
unknown service). Staff actions (`void`, `reprint` of a missing number) raise QueueError.

How a print failure settles the ticket (docs/hall.md, "A slip that may exist"):
- the number cannot be on paper (the slip prints it last, and its bytes never went out —
  `number_may_be_on_paper`): the ticket's state is read again, and it is voided;
- it may be (the paper ran out mid-number, the link dropped after the data went, the printer
  raised): the ticket goes to `verify` and stays servable (IssueStatus.INCOMPLETE); the
  citizen is told the number is still valid and to keep any slip.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from devices.outcome import JobOutcome
from kiosk.calls.ratelink import link_key, rating_url
from kiosk.config import Config
from kiosk.errors import QueueError, citizen_message_of
from kiosk.queue import messages
from kiosk.queue.identity import CardInfo, PersonHasher, age_on
from kiosk.queue.model import IssueRequest, Refusal, ServiceView, Ticket, TicketState
from kiosk.queue.owner import current_owner
from kiosk.queue.remote_store import HallServerStore, Link
from kiosk.queue.secret import load_or_create_secret
from kiosk.queue.store import (
    AllocationRefused,
    QueueStore,
    QueueStoreError,
    StoreConflict,
    TicketNotFound,
)
from kiosk.queue.waittime import wait_text
from kiosk.receipts.ticket import TicketSlip

log = logging.getLogger(__name__)

DECLARED_PRIORITIES = ("老年人", "残疾人", "行动不便", "孕妇", "带婴幼儿", "军人")
"""Self-declared classes of the default hall.toml (staff verify at the window; an elderly
citizen at a service that does not read the card can ask too). The hall's own list, from its
rule table, is `declared_classes()`."""
REPEAT_GUARD_S = 2.0
"""After a ticket is issued, another take() for the same service within this time is a
double tap (a town-office queue system learnt this the hard way), not a second citizen."""
UNANSWERED = "unanswered"
"""A Pending action: an issue whose reply never came (see QueueService._void_unanswered)."""
REPRINTABLE = (TicketState.WAITING, TicketState.VERIFY, TicketState.CALLED,
               TicketState.NO_SHOW, TicketState.TRANSFERRED)

Printer = Callable[[TicketSlip], JobOutcome]


class IssueStatus(enum.StrEnum):
    ISSUED = "issued"              # printed: hand it over
    INCOMPLETE = "incomplete"      # the print failed after the number was sent: the number
                                   # stays valid (ticket state verify); keep any slip
    REFUSED = "refused"            # a rule said no (closed, limit, card needed); nothing used
    PRINT_FAILED = "print_failed"  # nothing was printed and the number was voided; ask staff
    BUSY = "busy"                  # another take is in flight (double tap): ignore quietly
    ERROR = "error"                # the hall (store) failed; ask staff


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


@dataclass(frozen=True)
class Pending:
    """A print the hall has not heard of yet."""

    ticket_id: str
    action: str                    # "printed", "verify", "void" or UNANSWERED
    reason: str
    request_id: str


class QueueService:
    def __init__(self, cfg: Config, store: QueueStore, printer: Printer,
                 hasher: PersonHasher | None = None, kiosk: str = "",
                 repeat_guard_s: float = REPEAT_GUARD_S,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.cfg = cfg
        self.store = store
        self.printer = printer
        self.hasher = hasher or PersonHasher(cfg.path(cfg.queue.secret_file))
        self.kiosk = kiosk
        self.repeat_guard_s = repeat_guard_s
        self.clock = clock             # this kiosk's time: a card holder's age, what the
                                       # screens say about hours (the hall has its own clock)
        self._busy = threading.Lock()
        self._last_issue: tuple[str, float] = ("", 0.0)
        self._owner = ""
        self._views: dict[str, ServiceView] = {}
        self._pending: list[Pending] = []
        self._pending_lock = threading.Lock()
        self._declared: tuple[str, ...] = DECLARED_PRIORITIES
        self._rate_key: bytes | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def open(self) -> list[Ticket]:
        """Open the store and settle tickets a crash left `issuing` (as `verify`: their slip
        may exist); returns those."""
        self._owner = current_owner()
        self.store.open()
        self.hasher.open()
        settled = self.store.recover(self._owner, self.kiosk)
        for t in settled:
            log.warning("ticket %s was left issuing by a stopped process: kept as verify",
                        t.number)
        self.views()             # what the maintenance panel and the screens know at once
        return settled

    def close(self) -> None:
        self.store.close()
        self.hasher.close()

    # -- what the screens show ---------------------------------------------------------------

    def settle_pending(self) -> int:
        """Tell the hall how the prints went that it could not be told of (the link was down):
        each with its first request id, so a report that did arrive is not acted on twice.
        Returns how many are still pending."""
        with self._pending_lock:
            pending, self._pending = self._pending, []
        still = []
        for p in pending:
            try:
                if p.action == UNANSWERED:
                    self._void_unanswered(p)
                elif p.action == "printed":
                    self.store.printed(p.ticket_id, p.request_id)
                elif p.action == "void":
                    self.store.void(p.ticket_id, p.reason, p.request_id)
                else:
                    self.store.verify(p.ticket_id, p.reason, p.request_id)
                log.info("ticket %s settled late: %s", p.ticket_id, p.action)
            except QueueStoreError:
                still.append(p)
            except QueueError as exc:       # settled otherwise meanwhile (the hall's sweep)
                log.info("late %s of %s not needed: %s", p.action, p.ticket_id, exc)
        with self._pending_lock:
            self._pending = still + self._pending
            return len(self._pending)

    def _remember(self, p: Pending) -> None:
        with self._pending_lock:
            self._pending.append(p)

    def _void_unanswered(self, p: Pending) -> None:
        """An issue that got no reply (the hall died, or the reply was lost after its commit):
        the citizen was told 取号系统暂时无法使用 and nothing was printed. If the hall did make
        the ticket and it is still `issuing`, it is voided with that reason, so no number is
        called for nobody; one the hall already settled otherwise (its sweep: verify) stays."""
        made = self.store.issued_by(p.request_id)
        if made is None or made.state is not TicketState.ISSUING:
            log.info("unanswered issue %s: %s", p.request_id[:8],
                     "never committed" if made is None else f"already {made.state.value}")
            return
        self.store.void(made.ticket_id, p.reason, p.request_id + "-void")
        log.warning("ticket %s voided: its issue got no reply, nothing was printed",
                    made.number)

    def views(self) -> list[ServiceView]:
        """The hall's services now (also refreshes what `service()` knows, and first tells the
        hall about prints it missed)."""
        if self._pending:
            self.settle_pending()
        views = self.store.services()
        self._views = {v.prefix: v for v in views}
        self._declared = tuple(self.store.declared_classes())
        return views

    def link(self) -> Link | None:
        """How the hall service answered lately, for a kiosk that issues through it."""
        return self.store.link if isinstance(self.store, HallServerStore) else None

    def known_services(self) -> list[ServiceView]:
        """The hall's services as of the last overview (no I/O: for the UI thread)."""
        return list(self._views.values())

    def number_prefixes(self) -> list[str]:
        """Every number prefix of the hall (as of the last overview; no I/O)."""
        return [p for v in self._views.values() for p in v.number_prefixes]

    def declared_classes(self) -> tuple[str, ...]:
        """The classes a citizen may declare (as of the last overview; no I/O)."""
        return self._declared

    def service(self, key: str) -> ServiceView:
        """A service by its letter (A, a) or its name (社保医保)."""
        k = key.strip()
        views = self._views or {v.prefix: v for v in self.views()}
        for v in views.values():
            if k.upper() == v.prefix or k == v.name:
                return v
        known = ", ".join(f"{v.prefix} {v.name}" for v in views.values())
        raise QueueError(f"no service {key!r}; expected one of: {known}",
                         messages.UNKNOWN_SERVICE)

    def day(self) -> date:
        return self.store.day()

    def overview(self) -> list[ServiceStatus]:
        out = []
        for v in self.views():
            full = v.issued >= v.daily_limit
            note = messages.closed_note(v) if not v.is_open else (
                messages.FULL_NOTE if full else "")
            out.append(ServiceStatus(
                name=v.name, prefix=v.prefix, is_open=v.is_open, hours_text=messages.hours_text(v),
                waiting=v.waiting, wait_text=self.wait_text_for(v.prefix, v.waiting),
                available=v.available, note=note, requires_id=v.requires_id, where=v.where))
        return out

    def wait_text_for(self, prefix: str, ahead: int) -> str:
        """The one rule for a wait range: people ahead × the hall's live minutes per ticket
        (as of the last overview). The services list, the confirm dialog, the slip and a
        reprint all say it this way."""
        view = self._views.get(prefix)
        return wait_text(ahead, view.minutes_per_ticket if view else 0.0)

    def overrides(self) -> dict[str, bool]:
        """Staff's open/close choices for today, by service letter (absent: by the hours)."""
        return {v.prefix: v.override for v in self.views() if v.override is not None}

    def list_today(self) -> list[Ticket]:
        return self.store.tickets()

    def holding(self, service_key: str, card: CardInfo) -> Ticket | None:
        """This person's ticket of the service today that is still open (with the people
        ahead of it now), before 确认 — or None. Only services that need the card keep the
        hash that makes this possible."""
        v = self.service(service_key)
        if not v.requires_id:
            return None
        return self.store.holding(v.prefix, self.hasher.hash(card.id_number, self.day()))

    # -- taking a number ---------------------------------------------------------------------

    def take(self, service_key: str, card: CardInfo | None = None,
             declared_priority: str = "") -> IssueResult:
        """Issue one ticket. A second call while one is in flight (a double tap, or a tap
        during printing) returns BUSY at once and issues nothing."""
        svc = self.service(service_key)
        if not self._busy.acquire(blocking=False):
            return IssueResult(IssueStatus.BUSY, messages.BUSY, detail="take already in flight")
        try:
            last_key, last_t = self._last_issue
            if last_key == svc.prefix and time.monotonic() - last_t < self.repeat_guard_s:
                return IssueResult(IssueStatus.BUSY, messages.BUSY, detail="repeat tap ignored")
            result = self._take(svc, card, declared_priority)
            if result.ok or result.status is IssueStatus.INCOMPLETE:
                self._last_issue = (svc.prefix, time.monotonic())
            return result
        finally:
            self._busy.release()

    def _request(self, svc: ServiceView, card: CardInfo | None, declared: str) -> IssueRequest:
        person = age = None
        if card is not None:
            age = age_on(card.birth_date, self.clock().date())
            if svc.requires_id:
                person = self.hasher.hash(card.id_number, self.day())
        return IssueRequest(service=svc.prefix, request_id=uuid.uuid4().hex, person_hash=person,
                            age=age, declared=declared, owner=self._owner or current_owner(),
                            kiosk=self.kiosk)

    def _take(self, svc: ServiceView, card: CardInfo | None, declared: str) -> IssueResult:
        if self._pending:
            self.settle_pending()
        if svc.requires_id and card is None:
            return IssueResult(IssueStatus.REFUSED, messages.needs_card(svc),
                               refusal=Refusal.NEEDS_CARD, detail=f"{svc.prefix} needs a card")
        try:
            req = self._request(svc, card, declared)
            ticket = self.store.issue(req)
        except AllocationRefused as exc:
            return IssueResult(IssueStatus.REFUSED, messages.refusal(exc.reason, svc),
                               refusal=exc.reason, detail=str(exc))
        except (QueueError, OSError) as exc:   # the hall, or the secret file under var/
            log.error("issue failed: %s", exc)
            if isinstance(exc, QueueStoreError):  # it may have committed before the reply
                self._remember(Pending("", UNANSWERED, "no reply to the issue; nothing "
                                       "printed", req.request_id))
            return IssueResult(IssueStatus.ERROR, citizen_message_of(exc, messages.GENERIC),
                               detail=str(exc))
        slip = self._slip(svc, ticket, card.masked_name if card and svc.requires_id else "")
        return self._print_and_settle(ticket, slip)

    def _print_and_settle(self, ticket: Ticket, slip: TicketSlip) -> IssueResult:
        outcome = self._print(slip)
        try:
            if outcome.ok:
                printed = self.store.printed(ticket.ticket_id, uuid.uuid4().hex)
                log.info("ticket %s issued (%d ahead)", printed.number, printed.people_ahead)
                return IssueResult(IssueStatus.ISSUED, messages.TAKE_SLIP, ticket=printed,
                                   slip=slip)
            if number_may_be_on_paper(outcome):
                return self._uncertain(ticket, slip, outcome)
            return self._void_unprinted(ticket, slip, outcome)
        except QueueError as exc:
            return self._unsettled(ticket, slip, outcome, exc)

    def _uncertain(self, ticket: Ticket, slip: TicketSlip, outcome: JobOutcome) -> IssueResult:
        settled = self.store.verify(ticket.ticket_id, f"print failed after sending: "
                                                      f"{outcome.detail}", uuid.uuid4().hex)
        log.warning("ticket %s kept as verify: print failed after %d bytes (%s)",
                    ticket.number, outcome.bytes_sent, outcome.detail)
        return IssueResult(IssueStatus.INCOMPLETE, messages.slip_may_exist(outcome.detail,
                                                                          ticket.number),
                           ticket=settled, slip=slip, detail=outcome.detail)

    def _void_unprinted(self, ticket: Ticket, slip: TicketSlip,
                        outcome: JobOutcome) -> IssueResult:
        now = self.store.get(ticket.ticket_id)     # read again before voiding
        if now is not None and now.state is not TicketState.ISSUING:
            return IssueResult(IssueStatus.INCOMPLETE,
                               messages.slip_may_exist(outcome.detail, ticket.number),
                               ticket=now, slip=slip, detail=f"settled meanwhile: {now.state}")
        reason, rid = f"print failed: {outcome.detail}", uuid.uuid4().hex
        try:
            voided = self.store.void(ticket.ticket_id, reason, rid)
        except QueueStoreError as exc:
            # The void may have committed before its reply was lost: the citizen is told it
            # is void, and the same void (same request id) is sent again when the hall is
            # back — never "still valid" for a number the hall may have voided.
            log.error("ticket %s: void not confirmed, sent again later: %s", ticket.number, exc)
            self._remember(Pending(ticket.ticket_id, "void", reason, rid))
            voided = ticket
        log.warning("ticket %s voided: nothing printed (%s)", ticket.number, outcome.detail)
        return IssueResult(IssueStatus.PRINT_FAILED,
                           messages.print_failed(outcome.message), ticket=voided,
                           slip=slip, detail=outcome.detail)

    def _unsettled(self, ticket: Ticket, slip: TicketSlip, outcome: JobOutcome,
                   exc: QueueError) -> IssueResult:
        """The hall could not be told how the print went. The ticket stays `issuing` there,
        and the hall settles it as `verify` by itself within minutes: the number stays valid."""
        log.error("ticket %s: print %s but the hall was not told: %s", ticket.number,
                  "ok" if outcome.ok else f"failed ({outcome.detail})", exc)
        if isinstance(exc, QueueStoreError):      # unreachable: tell it when it is back
            self._remember(Pending(ticket.ticket_id, "printed" if outcome.ok else "verify",
                                   f"print failed after sending: {outcome.detail}",
                                   uuid.uuid4().hex))
        if outcome.ok:
            return IssueResult(IssueStatus.ISSUED, messages.TAKE_SLIP, ticket=ticket, slip=slip,
                               detail=f"printed; hall not told: {exc}")
        return IssueResult(IssueStatus.INCOMPLETE,
                           messages.slip_may_exist(outcome.detail, ticket.number),
                           ticket=ticket, slip=slip, detail=str(exc))

    def _print(self, slip: TicketSlip) -> JobOutcome:
        """The printer's outcome; an exception from it may have come after bytes went out, so
        it counts as a print that may exist."""
        try:
            return self.printer(slip)
        except Exception as exc:
            return JobOutcome(ok=False, detail=f"{type(exc).__name__}: {exc}",
                              message=citizen_message_of(exc, ""), bytes_sent=1)

    def _slip(self, svc: ServiceView, ticket: Ticket, holder_masked: str,
              reprint: bool = False, ahead: int | None = None) -> TicketSlip:
        people = ticket.people_ahead if ahead is None else ahead
        return TicketSlip(
            hall_name=self.cfg.hall.name, number=ticket.number, service_name=svc.name,
            people_ahead=people, wait_text=self.wait_text_for(svc.prefix, people),
            issued_at=ticket.issued_at, ticket_id=ticket.ticket_id, where=svc.where,
            counters=svc.windows, priority=messages.priority_label(ticket),
            holder_masked=holder_masked, reprint=reprint, rate_url=self._rate_url(ticket))

    def _rate_url(self, ticket: Ticket) -> str:
        """The slip's 好差评 link for a phone, when [queue].rating_url says where phones reach
        the hall service; keyed by the hall's secret (kiosk/calls/ratelink.py)."""
        base = self.cfg.queue.rating_url
        if not base:
            return ""
        if self._rate_key is None:
            secret = load_or_create_secret(self.cfg.path(self.cfg.queue.secret_file))
            self._rate_key = link_key(secret)
        return rating_url(base, self._rate_key, ticket.ticket_id)

    # -- staff -------------------------------------------------------------------------------

    def _ticket(self, number: str) -> Ticket:
        ticket = self.store.find(number.strip().upper())
        if ticket is None:
            raise QueueError(f"no ticket {number!r} today ({self.day().isoformat()})",
                             messages.NUMBER_NOT_FOUND)
        return ticket

    def reprint(self, number: str) -> IssueResult:
        """Print a ticket still in the queue (or called) again, marked 补打, with the people
        ahead of it now; its number does not change."""
        ticket = self._ticket(number)
        if ticket.state not in REPRINTABLE:
            raise QueueError(f"ticket {ticket.number} is {ticket.state.value}; only tickets "
                             f"in the queue or called can be reprinted", messages.CANNOT_REPRINT)
        svc = self.service(ticket.service_prefix)
        ahead = next((t.people_ahead for t in self.store.queue(svc.prefix)
                      if t.ticket_id == ticket.ticket_id), 0)
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
        if ticket.state is TicketState.VERIFY:     # staff saw the slip come out
            ticket = self.store.printed(ticket.ticket_id, uuid.uuid4().hex)
        log.info("ticket %s reprinted", ticket.number)
        return IssueResult(IssueStatus.ISSUED, messages.TAKE_SLIP, ticket=ticket)

    def void(self, number: str, reason: str = "staff") -> Ticket:
        try:
            ticket = self.store.void(self._ticket(number).ticket_id, reason, uuid.uuid4().hex,
                                     staff="kiosk")
        except (StoreConflict, TicketNotFound) as exc:
            raise QueueError(str(exc), messages.CANNOT_VOID) from exc
        log.info("ticket %s voided by staff", ticket.number)
        return ticket

    def reset_today(self) -> list[Ticket]:
        """Void every ticket still waiting today (staff 'clear the queue'). Numbering goes on
        from where it was: numbers are never reused within a queue day."""
        voided = self.store.reset("reset", uuid.uuid4().hex, staff="kiosk")
        log.info("queue reset: %d waiting tickets voided", len(voided))
        return voided

    def set_service_open(self, prefix: str, is_open: bool | None) -> None:
        """Maintenance mode: open or close a service for the rest of the queue day
        (None: follow its hours again)."""
        svc = self.service(prefix)
        self.store.set_service_open(svc.prefix, is_open, uuid.uuid4().hex, staff="kiosk")
        log.info("service %s override for today: %s", svc.prefix, is_open)


def number_may_be_on_paper(outcome: JobOutcome) -> bool:
    """kiosk.receipts.service.TicketOutcome says whether the number's bytes went out (it is
    printed last); any other printer function's outcome: whatever was sent may have printed."""
    sent = getattr(outcome, "number_sent", None)
    return bool(sent) if sent is not None else outcome.bytes_sent > 0
