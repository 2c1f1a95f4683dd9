"""表格打印 on the real UI, printed through the private CUPS: the list of items with forms,
one item's forms, the preview (page rendered by pypdfium2, page buttons, copies), the PDF
CUPS produced (pages × copies), and a stopped printer greying 打印 out with the reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.status import DeviceState, StatusUpdate
from screens.app import App
from screens.dialog import Notice
from screens.forms_flow import FormItemsScreen, ItemFormsScreen
from screens.print_preview import PrintPreview
from screens.widgets.pdfpage import FORM_PAGES
from tests.support.a4_fixtures import cups, cups_server, is_a4, pdfinfo, queue_name  # noqa: F401
from tests.support.cups_env import CupsServer
from tests.ui.a4_ui import (
    button,
    form_pdfs,  # noqa: F401
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

pytestmark = pytest.mark.cups


@pytest.fixture
def ui(tmp_path: Path, cups: CupsServer, queue_name: str,  # noqa: F811
       form_pdfs: Path) -> Iterator[App]:  # noqa: F811
    forms_catalog(tmp_path, form_pdfs)
    for app, _terminal in kiosk(write_toml(tmp_path, str(cups.socket), queue_name)):
        yield app


def preview_ready(app: App) -> bool:
    top = app.top
    return (isinstance(top, PrintPreview) and top.view.surface is not None
            and top.status is not None)


def wait_preview(app: App) -> None:
    pump(app, lambda: preview_ready(app), "the page and the printer's state")


def tap_row(app: App, index: int) -> None:
    view = app.top.view  # type: ignore[attr-defined]
    rows = view.content
    tap(app, view.rect.centerx, view.rect.top + index * (rows.row_h + rows.gap) + rows.row_h // 2)


def test_form_chosen_from_home_previewed_and_printed(ui: App, cups: CupsServer,  # noqa: F811
                                                     queue_name: str) -> None:  # noqa: F811
    app = ui
    tap_button(app, "表格打印")
    assert isinstance(app.top, FormItemsScreen)
    # the list is there at once, from the summaries (no worker, no "正在加载…")
    titles = [r.title for r in app.top.view.content.rows]  # type: ignore[attr-defined]
    assert titles == ["80周岁以上老年人高龄津贴申领", "最低生活保障审核确认"]  # most asked first
    shot(app, "forms-items")
    tap_row(app, 1)
    assert isinstance(app.top, ItemFormsScreen)
    rows = app.top.view.content.rows  # type: ignore[attr-defined]
    assert [(r.title, r.subtitle, r.right) for r in rows] == [
        ("最低生活保障申请书（示例）", "填写示范，仅供参考，共 2 页", "示例样表"),
        ("最低生活保障申请表", "打印后手写填好，共 2 页", "空白表格")]
    shot(app, "forms-item-forms")
    tap_row(app, 0)
    pump(app, lambda: preview_ready(app), "the first page and the printer's state")
    pv = app.top
    assert isinstance(pv, PrintPreview) and pv.pages == 2 and pv.index == 0
    sheet = pv.view.sheet()
    assert pv.view.rect.contains(sheet)
    assert sheet.height / sheet.width == pytest.approx(297 / 210, abs=0.01)  # an A4 page
    assert not button(app, "上一页").enabled and pv.print_button.enabled
    shot(app, "form-preview-page1")
    tap_button(app, "下一页")
    pump(app, lambda: pv.index == 1 and pv.view.surface is not None, "page 2")
    assert not button(app, "下一页").enabled
    tap(app, *pv.stepper.plus.rect.center)
    tap(app, *pv.stepper.plus.rect.center)
    assert pv.copies == 3 and not pv.stepper.plus.enabled  # max_copies = 3
    tap(app, *pv.stepper.minus.rect.center)
    assert pv.copies == 2
    shot(app, "form-preview-page2-copies")
    tap_button(app, "打印")
    pump(app, lambda: isinstance(app.top, Notice), "the printed notice", timeout=30)
    assert isinstance(app.top, Notice) and app.top.title == "打印好了"
    assert "请到A4打印机出纸口取走表格" in app.top.message
    (out,) = cups.outputs(queue_name)
    info = pdfinfo(out)
    assert info["Pages"] == "4" and is_a4(info)  # the 2-page form, 2 copies
    shot_pdf(out, "cups-output-form")
    # the pages are cached: opening the same form again shows at once, without a worker
    tap_button(app, "知道了")
    app.pop()
    tap_row(app, 0)
    assert isinstance(app.top, PrintPreview) and app.top.view.surface is not None
    assert len(FORM_PAGES) >= 2


def test_from_a_guide_one_form_opens_its_preview(ui: App) -> None:
    from screens.guide import GuideScreen

    app = ui
    app.push(GuideScreen(app, "T-0002"))
    tap_button(app, "打印表格")
    assert isinstance(app.top, PrintPreview)
    assert app.top.job.heading == "青山镇高龄津贴申请表"
    pump(app, lambda: preview_ready(app), "the preview")
    assert app.top.pages == 1 and not app.top.next.visible
    app.go_home()
    app.actions.print_forms("T-0001")
    assert isinstance(app.top, ItemFormsScreen)
    app.go_home()
    app.actions.print_forms("T-0003")
    assert isinstance(app.top, Notice) and app.top.title == "没有可打印的表格"


def test_stopped_printer_greys_print_out_with_the_reason(ui: App, cups: CupsServer,  # noqa: F811
                                                         queue_name: str) -> None:  # noqa: F811
    app = ui
    cups.run("cupsdisable", queue_name, check=True)
    app.actions.print_forms("T-0002")
    pv = app.top
    assert isinstance(pv, PrintPreview)
    pump(app, lambda: preview_ready(app), "the preview")
    assert pv.status is not None and not pv.status.ready
    assert not pv.print_button.enabled
    assert pv.print_button.sublabel == "暂时不能打印，原因见上方"
    from screens.print_preview import status_line

    assert status_line(pv.status, pv.printer) == ("打印机暂停使用，请联系大厅工作人员。", True)
    shot(app, "form-preview-printer-stopped")
    tap(app, *pv.print_button.rect.center)
    app.step(0)
    assert on_top(app, pv) and cups.outputs(queue_name) == []
    # staff start the queue again; the printer's status event brings 打印 back
    cups.run("cupsenable", queue_name, check=True)
    app.post(StatusUpdate(device="document_printer", state=DeviceState.ONLINE))
    pump(app, lambda: pv.print_button.enabled, "打印 enabled again")


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_preview_fits_every_screen_and_elder_mode(tmp_path: Path, cups: CupsServer,  # noqa: F811
                                                  queue_name: str, form_pdfs: Path,  # noqa: F811
                                                  size: tuple[int, int]) -> None:
    forms_catalog(tmp_path, form_pdfs)
    for app, _terminal in kiosk(write_toml(tmp_path, str(cups.socket), queue_name), size):
        app.actions.print_forms("T-0001")
        tap_row(app, 0)
        wait_preview(app)
        for elder in (False, True):
            app.set_elder(elder)
            wait_preview(app)
            pv = app.top
            assert isinstance(pv, PrintPreview)
            assert overlaps(app) == []
            assert pv.view.rect.contains(pv.view.sheet())
            assert pv.view.sheet().height > size[1] // 3   # big enough to read
            shot(app, f"form-preview-{'landscape' if size[0] > size[1] else 'portrait'}"
                      f"{'-elder' if elder else ''}")


def test_paper_runs_out_while_printing(ui: App, cups: CupsServer,  # noqa: F811
                                       queue_name: str) -> None:  # noqa: F811
    app = ui
    app.actions.print_forms("T-0002")
    wait_preview(app)
    pv = app.top
    assert isinstance(pv, PrintPreview) and pv.print_button.enabled
    cups.set_fault(queue_name, "media-empty-error")   # the printer's backend reports it
    tap_button(app, "打印")
    pump(app, lambda: isinstance(app.top, Notice), "the failure notice", timeout=30)
    assert app.top.title == "没有打印出来"  # type: ignore[attr-defined]
    assert app.top.message.startswith("打印机缺纸了")  # type: ignore[attr-defined]
    assert cups.outputs(queue_name) == [] and cups.jobs_left() == ""
    tap_button(app, "知道了")
    # the queue stopped: 打印 stays grey, and the citizen is told why before trying again
    pump(app, lambda: pv.status is not None and not pv.status.ready, "the stopped state")
    assert not pv.print_button.enabled
    shot(app, "form-preview-paper-out")


def test_visit_ending_mid_print_shows_nothing_to_the_next_citizen(
        ui: App, cups: CupsServer, queue_name: str) -> None:  # noqa: F811
    app = ui
    app.actions.print_forms("T-0002")
    wait_preview(app)
    cups.set_slow(queue_name, 1.0)
    tap_button(app, "打印")
    assert app.busy
    app.end_session()          # the idle time-out, while the job is still in the printer
    assert app.top.is_home
    pump(app, lambda: not app.busy, "the print worker", timeout=30)
    assert app.top.is_home and len(app.stack) == 1   # no 打印好了 over the next visit
    assert len(cups.outputs(queue_name)) == 1


def test_form_preview_zooms_on_a_tap_and_drags(ui: App) -> None:
    """Issue 17: elder mode made the preview smaller and there was no zoom."""
    from screens.guide import GuideScreen
    from screens.input import Pointer
    from screens.print_preview import ZOOM

    app = ui
    app.push(GuideScreen(app, "T-0002"))
    tap_button(app, "打印表格")
    pump(app, lambda: preview_ready(app), "the preview")
    pv = app.top
    assert isinstance(pv, PrintPreview) and pv.view.surface is not None
    small = pv.view.surface.get_width()
    sheet = pv.view.sheet()
    tap(app, sheet.left + sheet.width // 4, sheet.top + sheet.height // 4)
    pump(app, lambda: pv.view.is_zoomed, "the zoomed page")
    assert pv.view.zoomed is not None
    assert pv.view.zoomed.get_width() >= round(small * ZOOM) - 2
    shot(app, "form-preview-zoomed")
    before = pv.view.pan
    x, y = pv.view.rect.center
    for ev in (Pointer("down", x, y, 0.0), Pointer("move", x - 200, y - 300, 0.1),
               Pointer("up", x - 200, y - 300, 0.2)):
        pv.handle(ev)
    assert pv.view.pan != before and pv.view.is_zoomed        # a drag moves, not unzooms
    tap(app, x, y)
    assert not pv.view.is_zoomed                               # a tap: the whole page again


def test_form_preview_zooms_larger_in_elder_mode(ui: App) -> None:
    """Issue 17: in elder mode the page on screen is smaller (the buttons are bigger), so a
    tap enlarges it more (ZOOM_ELDER), and never to less than the normal zoom."""
    from screens.guide import GuideScreen
    from screens.print_preview import ZOOM, ZOOM_ELDER

    app = ui
    app.set_elder(True)
    app.push(GuideScreen(app, "T-0002"))
    tap_button(app, "打印表格")
    pump(app, lambda: preview_ready(app), "the preview")
    pv = app.top
    assert isinstance(pv, PrintPreview) and pv.view.surface is not None
    small = pv.view.surface.get_width()
    sheet = pv.view.sheet()
    tap(app, sheet.centerx, sheet.centery)
    pump(app, lambda: pv.view.is_zoomed, "the zoomed page")
    assert pv.view.zoomed is not None
    assert ZOOM_ELDER > ZOOM
    assert pv.view.zoomed.get_width() >= round(small * ZOOM_ELDER) - 2
    shot(app, "form-preview-zoomed-elder")
