"""The queue's words on the wire: ticket states, event types, refusal and error codes.

Shared by the kiosk (issuing), the hall service (deciding) and the faces (counter page, hall
display): one vocabulary, so a display never guesses what "called" means. Stdlib only.
docs/hall.md draws the state diagram; this module is its source of truth.
"""

from __future__ import annotations

import enum

API_VERSION = 1


class TicketState(enum.StrEnum):
    """Where a ticket is. `issuing` exists so that a number counts only once its slip came out
    (or may have come out: `verify`)."""

    ISSUING = "issuing"          # number taken, slip printing
    WAITING = "waiting"          # slip printed: in the queue
    VERIFY = "verify"            # the slip may exist (print failed after sending, or the kiosk
                                 # died mid-print): in the queue, staff check the slip
    CALLED = "called"            # called to a window (calls counted; 重呼 calls again)
    SERVING = "serving"          # the citizen is at the window
    DONE = "done"
    NO_SHOW = "no_show"          # 过号, put back in the queue by the hall's no-show rule
    TRANSFERRED = "transferred"  # 转移 to another service or window, number kept: in its queue
    VOID = "void"                # never to be called; the number stays used


CALLABLE = (TicketState.WAITING, TicketState.VERIFY, TicketState.NO_SHOW,
            TicketState.TRANSFERRED)
"""States a window's 呼叫下一位 may pick, in the hall's order of service."""

OPEN_AT_WINDOW = (TicketState.CALLED, TicketState.SERVING)
"""A window holds at most one ticket in these states (a partial unique index)."""

IN_QUEUE = (TicketState.ISSUING, *CALLABLE)
"""Tickets that count as people waiting (an issuing slip becomes waiting within a second)."""


class Priority(enum.StrEnum):
    NONE = ""
    AGE = "age"                  # from the ID card's birth date: nothing to verify
    DECLARED = "declared"        # the citizen chose 残疾人/军人/…: the window confirms it
    APPOINTMENT = "appointment"  # reserved (预约): not issued yet


class Refusal(enum.StrEnum):
    """Why the hall refused a number; nothing was written and no number was used."""

    CLOSED = "closed"
    PAUSED = "paused"                         # staff closed the service for today
    DAILY_LIMIT = "daily_limit"
    NUMBERS_EXHAUSTED = "numbers_exhausted"   # 999 numbers used (voids count) for this prefix
    PERSON_WAITING = "person_waiting"
    PERSON_DAILY_LIMIT = "person_daily_limit"
    NEEDS_CARD = "needs_card"


class WindowState(enum.StrEnum):
    CLOSED = "closed"            # nobody logged in
    OPEN = "open"                # staff at the window, free
    PAUSED = "paused"            # 暂停, with a reason
    SERVING = "serving"          # holds a called or serving ticket


class ErrorCode(enum.StrEnum):
    """`error` of a refused request (HTTP body {"error": code, "message": 中文, "detail": …})."""

    REFUSED = "refused"              # a rule said no: `refusal` says which
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"            # the ticket or window is not in a state for this
    WINDOW_BUSY = "window_busy"      # 还有一位没有办完: finish or no-show it first
    NOBODY_WAITING = "nobody_waiting"
    TOO_SOON = "too_soon"            # 重呼 again within the hall's recall interval
    BAD_REQUEST = "bad_request"
    UNAUTHORIZED = "unauthorized"    # no, wrong or expired token / PIN
    FORBIDDEN = "forbidden"          # a valid login that may not do this
    LOCKED = "locked"                # too many wrong PINs
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"      # the database cannot be reached: nothing was done


class EventType(enum.StrEnum):
    """Every transition appends one event in the same transaction (docs/hall.md, Events)."""

    ISSUED = "ticket.issued"
    PRINTED = "ticket.printed"
    VERIFY = "ticket.verify"
    CALLED = "ticket.called"
    RECALLED = "ticket.recalled"
    SERVING = "ticket.serving"
    NO_SHOW = "ticket.no_show"
    TRANSFERRED = "ticket.transferred"
    DONE = "ticket.done"
    VOID = "ticket.void"
    WINDOW_OPENED = "window.opened"
    WINDOW_PAUSED = "window.paused"
    WINDOW_RESUMED = "window.resumed"
    WINDOW_CLOSED = "window.closed"
    SERVICE_OVERRIDE = "service.override"
    QUEUE_RESET = "queue.reset"
    RATING_CREATED = "rating.created"            # 好差评 (issue 15, hall/ratings.py)
    RATING_ACKNOWLEDGED = "rating.acknowledged"
