"""SqliteQueueStore on a real file, the person hash, and the wait wording."""

from __future__ import annotations

import re
import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.queue.identity import CardInfo, PersonHasher, age_on
from kiosk.queue.model import AllocationRequest, Refusal, TicketState, queue_day
from kiosk.queue.owner import current_owner, owner_alive
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.queue.store import AllocationRefused, QueueStoreError
from kiosk.queue.waittime import handling_minutes, wait_text
from tests.queue_support import Clock, make_config, make_service

DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0)
ID_NUMBERS = ["110105194912310021", "11010519600101123X", "440301198807154417"]


def request(**kw: object) -> AllocationRequest:
    base: dict[str, object] = dict(day=DAY, service_prefix="C", number_prefix="C", issued_at=NOW,
                                   open_by_hours=True, daily_limit=999, minutes_per_ticket=5.0,
                                   owner=current_owner())
    base.update(kw)
    return AllocationRequest(**base)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> SqliteQueueStore:
    s = SqliteQueueStore(tmp_path / "q.sqlite")
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
    s = SqliteQueueStore(tmp_path / "q.sqlite")
    assert not (tmp_path / "q.sqlite").exists()     # no I/O in the constructor
    with pytest.raises(QueueStoreError, match=r"q.sqlite: not open"):
        s.tickets(DAY)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite"
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.close()
    with pytest.raises(QueueStoreError, match="format 99 is newer"):
        SqliteQueueStore(path).open()


def test_wal_mode_and_states(store: SqliteQueueStore) -> None:
    mode = store._connection().execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    t = store.allocate(request())
    assert (t.number, t.state, t.people_ahead) == ("C001", TicketState.ISSUING, 0)
    t2 = store.allocate(request())
    assert (t2.people_ahead, t2.est_wait_min) == (1, 5.0)
    store.void(t.ticket_id, "print failed", NOW)
    with pytest.raises(QueueStoreError, match="ticket C001 is void; expected issuing"):
        store.mark_printed(t.ticket_id, NOW)
    assert store.void(t.ticket_id, "again", NOW).void_reason == "print failed"  # idempotent
    store.mark_printed(t2.ticket_id, NOW)
    store.call(t2.ticket_id, "5号窗口", NOW)
    done = store.finish(t2.ticket_id, NOW + timedelta(minutes=7))
    assert done.state is TicketState.DONE and done.counter == "5号窗口"
    with pytest.raises(QueueStoreError, match="C002 is done"):
        store.void(t2.ticket_id, "staff", NOW)
    assert store.handling_minutes(DAY, "C", 10) == [7.0]
    s = store.summary(DAY)["C"]
    assert (s.waiting, s.issued) == (0, 1)


def test_refusals_write_nothing(store: SqliteQueueStore) -> None:
    with pytest.raises(AllocationRefused) as info:
        store.allocate(request(open_by_hours=False))
    assert info.value.reason is Refusal.CLOSED
    store.set_service_open(DAY, "C", True)             # staff override beats the hours
    assert store.allocate(request(open_by_hours=False)).number == "C001"
    with pytest.raises(AllocationRefused) as info:
        store.allocate(request(daily_limit=1))
    assert info.value.reason is Refusal.DAILY_LIMIT
    assert store.allocate(request()).number == "C002"  # the refusal used no number


def test_numbers_run_out_at_999(store: SqliteQueueStore) -> None:
    store._connection().execute("INSERT INTO sequences VALUES (?, 'C', 998)", (DAY.isoformat(),))
    assert store.allocate(request()).number == "C999"
    with pytest.raises(AllocationRefused) as info:
        store.allocate(request())
    assert info.value.reason is Refusal.NUMBERS_EXHAUSTED


def test_recover_of_an_owner_on_another_host_waits_for_staleness(
        store: SqliteQueueStore) -> None:
    t = store.allocate(request(owner="other-kiosk/1234/5678"))
    assert owner_alive("other-kiosk/1234/5678") is None
    assert store.recover(NOW + timedelta(seconds=30)) == []
    (voided,) = store.recover(NOW + timedelta(minutes=3))
    assert (voided.ticket_id, voided.void_reason) == (t.ticket_id, "interrupted")


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


def test_observed_handling_needs_enough_samples() -> None:
    assert handling_minutes(6.0, [20.0, 20.0]) == 6.0
    assert handling_minutes(6.0, [20.0, 10.0, 12.0]) == 12.0
    assert handling_minutes(6.0, [600.0, 600.0, 600.0]) == 240.0


def test_status_report_counts_today_per_service(tmp_path: Path) -> None:
    from kiosk.status_sources import tickets_today

    cfg = make_config(tmp_path)
    assert tickets_today(cfg, NOW) == []                # no store yet: none created
    assert not (tmp_path / "var" / "queue.sqlite").exists()
    q = make_service(cfg, Clock(NOW))
    q.take("C")
    q.take("C")
    q.void("C001")
    q.close()
    rows = tickets_today(cfg, NOW)
    assert rows == [
        {"prefix": "A", "name": "社保医保", "issued": 0, "waiting": 0, "void": 0,
         "void_numbers": [], "last_number": ""},
        {"prefix": "C", "name": "综合咨询", "issued": 1, "waiting": 1, "void": 1,
         "void_numbers": ["C001（工作人员作废）"], "last_number": "C002"},
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
    first = SqliteQueueStore(path)
    first.open()
    first.allocate(request())
    first.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for readonly in (False, True):
        again = SqliteQueueStore(path)
        again.open(readonly=readonly)
        assert len(again.tickets(DAY)) == 1
        again.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    with pytest.raises(QueueStoreError, match="cannot open"):
        SqliteQueueStore(tmp_path / "none.sqlite").open(readonly=True)
    assert not (tmp_path / "none.sqlite").exists()
