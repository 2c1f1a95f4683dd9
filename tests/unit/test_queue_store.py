"""SqliteQueueStore as a file (WAL, versions, the upgrade of a kiosk's old queue file, opens
that write nothing), the person hash and the secret, and the wait wording. What the store
does with tickets is the contract's (tests/contract), run against every store."""

from __future__ import annotations

import re
import sqlite3
import stat
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.queue.hallconfig import HallSettings
from kiosk.queue.identity import CardInfo, PersonHasher, age_on
from kiosk.queue.model import IssueRequest, Refusal, TicketState, queue_day
from kiosk.queue.owner import current_owner, owner_alive
from kiosk.queue.sql.schema import V1
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.queue.store import QueueStoreError
from kiosk.queue.waittime import wait_text
from tests.queue_support import Clock, make_config, make_service

DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0)
ID_NUMBERS = ["110105194912310021", "11010519600101123X", "440301198807154417"]


def request(service: str = "C") -> IssueRequest:
    return IssueRequest(service=service, request_id=uuid.uuid4().hex, owner=current_owner())


def new_store(path: Path) -> SqliteQueueStore:
    return SqliteQueueStore(path, HallSettings(), Clock(NOW))


@pytest.fixture
def store(tmp_path: Path) -> SqliteQueueStore:
    s = new_store(tmp_path / "q.sqlite")
    s.open()
    return s


# -- privacy ---------------------------------------------------------------------------------


