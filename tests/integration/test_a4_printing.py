"""The A4 printer through a REAL, private CUPS (tests/support/cups_env.py): jobs go through
cupsd's filter chain to the kiosktest backend, which writes the PDF the "printer" received.
Faults are real CUPS states: a queue stopped with cupsdisable, a backend reporting
media-empty-error, a job cancelled while the backend is printing it."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pytest

from devices.document_printer.cups import CupsPrinter
from devices.status import DeviceState, PaperState, StatusUpdate
from kiosk.forms.pdfgen import build_form
from tests.support.a4_fixtures import cups, cups_server, is_a4, pdfinfo, queue_name  # noqa: F401
from tests.support.cups_env import CupsServer

DATA = Path(__file__).resolve().parent.parent / "data" / "forms"
pytestmark = pytest.mark.cups


@pytest.fixture(scope="module")
def two_page_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_form(DATA / "T-DBSQ-02.json", tmp_path_factory.mktemp("forms"))


def _printer(cups: CupsServer, queue_name: str,  # noqa: F811
             events: queue.Queue[StatusUpdate] | None = None) -> CupsPrinter:
    return CupsPrinter(queue_name, server=str(cups.socket), events=events, poll_s=0.05,
                       job_timeout_s=20).open()


def test_form_prints_with_copies_on_a4(cups: CupsServer, queue_name: str,  # noqa: F811
                                       two_page_form: Path) -> None:
    printer = _printer(cups, queue_name)
    assert printer.status().ready and printer.status().citizen_message == ""
    outcome = printer.print_file(two_page_form, copies=3, title="最低生活保障申请书")
    assert outcome.ok, outcome
    (out,) = cups.outputs(queue_name)
    info = pdfinfo(out)
    assert info["Pages"] == "6"  # 2 pages × 3 copies, made by CUPS's pdftopdf
    assert is_a4(info)
    assert outcome.job_id == out.stem.split("-")[1]


def test_stopped_printer_is_refused_with_plain_message(cups: CupsServer, queue_name: str,  # noqa: F811
                                                       two_page_form: Path) -> None:
    cups.run("cupsdisable", "-r", "staff: changing toner", queue_name, check=True)
    events: queue.Queue[StatusUpdate] = queue.Queue()
    printer = _printer(cups, queue_name, events)
    status = printer.status()
    assert status.state == "stopped" and not status.ready
    assert status.citizen_message == "打印机暂停使用，请联系大厅工作人员。"
    outcome = printer.print_file(two_page_form)
    assert not outcome.ok and outcome.message == status.citizen_message
    assert "staff: changing toner" in outcome.detail
    assert cups.outputs(queue_name) == [] and cups.jobs_left() == ""
    assert events.get_nowait().state is DeviceState.OFFLINE


def test_paper_out_mid_job_cancels_it_and_says_so(cups: CupsServer, queue_name: str,  # noqa: F811
                                                  two_page_form: Path) -> None:
    events: queue.Queue[StatusUpdate] = queue.Queue()
    printer = _printer(cups, queue_name, events)
    cups.set_fault(queue_name, "media-empty-error")
    outcome = printer.print_file(two_page_form)
    assert not outcome.ok
    assert outcome.message.startswith("打印机缺纸")
    assert "media-empty" in outcome.detail
    assert cups.jobs_left() == ""  # cancelled: it will not print later for no one
    assert cups.outputs(queue_name) == []
    seen = [events.get_nowait() for _ in range(events.qsize())]
    assert any(e.event == "REC_EMPTY" and e.paper is PaperState.OUT for e in seen), seen
    # staff refill the paper and resume the queue: the next job prints and clears the reason
    cups.set_fault(queue_name, "")
    cups.run("cupsenable", queue_name, check=True)
    assert printer.status().ready
    assert printer.print_file(two_page_form).ok
    assert printer.status().reasons == ()


def test_cancel_while_printing_leaves_nothing(cups: CupsServer, queue_name: str,  # noqa: F811
                                              two_page_form: Path) -> None:
    printer = _printer(cups, queue_name)
    cups.set_slow(queue_name, 5)
    timer = threading.Timer(0.4, printer.cancel)
    timer.start()
    outcome = printer.print_file(two_page_form)
    timer.join()
    assert not outcome.ok and outcome.message == "打印已取消。"
    assert cups.jobs_left() == ""
    assert cups.outputs(queue_name) == []
    assert not list(cups.queue_dir(queue_name).glob("*.part"))


def test_missing_queue_and_server(cups: CupsServer, tmp_path: Path,  # noqa: F811
                                  two_page_form: Path) -> None:
    absent = _printer(cups, "no-such-queue").status()
    assert absent.state == "absent" and absent.citizen_message.startswith("打印机暂时无法使用")
    gone = CupsPrinter("kiosk-a4", server=str(tmp_path / "none.sock")).open()
    outcome = gone.print_file(two_page_form)
    assert not outcome.ok and outcome.detail.startswith("UNREACHABLE")
