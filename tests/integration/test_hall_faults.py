"""The hall service killed with SIGKILL between a number's allocation and its print (a real
`kiosk hall serve` process, a kiosk issuing through it over HTTP): whatever the kiosk's printer
did meanwhile, the `issuing` ticket ends settled by docs/queue-store.md rule 6 and issue 17's
rule — a slip that may exist keeps its number servable (`verify` or `waiting`), a number is
voided only when nothing can be on paper AND the hall, asked again once it is back, still has
it `issuing`; and a reply lost after the commit never makes a second number.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from devices.outcome import JobOutcome
from kiosk.config import parse_config
from kiosk.queue.model import TicketState
from kiosk.queue.remote_store import HallServerStore, join
from kiosk.queue.service import IssueResult, IssueStatus, QueueService
from kiosk.receipts.ticket import TicketSlip
from tests.support.drop_proxy import DropProxy
from tests.support.hall_process import HallProcess, prepare

HALL = """
[hall]
name = "测试镇便民服务中心"

[[services]]
name = "综合咨询"
prefix = "C"
hours = ["00:00-24:00"]
daily_limit = 999

[[windows]]
number = 1
services = ["C"]

[server]
database = "sqlite:var/hall.sqlite"
"""


class GatedPrinter:
    """A receipt printer the test holds in the middle of a slip: `started` when the job is
    under way, then it returns `outcome` once `gate` is set."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.gate = threading.Event()
        self.outcome = JobOutcome(ok=True, bytes_sent=800)
        self.jobs: list[str] = []

    def __call__(self, slip: TicketSlip) -> JobOutcome:
        self.jobs.append(slip.number)
        self.started.set()
        assert self.gate.wait(60), "the test never let the print finish"
        return self.outcome


@dataclass
class Kiosk:
    q: QueueService
    store: HallServerStore
    printer: GatedPrinter

    def take_in_thread(self) -> Callable[[], IssueResult]:
        out: list[IssueResult] = []
        worker = threading.Thread(target=lambda: out.append(self.q.take("C")))
        worker.start()

        def result() -> IssueResult:
            worker.join(60)
            assert out, "take() did not return"
            return out[0]

        return result


