"""The event log: one row per transition, written in the transition's own transaction.

Ids come from one counter row, taken as the LAST statement before COMMIT. Whoever holds that
row lock commits before the next writer can take a number, so ids are gap-free and in commit
order, also under PostgreSQL's READ COMMITTED with many writers (a SERIAL column would hand
out ids in statement order, and a subscriber reading "id > 41" could miss a 41 that committed
after a 42). A subscriber that resumes after id N therefore gets everything it missed, once.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from kiosk.queue.model import Event, EventType
from kiosk.queue.sql.tx import PendingEvent, Row, Tx

COLUMNS = "id, at, day, type, ticket_id, number, service, window_no, staff, kiosk, request_id, data"


def flush(tx: Tx) -> int:
    """Give the transaction's pending events their ids and write them; the last id, or 0."""
    if not tx.events:
        return 0
    last = int(tx.value("UPDATE event_seq SET last_id = last_id + ? WHERE one = 1 "
                        "RETURNING last_id", (len(tx.events),)))
    first = last - len(tx.events) + 1
    for offset, ev in enumerate(tx.events):
        tx.run(f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (first + offset, ev.at.isoformat(), ev.day, ev.type, ev.ticket_id, ev.number,
                ev.service, ev.window, ev.staff, ev.kiosk, ev.request_id,
                json.dumps(ev.data, ensure_ascii=False, separators=(",", ":"))))
    tx.events.clear()
    return last


def event_of(row: Row) -> Event:
    (eid, at, day, etype, tid, number, service, window, staff, kiosk, rid, data) = row
    return Event(id=int(eid), at=datetime.fromisoformat(at), day=date.fromisoformat(day),
                 type=EventType(etype), ticket_id=tid, number=number, service=service,
                 window=window, staff=staff, kiosk=kiosk, request_id=rid,
                 data=json.loads(data) if data else {})


def after(tx: Tx, last_id: int, limit: int) -> list[Event]:
    rows = tx.all(f"SELECT {COLUMNS} FROM events WHERE id > ? ORDER BY id LIMIT ?",
                  (last_id, limit))
    return [event_of(r) for r in rows]


def of_day(tx: Tx, day: date) -> list[Event]:
    rows = tx.all(f"SELECT {COLUMNS} FROM events WHERE day = ? ORDER BY id", (day.isoformat(),))
    return [event_of(r) for r in rows]


def last_id(tx: Tx) -> int:
    return int(tx.value("SELECT last_id FROM event_seq WHERE one = 1") or 0)


def pending(etype: EventType, at: datetime, day: date, **fields: Any) -> PendingEvent:
    return PendingEvent(type=etype.value, at=at, day=day.isoformat(), **fields)
