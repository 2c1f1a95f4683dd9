"""复印 on the real UI with SANE's test backend as the scanner and the private CUPS as the
printer: the ID copy's A4 page has both sides at true size, a document copy has one page per
scanned page, a missing scanner gives its message and leaves no scan, cancelling a scan says
so, and the end of the visit (or 取消) shreds every scan."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pytest

from screens import copy_flow
from screens.app import App
from screens.copy_flow import KEY, CopyFlow, CopyMenu, Scanning, ScanScreen
from screens.dialog import Notice
from screens.idle import IdleWarning
from screens.print_preview import PrintPreview
from tests.integration.test_scanning_copies import _images_mm
from tests.support.a4_fixtures import (  # noqa: F401
    cups,
    cups_server,
    is_a4,
    pdfinfo,
    queue_name,
    sane,
)
from tests.support.cups_env import CupsServer
from tests.ui.a4_ui import (
    button,
    forms_catalog,
    kiosk,
    overlaps,
    pump,
    shot,
    shot_pdf,
    tap,
    tap_button,
    write_toml,
)
from tests.ui.helpers import on_top
from tests.ui.layout_check import layout_problems

pytestmark = [pytest.mark.cups, pytest.mark.sane]
Opener = Callable[..., App]


@pytest.fixture
def open_ui(tmp_path: Path, cups: CupsServer, queue_name: str,  # noqa: F811
            sane: dict[str, str]) -> Iterator[Opener]:  # noqa: F811
    forms_catalog(tmp_path, None)   # copies need no form PDFs
    running: list[Iterator[tuple[App, object]]] = []

    def start(device: str = "test", options: tuple[str, ...] = ()) -> App:
        gen = kiosk(write_toml(tmp_path, str(cups.socket), queue_name, device, options))
        running.append(gen)
        app, _terminal = next(gen)
        return app

    yield start
    for gen in running:
        for _ in gen:
            pass


def flow(app: App) -> CopyFlow:
    f = app.session.extra[KEY]
    assert isinstance(f, CopyFlow)
    return f


def scan_folder(app: App) -> Path:
    job = flow(app).job
    assert job is not None and job.scanner.folder is not None
    return job.scanner.folder


def to_copy_menu(app: App) -> CopyMenu:
    tap_button(app, "复印")
    menu = app.top
    assert isinstance(menu, CopyMenu)
    pump(app, lambda: menu.status is not None, "the printer's state")
    return menu


def scan(app: App) -> None:
    screen = app.top
    tap_button(app, "开始扫描" if screen.widgets and any(
        getattr(w, "label", "") == "开始扫描" for w in screen.widgets) else "扫下一页")
    assert isinstance(app.top, Scanning)
    pump(app, lambda: app.top is screen or isinstance(app.top, (Notice, PrintPreview)),
         "the scan")


def test_idcard_copy_both_sides_true_size(open_ui: Opener, cups: CupsServer,  # noqa: F811
                                          queue_name: str) -> None:  # noqa: F811
    app = open_ui()
    to_copy_menu(app)
    shot(app, "copy-menu")
    tap_button(app, "身份证复印")
    screen = app.top
    assert isinstance(screen, ScanScreen) and screen.side == "front"
    assert "有照片的一面朝下" in screen.instruction() and "左上角" in screen.instruction()
    shot(app, "copy-idcard-front")
    scan(app)
    assert on_top(app, screen) and screen.side == "back"
    folder = scan_folder(app)
    assert [p.name for p in folder.iterdir()] == ["id-front.png"]
    shot(app, "copy-idcard-back")
    scan(app)
    pump(app, lambda: isinstance(app.top, PrintPreview) and app.top.view.surface is not None
         and app.top.status is not None, "the ID copy preview")
    pv = app.top
    assert isinstance(pv, PrintPreview) and pv.pages == 1 and pv.print_button.enabled
    tap(app, *pv.stepper.plus.rect.center)
    shot(app, "copy-idcard-preview")
    tap_button(app, "打印")
    pump(app, lambda: isinstance(app.top, Notice), "the printed notice", timeout=30)
    assert isinstance(app.top, Notice) and app.top.title == "复印好了"
    assert "取回您的身份证" in app.top.message
    (out,) = cups.outputs(queue_name)
    info = pdfinfo(out)
    assert info["Pages"] == "2" and is_a4(info)  # one page, two copies
    shot_pdf(out, "cups-output-idcard-copy")
    images = _images_mm(out)
    assert len(images) == 2
    for _left, _top, width, height in images:
        assert width == pytest.approx(85.6, abs=0.05) and height == pytest.approx(54.0, abs=0.05)
    # printed: every scan and the preview are shredded, the scanner's folder is gone
    assert not folder.exists() and flow(app).job is None
    tap_button(app, "知道了")
    assert isinstance(app.top, CopyMenu)


def test_document_copy_pages_then_preview(open_ui: Opener, cups: CupsServer,  # noqa: F811
                                          queue_name: str,  # noqa: F811
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(copy_flow, "MAX_PAGES", 2)   # the limit, reached in two scans
    app = open_ui()
    to_copy_menu(app)
    tap_button(app, "文件复印")
    screen = app.top
    assert isinstance(screen, ScanScreen)
    scan(app)
    assert screen.pages == 1 and screen.step_title() == "已扫描 1 页"
    scan(app)
    assert screen.pages == 2
    assert not button(app, "扫下一页").enabled and "最多复印2页" in screen.instruction()
    shot(app, "copy-document-two-pages")
    tap_button(app, "扫描完成，看预览")
    pump(app, lambda: isinstance(app.top, PrintPreview) and app.top.pages == 2
         and app.top.print_button.enabled, "the document preview and the printer's state")
    shot(app, "copy-document-preview")
    tap_button(app, "打印")
    pump(app, lambda: isinstance(app.top, Notice), "the printed notice", timeout=30)
    (out,) = cups.outputs(queue_name)
    info = pdfinfo(out)
    assert info["Pages"] == "2" and is_a4(info)


@pytest.mark.parametrize(("device", "options", "message"), [
    ("nosuchscanner", (), "没有找到扫描仪，暂时无法复印，请联系大厅工作人员。"),
    ("test", ("--read-return-value=SANE_STATUS_DEVICE_BUSY",),
     "扫描仪正在使用中，请稍等一会儿再试。"),
    ("test", ("--read-return-value=SANE_STATUS_JAMMED",), "扫描仪卡纸了，请联系大厅工作人员。"),
], ids=["absent", "busy", "jammed"])
def test_scanner_fault_says_so_and_keeps_nothing(open_ui: Opener, cups: CupsServer,  # noqa: F811
                                                 queue_name: str,  # noqa: F811
                                                 device: str, options: tuple[str, ...],
                                                 message: str) -> None:
    app = open_ui(device=device, options=options)
    to_copy_menu(app)
    tap_button(app, "身份证复印")
    scan(app)
    notice = app.top
    assert isinstance(notice, Notice) and notice.title == "没有扫描成功"
    assert notice.message == message
    folder = scan_folder(app)
    assert list(folder.iterdir()) == []
    tap_button(app, "知道了")
    tap_button(app, "取消")
    assert isinstance(app.top, CopyMenu) and not folder.exists()
    assert cups.outputs(queue_name) == []


def scanning(app: App) -> bool:
    job = flow(app).job
    return job is not None and job.scanner._proc is not None  # white-box: the process runs


def test_cancelled_scan_says_so(open_ui: Opener) -> None:
    app = open_ui(options=("--read-delay=yes", "--read-delay-duration=200000"))
    to_copy_menu(app)
    tap_button(app, "文件复印")
    tap_button(app, "开始扫描")
    busy = app.top
    assert isinstance(busy, Scanning)
    pump(app, lambda: scanning(app), "scanimage running")
    shot(app, "copy-scanning")
    tap(app, *busy.stop.rect.center)
    pump(app, lambda: isinstance(app.top, Notice), "the cancelled notice")
    assert app.top.title == "已取消扫描" and app.top.message == "扫描已取消。"  # type: ignore[attr-defined]
    assert list(scan_folder(app).iterdir()) == []


def test_end_of_visit_shreds_the_scans(open_ui: Opener) -> None:
    app = open_ui()
    to_copy_menu(app)
    tap_button(app, "身份证复印")
    scan(app)
    folder = scan_folder(app)
    assert (folder / "id-front.png").is_file()
    assert not app.session.is_blank()  # the idle timer will warn, then end the visit
    app.end_session()
    assert not folder.exists() and KEY not in app.session.extra
    assert app.top.is_home


def test_home_button_mid_copy_shreds_the_scans(open_ui: Opener) -> None:
    app = open_ui()
    to_copy_menu(app)
    tap_button(app, "文件复印")
    scan(app)
    folder = scan_folder(app)
    assert (folder / "page-001.png").is_file()
    tap_button(app, "首页")
    assert app.top.is_home and not folder.exists() and KEY not in app.session.extra


def test_stopped_printer_no_scanning_for_nothing(open_ui: Opener, cups: CupsServer,  # noqa: F811
                                                 queue_name: str) -> None:  # noqa: F811
    cups.run("cupsdisable", queue_name, check=True)
    app = open_ui()
    menu = to_copy_menu(app)
    assert [b.enabled for b in menu.choices] == [False, False, False, False]
    shot(app, "copy-menu-printer-stopped")


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_copy_screens_fit_every_screen_and_elder_mode(tmp_path: Path, cups: CupsServer,  # noqa: F811
                                                      queue_name: str,  # noqa: F811
                                                      sane: dict[str, str],  # noqa: F811
                                                      size: tuple[int, int]) -> None:
    forms_catalog(tmp_path, None)
    for app, _terminal in kiosk(write_toml(tmp_path, str(cups.socket), queue_name), size):
        to_copy_menu(app)
        tap_button(app, "身份证复印")
        for elder in (False, True):
            app.set_elder(elder)
            app.step(0)
            assert overlaps(app) == [], f"elder={elder}"
            screen = app.top
            assert isinstance(screen, ScanScreen) and screen.picture.height > size[1] // 4
            name = "landscape" if size[0] > size[1] else "portrait"
            shot(app, f"copy-idcard-front-{name}{'-elder' if elder else ''}")
        app.pop()
        assert overlaps(app) == []


def test_idcard_preview_redoes_one_side(open_ui: Opener, cups: CupsServer,  # noqa: F811
                                        queue_name: str) -> None:  # noqa: F811
    """Issue 17: one crooked side meant rescanning both. Now 重扫背面 scans the back only."""
    app = open_ui()
    to_copy_menu(app)
    tap_button(app, "身份证复印")
    screen = app.top
    assert isinstance(screen, ScanScreen)
    scan(app)
    scan(app)
    pump(app, lambda: isinstance(app.top, PrintPreview) and app.top.view.surface is not None,
         "the ID copy preview")
    shot(app, "copy-idcard-preview-redo")
    front = (scan_folder(app) / "id-front.png").stat().st_mtime_ns
    tap_button(app, "重扫背面")
    assert on_top(app, screen) and screen.side == "back" and "背面" in screen.step_title()
    scan(app)                                      # the back only …
    pump(app, lambda: isinstance(app.top, PrintPreview), "the preview again")
    assert (scan_folder(app) / "id-front.png").stat().st_mtime_ns == front   # … front kept
    assert sorted(p.name for p in scan_folder(app).iterdir()
                  if p.suffix == ".png") == ["id-back.png", "id-front.png"]


def test_document_pages_show_as_thumbnails(open_ui: Opener) -> None:
    app = open_ui()
    to_copy_menu(app)
    tap_button(app, "文件复印")
    screen = app.top
    assert isinstance(screen, ScanScreen) and screen.personal
    scan(app)
    scan(app)
    assert len(screen.thumbs) == 2 and screen.thumbs_shown()
    assert "已扫好 2 页" in screen.instruction() and "扫下一页" in screen.instruction()
    shot(app, "copy-document-thumbnails")
    assert layout_problems(screen, app.theme, app.size) == []
    tap_button(app, "首页")
    assert screen.thumbs == []


@pytest.mark.parametrize(("menu", "first"), [("银行卡 / 社保卡复印", "扫描卡片正面"),
                                             ("户口簿复印", "户口簿首页（户主页）")])
def test_bank_card_and_household_register_are_in_the_menu(open_ui: Opener, menu: str,
                                                          first: str) -> None:
    app = open_ui()
    to_copy_menu(app)
    tap_button(app, menu)
    screen = app.top
    assert isinstance(screen, ScanScreen) and first in screen.step_title()
    if menu.startswith("户口簿"):
        scan(app)
        assert "本人页" in screen.step_title()


def test_idle_warning_hides_the_copy_preview(open_ui: Opener) -> None:
    """Issue 17: the previous citizen's scanned document stayed readable behind the idle
    countdown for 30 s. The warning now covers the whole screen: what shows is the warning
    alone, whatever lies below."""
    app = open_ui()
    to_copy_menu(app)
    tap_button(app, "身份证复印")
    scan(app)
    scan(app)
    pump(app, lambda: isinstance(app.top, PrintPreview) and app.top.view.surface is not None,
         "the ID copy preview")
    pv = app.top
    assert isinstance(pv, PrintPreview) and pv.personal
    pump(app, lambda: not app.busy, "the workers")
    # A minute without a touch, as the session counts it (the real clock would take a minute).
    app.session._last_touch -= app.session.idle_timeout_s + 1
    app.step(0)
    warning = app.top
    assert isinstance(warning, IdleWarning) and warning.covers_personal()
    app.invalidate()
    app.step(0)
    shown = pygame.image.tobytes(app.surface, "RGB")
    alone = pygame.Surface(app.size)
    alone.fill((255, 0, 255))
    warning.draw(alone)
    assert pygame.image.tobytes(alone, "RGB") == shown
    shot(app, "copy-preview-idle-covered")