def rows(db: Path) -> list[tuple[str, str, str]]:
    """(number, state, void reason) straight from the hall's SQLite file."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [(n, s, r or "") for n, s, r in conn.execute(
            "SELECT number, state, void_reason FROM tickets ORDER BY number")]


def event_types(db: Path) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [t for (t,) in conn.execute("SELECT type FROM events ORDER BY id")]


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[HallProcess]:
    folder = tmp_path / "hall-pc"
    codes = prepare(folder, HALL, ["kiosk-1"])
    proc = HallProcess(folder)
    proc.start()
    proc.codes = codes
    try:
        yield proc
    finally:
        proc.kill()


def kiosk_on(hall: HallProcess, tmp_path: Path, url: str | None = None) -> Kiosk:
    box = tmp_path / "kiosk-pc"
    box.mkdir(exist_ok=True)
    enrolled = join(hall.url, hall.codes["kiosk-1"], box / "token.json", box / "secret.key")
    store = HallServerStore(url or hall.url, token=enrolled.token, timeout_s=2, probe_s=0.2)
    cfg = parse_config({"queue": {"server": hall.url, "secret_file": "secret.key"}},
                       base_dir=str(box))
    printer = GatedPrinter()
    q = QueueService(cfg, store, printer, kiosk="kiosk-1", repeat_guard_s=0)
    q.open()
    return Kiosk(q, store, printer)


def wait_up(k: Kiosk) -> None:
    deadline = time.monotonic() + 20
    while not k.store.link.up and time.monotonic() < deadline:
        time.sleep(0.05)
    assert k.store.link.up, "the kiosk saw by itself that the hall is back"


DB = Path("var/hall.sqlite")


def test_killed_while_the_slip_prints_the_print_is_told_when_the_hall_is_back(
        hall: HallProcess, tmp_path: Path) -> None:
    k = kiosk_on(hall, tmp_path)
    result = k.take_in_thread()
    assert k.printer.started.wait(20)
    hall.kill()                                  # the number is allocated, the slip printing
    k.printer.gate.set()
    r = result()
    assert r.status is IssueStatus.ISSUED and r.ticket is not None, r
    assert r.ticket.number == "C001" and "hall not told" in r.detail
    db = hall.folder / DB
    assert rows(db) == [("C001", "issuing", "")], "committed before the kill, nothing after"

    hall.start()
    wait_up(k)
    k.q.overview()                               # the kiosk's next look tells the print
    assert rows(db) == [("C001", "waiting", "")]
    assert event_types(db).count("ticket.printed") == 1
    assert k.q.take("C").ticket.number == "C002"  # type: ignore[union-attr]
    k.q.close()


def test_killed_while_the_slip_prints_and_the_paper_runs_out_mid_slip_it_stays_servable(
        hall: HallProcess, tmp_path: Path) -> None:
    k = kiosk_on(hall, tmp_path)
    k.printer.outcome = JobOutcome(ok=False, detail="paper out", message="打印纸用完了",
                                   bytes_sent=300)
    result = k.take_in_thread()
    assert k.printer.started.wait(20)
    hall.kill()
    k.printer.gate.set()
    r = result()
    assert r.status is IssueStatus.INCOMPLETE and "C001" in r.message, r
    assert "如果小票已经打出，请保留并告诉工作人员" in r.message
    hall.start()
    wait_up(k)
    k.q.overview()
    (t,) = k.store.tickets()
    assert (t.number, t.state) == ("C001", TicketState.VERIFY), "servable: staff check the slip"
    assert k.store.queue("C")[0].number == "C001"
    k.q.close()


def test_killed_while_nothing_printed_the_number_is_not_voided_blind(
        hall: HallProcess, tmp_path: Path) -> None:
    """The printer said before the job that it could not print; the kiosk must read the
    ticket's state again before voiding — and with the hall gone it cannot, so the number
    stays valid (the citizen is told so), and ends `verify` once the hall is back."""
    k = kiosk_on(hall, tmp_path)
    k.printer.outcome = JobOutcome(ok=False, detail="cover open", message="打印机盖打开了",
                                   bytes_sent=0)
    result = k.take_in_thread()
    assert k.printer.started.wait(20)
    hall.kill()
    k.printer.gate.set()
    r = result()
    assert r.status is IssueStatus.INCOMPLETE, r
    assert rows(hall.folder / DB) == [("C001", "issuing", "")]
    hall.start()
    wait_up(k)
    k.q.overview()
    assert [(t.number, t.state) for t in k.store.tickets()] == [("C001", TicketState.VERIFY)]
    k.q.close()


def test_a_reply_lost_after_the_commit_is_retried_and_issues_once(
        hall: HallProcess, tmp_path: Path) -> None:
    first = {"done": False}

    def drop_first_issue(line: str) -> bool:
        if line.startswith("POST /api/tickets ") and not first["done"]:
            first["done"] = True
            return True
        return False

    with DropProxy(("127.0.0.1", hall.port), drop=drop_first_issue) as proxy:
        k = kiosk_on(hall, tmp_path, proxy.url)
        k.printer.gate.set()
        r = k.q.take("C")
        assert proxy.dropped == 1
        assert r.ok and r.ticket is not None and r.ticket.number == "C001", r
        assert rows(hall.folder / DB) == [("C001", "waiting", "")], "the retry got the first"
        assert event_types(hall.folder / DB).count("ticket.issued") == 1
        k.q.close()


def test_killed_after_the_commit_before_the_reply_the_number_is_voided_with_its_reason(
        hall: HallProcess, tmp_path: Path) -> None:
    """The hall committed C001 and died before its reply left: the kiosk refused plainly and
    printed nothing. Back, it asks the hall what that request made (not the issue again,
    which would take a number) and voids it, still `issuing`, saying why: a gap in the
    numbers explained by a void with its reason."""
    with DropProxy(("127.0.0.1", hall.port),
                   drop=lambda line: line.startswith("POST /api/tickets "),
                   on_drop=lambda _line: hall.kill()) as proxy:
        k = kiosk_on(hall, tmp_path, proxy.url)
        k.printer.gate.set()
        r = k.q.take("C")
        assert r.status is IssueStatus.ERROR and r.ticket is None, r
        assert r.message == "取号系统暂时无法使用，请联系大厅工作人员。"
        assert k.printer.jobs == []
        assert rows(hall.folder / DB) == [("C001", "issuing", "")]
        proxy.drop = lambda _line: False
        hall.start()
        wait_up(k)
        k.q.overview()
        assert rows(hall.folder / DB) == [
            ("C001", "void", "no reply to the issue; nothing printed")]
        r = k.q.take("C")
        assert r.ok and r.ticket is not None and r.ticket.number == "C002"
        k.q.close()


def test_a_void_whose_reply_was_lost_is_said_as_void_and_sent_again(
        hall: HallProcess, tmp_path: Path) -> None:
    """Nothing printed, the kiosk voids — and the hall dies after the void's commit, before
    its reply (found in the fault run: the citizen was told "仍然有效" for a voided number).
    The citizen is told the number is void; the same void goes again when the hall is back."""
    with DropProxy(("127.0.0.1", hall.port),
                   drop=lambda line: line.startswith("POST ") and "/void " in line,
                   on_drop=lambda _line: hall.kill()) as proxy:
        k = kiosk_on(hall, tmp_path, proxy.url)
        k.printer.outcome = JobOutcome(ok=False, detail="paper out before the job",
                                       message="打印纸用完了", bytes_sent=0)
        k.printer.gate.set()
        r = k.q.take("C")
        assert proxy.dropped == 1
        assert r.status is IssueStatus.PRINT_FAILED and "仍然有效" not in r.message, r
        assert rows(hall.folder / DB) == [("C001", "void", "print failed: paper out before "
                                                           "the job")]
        proxy.drop = lambda _line: False
        hall.start()
        wait_up(k)
        k.q.overview()                           # the void again, same request id: acts once
        assert event_types(hall.folder / DB).count("ticket.void") == 1
        assert k.q.settle_pending() == 0
        k.q.close()
