"""Scanning through SANE's real `test` backend and the copy flows end to end through the
private CUPS: the ID copy page CUPS produced holds two images at the card's true size, a
document copy has one A4 page per scanned page, and faults (no scanner, busy, cancelled) give
the citizen's message and leave no scan behind."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from devices.errors import ScannerError
from devices.scanner.sane import (
    SaneScanner,
    ScanArea,
    ScanCancelled,
    ScanFailed,
    ScannerAbsent,
    ScannerBusy,
)
from devices.status import DeviceState, StatusUpdate
from tests.support.a4_fixtures import (  # noqa: F401
    cups,
    cups_server,
    is_a4,
    pdfinfo,
    queue_name,
    sane,
)
from tests.support.cups_env import CupsServer

pytestmark = [pytest.mark.sane]
PT_PER_MM = 72 / 25.4


def _scanner(*options: str, device: str = "test", timeout_s: float = 120.0) -> SaneScanner:
    return SaneScanner(device, resolution_dpi=150, mode="Color", timeout_s=timeout_s,
                       options=("--test-picture=Color pattern", *options)).open()


SHORT_S = 5.0   # the busy test's own scanner time-out (the kiosk's default is 120 s)


def busy_or_timed_out(scanner: SaneScanner, area: ScanArea) -> ScannerError:
    """What a busy scanner gives: ScannerBusy — or, when Debian's scanimage with the test
    backend hangs (about once in 60 runs), the kiosk's own time-out, ScanFailed "no image
    after N s". Both are outcomes the kiosk handles; neither may leave a file behind."""
    with pytest.raises((ScannerBusy, ScanFailed)) as info:
        scanner.scan(area)
    if isinstance(info.value, ScanFailed):
        assert f"no image after {scanner.timeout_s:g} s" in str(info.value)
    assert scanner.folder is not None and list(scanner.folder.iterdir()) == []
    return info.value


def test_scan_is_private_and_wiped(sane: dict[str, str]) -> None:  # noqa: F811
    scanner = _scanner()
    folder = scanner.folder
    assert folder is not None and (folder.stat().st_mode & 0o777) == 0o700
    png = scanner.scan(ScanArea(85.6, 54.0), "id-front")
    assert png.parent == folder and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    scanner.discard(png)
    assert not png.exists()
    scanner.scan(ScanArea(50, 50), "page-001")
    scanner.close()
    assert not folder.exists()


def test_missing_scanner_says_so(sane: dict[str, str]) -> None:  # noqa: F811
    events: queue.Queue[StatusUpdate] = queue.Queue()
    scanner = SaneScanner("nosuchscanner", events=events).open()
    with pytest.raises(ScannerAbsent) as info:
        scanner.scan(ScanArea(85.6, 54.0))
    assert "nosuchscanner" in str(info.value)
    update = events.get_nowait()
    assert (update.device, update.state) == ("scanner", DeviceState.NO_DEVICE)
    assert info.value.citizen_message == "没有找到扫描仪，暂时无法复印，请联系大厅工作人员。"
    assert scanner.folder is not None and list(scanner.folder.iterdir()) == []
    scanner.close()


@pytest.mark.timeout(60)
def test_busy_scanner_says_so(sane: dict[str, str]) -> None:  # noqa: F811
    # the test backend's sane_read() answers SANE_STATUS_DEVICE_BUSY, as a scanner in use does
    scanner = _scanner("--read-return-value=SANE_STATUS_DEVICE_BUSY", timeout_s=SHORT_S)
    outcome = busy_or_timed_out(scanner, ScanArea(50, 50))
    assert outcome.citizen_message in ("扫描仪正在使用中，请稍等一会儿再试。",
                                       ScanFailed.citizen_message)
    scanner.close()


@pytest.mark.timeout(60)
def test_a_hung_scanimage_is_the_kiosks_own_time_out(sane: dict[str, str]) -> None:  # noqa: F811
    """The outcome test_busy_scanner_says_so accepts when scanimage hangs, made to happen: a
    scan slower than the scanner's time-out is killed and says so, and leaves nothing."""
    scanner = _scanner("--read-delay=yes", "--read-delay-duration=200000", timeout_s=1.0)
    outcome = busy_or_timed_out(scanner, ScanArea(80, 80))
    assert isinstance(outcome, ScanFailed)
    assert outcome.citizen_message == "扫描没有成功，请重试；如仍不行，请联系大厅工作人员。"
    scanner.close()


def test_second_scan_while_one_runs_is_busy(sane: dict[str, str]) -> None:  # noqa: F811
    scanner = _scanner("--read-delay=yes", "--read-delay-duration=100000")
    errors: list[Exception] = []

    def slow() -> None:
        try:
            scanner.scan(ScanArea(60, 60), "first")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    worker = threading.Thread(target=slow)
    worker.start()
    threading.Event().wait(0.3)
    with pytest.raises(ScannerBusy):
        scanner.scan(ScanArea(10, 10), "second")
    scanner.cancel()
    worker.join(10)
    assert [type(e) for e in errors] == [ScanCancelled]
    scanner.close()


def test_cancelled_scan_leaves_nothing(sane: dict[str, str]) -> None:  # noqa: F811
    scanner = _scanner("--read-delay=yes", "--read-delay-duration=200000")
    threading.Timer(0.3, scanner.cancel).start()
    with pytest.raises(ScanCancelled) as info:
        scanner.scan(ScanArea(80, 80), "id-front")
    assert info.value.citizen_message == "扫描已取消。"
    assert scanner.folder is not None and list(scanner.folder.iterdir()) == []
    scanner.close()


