"""好差评 through the real hall service on SQLite and on the private PostgreSQL: one rating per
ticket, only for a ticket that was served, the window/staff/办件编号 from the ticket (not from
the sender), reasons required on a 差评, manager-only reading, acknowledging and CSV."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hall.web import pages
from hall.web.ratelink import rating_code
from tests.support.faces_hall import FacesHall, faces_hall
from tests.support.pg_env import PgServer


@pytest.fixture(params=["sqlite", "postgresql"])
def hall(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FacesHall]:
    pg: PgServer | None = request.getfixturevalue("pg") if request.param == "postgresql" \
        else None
    with faces_hall(tmp_path, pg, request.param) as h:
        yield h


def evaluator(hall: FacesHall, body: dict[str, Any], token: str | None = None) -> httpx.Response:
    return hall.client.post("/api/ratings", json=body, headers={
        "Authorization": f"Bearer {hall.evaluator_token if token is None else token}"})


def served(hall: FacesHall, window: int = 4, staff: str = "1001", case_no: str = "") -> str:
    hall.ticket("C")
    w = hall.window(window, staff)
    ticket_id = str(w.act("next")["ticket"]["ticket_id"])
    w.act("finish", case_no=case_no)
    return ticket_id


def test_an_evaluator_rating(hall: FacesHall) -> None:
    hall.ticket("C")
    w = hall.window(4, "1001")
    open_id = w.act("next")["ticket"]["ticket_id"]
    r = evaluator(hall, {"ticket_id": open_id, "level": 5, "window": 4})
    assert (r.status_code, r.json()["error"]) == (409, "not_done")
    w.act("finish", case_no="BJ2026-7")
    assert evaluator(hall, {"ticket_id": open_id, "level": 5, "window": 4}, token="x"
                     ).status_code == 401
    r = evaluator(hall, {"ticket_id": open_id, "level": 2, "window": 4})
    assert (r.status_code, r.json()["error"]) == (400, "bad_request")   # a 差评 needs a reason
    assert "评价内容不完整" in r.json()["message"]
    r = evaluator(hall, {"ticket_id": open_id, "level": 5, "window": 2})
    assert (r.status_code, r.json()["error"]) == (409, "wrong_window")
    body = {"ticket_id": open_id, "level": 2, "reasons": ["attitude"], "causes": ["wait"],
            "window": 4, "staff": "9999", "case_no": "forged"}
    r = evaluator(hall, body)
    assert r.status_code == 200 and r.json()["new"] is True
    rating = r.json()["rating"]
    assert (rating["staff"], rating["case_no"], rating["window"]) == ("1001", "BJ2026-7", 4)
    assert rating["reasons"] == ["attitude", "wait"] and rating["channel"] == "evaluator"
    again = evaluator(hall, body)                  # the same rating retried: taken once
    assert again.status_code == 200 and again.json()["new"] is False
    other = evaluator(hall, {**body, "level": 5, "reasons": []})
    assert (other.status_code, other.json()["error"]) == (409, "already_rated")
    assert evaluator(hall, {"ticket_id": "nope", "level": 5, "window": 4}).status_code == 404


def test_the_phone_link_and_one_rating_per_ticket(hall: FacesHall) -> None:
    ticket_id = served(hall)
    key = pages.link_key(hall.service.api)
    link = f"/api/rate/{ticket_id}?k={rating_code(key, ticket_id)}"
    assert hall.client.get(f"/api/rate/{ticket_id}?k=wrong").status_code == 403
    assert hall.client.post(f"/api/rate/{ticket_id}?k=wrong", json={"level": 5}
                            ).status_code == 403
    info = hall.client.get(link).json()
    assert info["ratable"] and not info["rated"] and info["window"] == 4
    assert set(info) == {"hall", "number", "window", "service_name", "rated", "ratable"}
    r = hall.client.post(link, json={"level": 4, "channel": "evaluator", "window": 9})
    assert r.status_code == 200
    assert (r.json()["rating"]["channel"], r.json()["rating"]["window"]) == ("phone", 4)
    assert hall.client.get(link).json()["rated"] is True
    r = evaluator(hall, {"ticket_id": ticket_id, "level": 1, "reasons": ["skill"], "window": 4})
    assert r.json()["error"] == "already_rated"


def test_only_one_of_many_simultaneous_ratings_is_taken(hall: FacesHall) -> None:
    ticket_id = served(hall)
    results: list[int] = []
    lock = threading.Lock()

    def rate(level: int) -> None:
        with httpx.Client(base_url=hall.url, timeout=20) as c:
            r = c.post("/api/ratings", json={"ticket_id": ticket_id, "level": level,
                                             "reasons": ["skill"], "window": 4},
                       headers={"Authorization": f"Bearer {hall.evaluator_token}"})
        with lock:
            results.append(r.status_code)

    threads = [threading.Thread(target=rate, args=(lv,)) for lv in (1, 2, 3, 4, 5, 1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count(200) >= 1
    rows = hall.client.get("/api/ratings", headers=hall.manager()).json()["ratings"]
    assert len(rows) == 1
    # every 200 was the one rating (a retry of the same); every other answer a refusal
    assert all(code in (200, 409) for code in results)


def test_manager_reads_acknowledges_and_exports(hall: FacesHall) -> None:
    good, bad = served(hall), served(hall, case_no="BJ-9")
    evaluator(hall, {"ticket_id": good, "level": 5, "window": 4})
    evaluator(hall, {"ticket_id": bad, "level": 1, "reasons": ["efficiency"], "window": 4})
    staff = {"Authorization": f"Bearer {hall.window(4, '1001').token}"}
    assert hall.client.get("/api/ratings", headers=staff).status_code == 403
    assert hall.client.get("/api/ratings").status_code == 401
    assert hall.client.get("/api/ratings.csv", headers=staff).status_code == 403
    manager = hall.manager()
    data = hall.client.get("/api/ratings", headers=manager).json()
    assert data["summary"]["all"]["count"] == 2 and data["summary"]["all"]["bad"] == 1
    assert [a["ticket_id"] for a in data["open_alerts"]] == [bad]
    rating_id = data["open_alerts"][0]["rating_id"]
    acked = hall.client.post(f"/api/ratings/{rating_id}/ack", json={}, headers=manager).json()
    assert acked["rating"]["acknowledged_by"] == "9001"
    assert hall.client.get("/api/ratings", headers=manager).json()["open_alerts"] == []
    csv = hall.client.get("/api/ratings.csv", headers=manager)
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3
    assert any("BJ-9" in line and line.endswith(",9001") for line in lines[1:])


def test_a_rating_holds_nothing_about_the_person(hall: FacesHall) -> None:
    ticket_id = served(hall)
    evaluator(hall, {"ticket_id": ticket_id, "level": 3, "window": 4})
    def names(tx: Any) -> list[str]:
        tx.run("SELECT * FROM ratings WHERE 1 = 0")
        return [d[0] for d in tx.cur.description]     # DB-API: sqlite3 and psycopg alike

    columns = hall.store.query(names)
    assert set(columns) == {"rating_id", "ticket_id", "day", "number", "window_no", "staff",
                            "case_no", "level", "reasons", "channel", "created_at",
                            "acknowledged_at", "acknowledged_by"}