def test_id_numbers_are_nowhere_in_the_queue_file(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    q = make_service(cfg, Clock(NOW))
    for n in ID_NUMBERS:
        assert q.take("A", CardInfo(n, date(1960, 1, 1), "王*明")).ok
    assert q.take("A", CardInfo(ID_NUMBERS[0], date(1960, 1, 1), "王*明")).refusal \
        is Refusal.PERSON_WAITING        # the hash does its job …
    files = sorted(tmp_path.glob("var/queue.sqlite*"))
    raw_open = b"".join(f.read_bytes() for f in files)  # … while open (WAL included)
    q.close()
    raw_closed = (tmp_path / "var" / "queue.sqlite").read_bytes()
    for n in ID_NUMBERS:
        for raw in (raw_open, raw_closed):
            for form in (n, n[-8:], n[6:14]):       # whole, tail, birth date part
                assert form.encode() not in raw and form.encode("utf-16-le") not in raw
        assert "王*明".encode() not in raw_closed    # nor the masked name
    hashes = [r[0] for r in sqlite3.connect(tmp_path / "var" / "queue.sqlite").execute(
        "SELECT person_hash FROM tickets")]
    assert len(set(hashes)) == 3 and all(h for h in hashes)


def test_hash_never_contains_the_number_and_changes_by_day(tmp_path: Path) -> None:
    hasher = PersonHasher(tmp_path / "var" / "secret.key")
    for n in ID_NUMBERS:
        h = hasher.hash(n, DAY)
        assert h != n and n not in h and n[-4:] not in h
        assert h == hasher.hash(n.lower(), DAY)                   # x and X are one card
        assert h != hasher.hash(n, DAY + timedelta(days=1))        # not linkable across days
    mode = stat.S_IMODE((tmp_path / "var" / "secret.key").stat().st_mode)
    assert mode == 0o600
    again = PersonHasher(tmp_path / "var" / "secret.key")         # same key after a restart
    assert again.hash(ID_NUMBERS[0], DAY) == hasher.hash(ID_NUMBERS[0], DAY)
    other = PersonHasher(tmp_path / "elsewhere.key")               # another installation
    assert other.hash(ID_NUMBERS[0], DAY) != hasher.hash(ID_NUMBERS[0], DAY)


def test_a_truncated_secret_is_named(tmp_path: Path) -> None:
    key = tmp_path / "secret.key"
    key.write_bytes(b"short")
    with pytest.raises(Exception, match=r"secret.key: expected a 32-byte secret, got 5"):
        PersonHasher(key).open()


def test_age_counts_whole_years() -> None:
    assert age_on(date(1956, 11, 23), date(2026, 11, 23)) == 70
    assert age_on(date(1956, 11, 24), date(2026, 11, 23)) == 69
    assert age_on(date(1956, 2, 29), date(2026, 2, 28)) == 69
    assert age_on(date(1956, 2, 29), date(2026, 3, 1)) == 70


# -- store semantics -------------------------------------------------------------------------


def test_queue_day_turns_at_the_reset_hour() -> None:
    assert queue_day(datetime(2026, 11, 24, 3, 59), 4) == DAY
    assert queue_day(datetime(2026, 11, 24, 4, 0), 4) == DAY + timedelta(days=1)
    assert queue_day(datetime(2026, 11, 24, 0, 0), 0) == DAY + timedelta(days=1)


def test_store_must_be_opened_and_says_so(tmp_path: Path) -> None:
    s = new_store(tmp_path / "q.sqlite")
    assert not (tmp_path / "q.sqlite").exists()     # no I/O in the constructor
    with pytest.raises(QueueStoreError, match=r"q.sqlite: not open"):
        s.tickets(DAY)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite"
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.close()
    with pytest.raises(QueueStoreError, match="format 99 is newer"):
        new_store(path).open()


def test_wal_mode_and_a_partial_unique_index(store: SqliteQueueStore) -> None:
    assert store._file.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    index = store._file.conn.execute("SELECT sql FROM sqlite_master WHERE name = "
                                     "'one_open_ticket_per_window'").fetchone()[0]
    assert "UNIQUE" in index and "WHERE state IN ('called', 'serving')" in index
    a, b = (store.printed(store.issue(request()).ticket_id) for _ in range(2))
    with pytest.raises(sqlite3.IntegrityError), store._file.conn:   # the database refuses
            store._file.conn.execute("UPDATE tickets SET state = 'called', window_no = 4 "
                                     "WHERE ticket_id IN (?, ?)", (a.ticket_id, b.ticket_id))


def test_a_kiosks_old_queue_file_is_upgraded_with_its_tickets(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite"
    old = sqlite3.connect(path)
    for statement in V1.split(";"):
        if statement.strip():
            old.execute(statement)
    day = DAY.isoformat()
    rows = [("t1", "C001", "C", 1, "printed", ""), ("t2", "C002", "C", 2, "void", ""),
            ("t3", "A001", "A", 1, "called", "age")]
    for tid, number, prefix, seq, state, prio in rows:
        old.execute("INSERT INTO tickets (ticket_id, day, number, service_prefix, seq, state, "
                    "issued_at, people_ahead, est_wait_min, priority) VALUES (?, ?, ?, ?, ?, "
                    "?, ?, 0, 0, ?)", (tid, day, number, prefix, seq, state, NOW.isoformat(),
                                       prio))
    old.execute("INSERT INTO sequences VALUES (?, 'C', 2)", (day,))
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    s = new_store(path)
    s.open()
    states = {t.number: t.state for t in s.tickets(DAY)}
    assert states == {"C001": TicketState.WAITING, "C002": TicketState.VOID,
                      "A001": TicketState.CALLED}
    assert s.issue(request()).number == "C003", "numbering goes on after the upgrade"
    assert next(v for v in s.services() if v.prefix == "C").issued == 2
    s.close()


def test_owner_liveness_on_this_host() -> None:
    assert owner_alive(current_owner()) is True
    host, pid, start = current_owner().split("/")
    assert owner_alive(f"{host}/{pid}/{int(start or 0) + 1}") is False  # a reused pid


# -- wait wording ----------------------------------------------------------------------------


@pytest.mark.parametrize(("ahead", "per_ticket", "text"), [
    (0, 5.0, "无需等待"),
    (1, 3.0, "约 5 分钟以内"),
    (4, 3.0, "约 10–15 分钟"),
    (20, 3.0, "约 50–70 分钟"),
    (50, 3.0, "2 小时以上"),
])
def test_wait_text_is_a_round_range(ahead: int, per_ticket: float, text: str) -> None:
    assert wait_text(ahead, per_ticket) == text


def test_status_report_counts_today_per_service(tmp_path: Path) -> None:
    from kiosk.status_sources import tickets_today

    cfg = make_config(tmp_path)
    assert tickets_today(cfg) == []                     # no store yet: none created
    assert not (tmp_path / "var" / "queue.sqlite").exists()
    q = make_service(cfg, Clock(datetime.now()))    # `kiosk status` reads today, by the clock
    q.take("C")
    q.take("C")
    q.void("C001")
    q.close()
    rows = tickets_today(cfg)
    assert rows == [
        {"prefix": "A", "name": "社保医保", "issued": 0, "waiting": 0, "void": 0,
         "verify": 0, "void_numbers": [], "verify_numbers": [], "last_number": ""},
        {"prefix": "C", "name": "综合咨询", "issued": 1, "waiting": 1, "void": 1,
         "verify": 0, "void_numbers": ["C001（工作人员作废）"], "verify_numbers": [],
         "last_number": "C002"},
    ]


@given(ahead=st.integers(1, 400), per_ticket=st.floats(0.1, 240.0))
def test_wait_range_always_contains_the_estimate(ahead: int, per_ticket: float) -> None:
    est = ahead * per_ticket
    text = wait_text(ahead, per_ticket)
    if m := re.fullmatch(r"约 (\d+)–(\d+) 分钟", text):
        lo, hi = int(m[1]), int(m[2])
        assert lo < hi and lo % 5 == 0 and hi % 5 == 0 and lo <= est <= hi
    elif m := re.fullmatch(r"约 (\d+) 分钟以内", text):
        assert est <= int(m[1])
    else:
        assert text == "2 小时以上" and est >= 120


def test_doctor_check_of_the_queue(tmp_path: Path) -> None:
    from kiosk.status_sources import check_queue

    cfg = make_config(tmp_path)
    c = check_queue(cfg)
    assert c.ok and "尚未取过号" in c.message
    assert not (tmp_path / "var").exists()          # a check changes nothing
    q = make_service(cfg, Clock(datetime.now()))
    q.set_service_open("C", True)                   # whatever the time of day the test runs
    assert q.take("C").ok
    q.close()
    c = check_queue(cfg)
    assert c.ok and c.message.endswith("今日 1 张号票")
    secret = tmp_path / "var" / "queue-secret.key"
    secret.chmod(0o644)
    c = check_queue(cfg)
    assert not c.ok and "queue.secret_file" in c.message and c.fix == f"chmod 600 {secret}"


def test_opening_an_existing_store_writes_nothing(tmp_path: Path) -> None:
    """Reports and checks open the store only to read: the file must not change (it used to
    re-run its schema and set user_version in a write transaction on every open)."""
    import hashlib

    path = tmp_path / "q.sqlite"
    first = new_store(path)
    first.open()
    first.issue(request())
    first.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for readonly in (False, True):
        again = new_store(path)
        again.open(readonly=readonly)
        assert len(again.tickets(DAY)) == 1
        again.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    with pytest.raises(QueueStoreError, match="cannot open"):
        new_store(tmp_path / "none.sqlite").open(readonly=True)
    assert not (tmp_path / "none.sqlite").exists()