# -- the flows from the command line, through real SANE and CUPS ---------------------------

@pytest.fixture
def kiosk_toml(tmp_path: Path, cups: CupsServer, queue_name: str,  # noqa: F811
               sane: dict[str, str]) -> Callable[..., Path]:  # noqa: F811
    def write(device: str = "test") -> Path:
        cfg = tmp_path / "kiosk.toml"
        cfg.write_text(
            f'[document_printer]\nqueue = "{queue_name}"\nserver = "{cups.socket}"\n'
            f'max_copies = 3\n'
            f'[scanner]\ndevice = "{device}"\nresolution_dpi = 150\n'
            f'page_area_mm = [0, 0, 200, 200]\n'
            f'options = ["--test-picture=Color pattern"]\n', encoding="utf-8")
        return cfg
    return write


def _images_mm(pdf: Path) -> list[tuple[float, float, float, float]]:
    """(left, top, width, height) in mm of every image on page 1."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        page = doc[0]
        height = page.get_height()
        out = []
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
            left, bottom, right, top = obj.get_bounds()
            out.append((left / PT_PER_MM, (height - top) / PT_PER_MM,
                        (right - left) / PT_PER_MM, (top - bottom) / PT_PER_MM))
        return out
    finally:
        doc.close()


def test_idcard_copy_end_to_end(run_kiosk: Callable[..., Any], kiosk_toml: Callable[..., Path],
                                cups: CupsServer, queue_name: str) -> None:  # noqa: F811
    done = run_kiosk("--config", str(kiosk_toml()), "copy", "idcard", "--yes", "--copies", "2")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True
    (out,) = cups.outputs(queue_name)
    info = pdfinfo(out)
    assert info["Pages"] == "2" and is_a4(info)  # 1 page × 2 copies
    images = _images_mm(out)
    assert len(images) == 2
    for left, _top, width, height in images:
        assert width == pytest.approx(85.6, abs=0.05) and height == pytest.approx(54.0, abs=0.05)
        assert left == pytest.approx((210 - 85.6) / 2, abs=0.1)
    tops = sorted(top for _l, top, _w, _h in images)
    assert tops[1] - tops[0] >= 54.0  # one above the other, not overlapping
    assert "身份证" in done.stderr  # the prompts
    assert cups.spooled_documents() == []  # with PreserveJobFiles No, as deployed


def test_document_copy_end_to_end(run_kiosk: Callable[..., Any],
                                  kiosk_toml: Callable[..., Path], cups: CupsServer,  # noqa: F811
                                  queue_name: str) -> None:  # noqa: F811
    done = run_kiosk("--config", str(kiosk_toml()), "copy", "document", "--pages", "3", "--yes")
    assert done.returncode == 0, done.stderr
    (out,) = cups.outputs(queue_name)
    info = pdfinfo(out)
    assert info["Pages"] == "3" and is_a4(info)
    ((left, top, width, height),) = _images_mm(out)
    assert left == pytest.approx(0, abs=0.1) and top == pytest.approx(0, abs=0.1)
    assert width == pytest.approx(200, abs=0.5) and height == pytest.approx(200, abs=0.5)


def test_copy_with_missing_scanner_and_too_many_copies(
        run_kiosk: Callable[..., Any], kiosk_toml: Callable[..., Path], cups: CupsServer,  # noqa: F811
        queue_name: str) -> None:  # noqa: F811
    done = run_kiosk("--config", str(kiosk_toml("nosuchscanner")), "copy", "idcard", "--yes")
    assert done.returncode == 3
    result = json.loads(done.stdout)
    assert result["message"] == "没有找到扫描仪，暂时无法复印，请联系大厅工作人员。"
    assert cups.outputs(queue_name) == []
    too_many = run_kiosk("--config", str(kiosk_toml()), "copy", "idcard", "--yes",
                         "--copies", "4")
    assert too_many.returncode == 3 and "max_copies" in too_many.stderr


def test_copy_refused_before_scanning_when_printer_stopped(
        run_kiosk: Callable[..., Any], kiosk_toml: Callable[..., Path], cups: CupsServer,  # noqa: F811
        queue_name: str) -> None:  # noqa: F811
    cups.run("cupsdisable", queue_name, check=True)
    done = run_kiosk("--config", str(kiosk_toml()), "copy", "idcard", "--yes")
    assert done.returncode == 3
    assert json.loads(done.stdout)["message"] == "打印机暂停使用，请联系大厅工作人员。"
    assert "身份证" not in done.stderr  # the citizen was not asked to scan for nothing


def test_session_end_shreds_an_unfinished_copy_job(sane: dict[str, str]) -> None:  # noqa: F811
    from devices.document_printer.cups import CupsPrinter
    from kiosk.config import parse_config
    from kiosk.copies.service import CopyJob
    from kiosk.session import Session

    cfg = parse_config({"scanner": {"resolution_dpi": 100}})
    scanner = _scanner()
    job = CopyJob(cfg, scanner, CupsPrinter("unused"))  # never opened: no print here
    front = job.scan_card("front")
    assert front.is_file()
    session = Session(idle_timeout_s=60, warning_s=30)
    session.extra["copy"] = job
    session.end()  # the citizen walked away before printing
    assert not front.exists() and job.sides == {}
    assert scanner.folder is not None and list(scanner.folder.iterdir()) == []
    scanner.close()
