"""好差评 in the hall store: one rating per ticket, recorded in the same database and event log
as the tickets (the `ratings` table of the hall schema), with nothing about the person.

A rating is taken only for a ticket that was served (`done`); the window, the staff number and
the 办件编号 come from the ticket row, not from whoever sends the rating. A 差评 (不满意 /
非常不满意) stays an open alert on the manager's page until a manager acknowledges it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from hall.ratings_report import RatingRow
from kiosk.calls.rating import BAD_LEVELS, Rating

COLUMNS = ("r.rating_id, r.ticket_id, r.day, r.number, r.window_no, r.staff, r.case_no, "
           "r.level, r.reasons, r.channel, r.created_at, r.acknowledged_at, r.acknowledged_by, "
           "t.service_prefix")
FROM = "FROM ratings r LEFT JOIN tickets t ON t.ticket_id = r.ticket_id"


class RatingRefused(Exception):
    """Why a rating was not taken: `code` for the API, `message` in plain Chinese."""

    STATUS: ClassVar[dict[str, int]] = {"not_found": 404, "not_done": 409, "already_rated": 409,
                                        "bad_request": 400, "wrong_window": 409,
                                        "forbidden": 403}

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(detail or message)
        self.code, self.message = code, message

    @property
    def status(self) -> int:
        return self.STATUS.get(self.code, 400)


def row_of(r: tuple[Any, ...]) -> RatingRow:
    (rid, tid, day, number, window, staff, case_no, level, reasons, channel, created,
     ack_at, ack_by, service) = r
    return RatingRow(str(rid), str(tid), str(day), str(number),
                     int(window) if window is not None else None, str(staff or ""),
                     str(case_no or ""), int(level),
                     tuple(x for x in str(reasons or "").split(",") if x), str(channel or ""),
                     str(created), str(ack_at) if ack_at else None, str(ack_by or ""),
                     str(service or ""))


def ticket_facts(tx: Any, ticket_id: str) -> dict[str, Any] | None:
    row = tx.one("SELECT ticket_id, day, number, service_prefix, state, window_no, staff, "
                 "case_no FROM tickets WHERE ticket_id = ?", (ticket_id,))
    if row is None:
        return None
    keys = ("ticket_id", "day", "number", "service", "state", "window", "staff", "case_no")
    return dict(zip(keys, row, strict=True))


def existing(tx: Any, ticket_id: str) -> RatingRow | None:
    row = tx.one(f"SELECT {COLUMNS} {FROM} WHERE r.ticket_id = ?", (ticket_id,))
    return row_of(row) if row is not None else None


def record(tx: Any, rating: Rating, now: datetime) -> tuple[RatingRow, bool]:
    """Take the rating; (row, True) if new, (row, False) when the same rating was already
    taken (a retried request). Raises RatingRefused."""
    problems = rating.problems()
    if problems:
        raise RatingRefused("bad_request", "评价内容不完整，请重新选择。", "; ".join(problems))
    facts = ticket_facts(tx, rating.ticket_id)
    if facts is None:
        raise RatingRefused("not_found", "没有找到这张号，请核对后再试。",
                            f"no ticket {rating.ticket_id!r}")
    codes = ",".join((*rating.reasons, *rating.causes))
    old = existing(tx, rating.ticket_id)
    if old is not None:
        if (old.level, ",".join(old.reasons), old.channel) == (rating.level, codes,
                                                                 rating.channel):
            return old, False
        raise RatingRefused("already_rated", "这张号已经评价过了，谢谢您。",
                            f"ticket {facts['number']} was rated at {old.created_at}")
    if facts["state"] != "done":
        raise RatingRefused("not_done", "办理完成后才能评价。",
                            f"ticket {facts['number']} is {facts['state']}")
    if rating.window is not None and facts["window"] is not None and (
            int(facts["window"]) != rating.window):
        raise RatingRefused("wrong_window", "这张号不是在本窗口办理的。",
                            f"ticket {facts['number']} was served at window {facts['window']}, "
                            f"the rating came from window {rating.window}")
    rid = uuid.uuid4().hex
    tx.run("INSERT INTO ratings (rating_id, ticket_id, day, number, window_no, staff, case_no, "
           "level, reasons, channel, created_at, acknowledged_at, acknowledged_by) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '')",
           (rid, facts["ticket_id"], str(facts["day"]), facts["number"], facts["window"],
            facts["staff"] or "", facts["case_no"] or "", rating.level, codes, rating.channel,
            now.isoformat(timespec="milliseconds")))
    new = existing(tx, rating.ticket_id)
    assert new is not None
    return new, True


def acknowledge(tx: Any, rating_id: str, staff: str, now: datetime) -> RatingRow:
    row = tx.one(f"SELECT {COLUMNS} {FROM} WHERE r.rating_id = ?", (rating_id,))
    if row is None:
        raise RatingRefused("not_found", "没有找到这条评价。", f"no rating {rating_id!r}")
    found = row_of(row)
    if found.acknowledged_at is None:
        tx.run("UPDATE ratings SET acknowledged_at = ?, acknowledged_by = ? WHERE rating_id = ?",
               (now.isoformat(timespec="seconds"), staff, rating_id))
        row = tx.one(f"SELECT {COLUMNS} {FROM} WHERE r.rating_id = ?", (rating_id,))
        assert row is not None
        found = row_of(row)
    return found


def of_day(tx: Any, day: str) -> list[RatingRow]:
    return [row_of(r) for r in tx.all(f"SELECT {COLUMNS} {FROM} WHERE r.day = ? "
                                      "ORDER BY r.created_at, r.rating_id", (day,))]


def open_alerts(tx: Any) -> list[RatingRow]:
    """Every 差评 not yet acknowledged, whatever its day (an alert does not expire at night)."""
    marks = ", ".join("?" for _ in BAD_LEVELS)
    return [row_of(r) for r in tx.all(
        f"SELECT {COLUMNS} {FROM} WHERE r.level IN ({marks}) AND r.acknowledged_at IS NULL "
        "ORDER BY r.created_at", tuple(BAD_LEVELS))]


def day_rows(store: Any, day: str) -> list[RatingRow]:
    """The day's ratings from an open hall store (read-only is enough)."""
    rows: list[RatingRow] = store.query(lambda tx: of_day(tx, day))
    return rows


def add_to_report(rep: dict[str, Any], store: Any, day: str) -> list[RatingRow]:
    """`kiosk hall report`: the day's 好差评 figures under rep["ratings"]; the rows back (for
    the provincial CSV)."""
    from hall.ratings_report import summary

    rows = day_rows(store, day)
    rep["ratings"] = summary(rows)
    return rows
