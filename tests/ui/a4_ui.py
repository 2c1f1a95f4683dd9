"""Driving the forms and copy flows against the real private CUPS and SANE's test backend:
a Terminal opened from a temp kiosk.toml, the App built the way `kiosk run` builds it, and
taps posted to pygame's own event queue. Workers are real threads, so `pump` turns the loop
until what the test waits for has happened (or fails, naming it, after a timeout)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pytest

from kiosk import bootstrap
from kiosk.config import load_config
from kiosk.forms.pdfgen import build_form, is_up_to_date
from kiosk.terminal import Terminal
from screens.app import App
from screens.kiosk_actions import KioskActions
from screens.main import build_app
from screens.widgets.button import Button

TESTS = Path(__file__).resolve().parent.parent
# Screenshots to look at: $A4_SHOTS, else a folder under the system's temporary directory
# (never a path outside the repository that a fresh machine may not have or let us write).
SHOTS = Path(os.environ.get("A4_SHOTS") or Path(tempfile.gettempdir()) / "kiosk-a4-shots")
SIZE = (1080, 1920)
LAYOUTS = ("T-DBSQ-02", "T-GLJT-01")


def forms_catalog(folder: Path, forms: Path | None) -> Path:
    """The mini catalog, with forms: 低保 (T-0001) has a sample and a blank, 高龄津贴 (T-0002)
    one blank form. Their PDFs (built from the test layouts in tests/data/forms) are copied to
    <folder>/forms when `forms` is given."""
    doc = json.loads((TESTS / "data/mini-catalog.json").read_text(encoding="utf-8"))
    items = {i["code"]: i for i in doc["items"]}
    items["T-0001"]["forms"] = [
        {"id": "F-DB-02", "title": "最低生活保障申请书（示例）", "kind": "sample",
         "file": "T-DBSQ-02.pdf", "pages": 2},
        {"id": "F-DB-01", "title": "最低生活保障申请表", "kind": "blank",
         "file": "T-DBSQ-02.pdf", "pages": 2}]
    items["T-0002"]["forms"] = [
        {"id": "F-GL-01", "title": "青山镇高龄津贴申请表", "kind": "blank",
         "file": "T-GLJT-01.pdf", "pages": 1}]
    path = folder / "catalog.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (folder / "forms").mkdir(exist_ok=True)
    for layout in LAYOUTS if forms is not None else ():
        assert forms is not None
        shutil.copy(forms / f"{layout}.pdf", folder / "forms" / f"{layout}.pdf")
    return path


def write_toml(folder: Path, socket: str, queue: str, scanner_device: str = "test",
               scanner_options: tuple[str, ...] = ()) -> Path:
    options = json.dumps(["--test-picture=Color pattern", *scanner_options])
    cfg = folder / "kiosk.toml"
    cfg.write_text(
        f'[display]\nwidth = {SIZE[0]}\nheight = {SIZE[1]}\nfullscreen = false\n'
        f'touch = true\nscale = 1.0\n'
        f'[catalog]\nseed = "catalog.json"\nforms_dir = "forms"\ndb = "var/catalog.sqlite"\n'
        f'[receipt_printer]\nurl = "file://{folder}/receipt.bin"\n'
        f'[id_reader]\nenabled = false\n'
        f'[document_printer]\nqueue = "{queue}"\nserver = "{socket}"\nmax_copies = 3\n'
        f'[scanner]\ndevice = "{scanner_device}"\nresolution_dpi = 75\n'
        f'page_area_mm = [0, 0, 200, 200]\noptions = {options}\n', encoding="utf-8")
    return cfg


def open_kiosk(toml: Path, size: tuple[int, int] = SIZE) -> tuple[App, Terminal]:
    cfg = load_config(toml)
    terminal = bootstrap.terminal(cfg)
    terminal.open()
    app = build_app(cfg, size=size, headless=True, actions=KioskActions(terminal))
    terminal.notify = app.post
    app.open()
    app.step(0)
    return app, terminal


def kiosk(toml: Path, size: tuple[int, int] = SIZE) -> Iterator[tuple[App, Terminal]]:
    app, terminal = open_kiosk(toml, size)
    try:
        yield app, terminal
    finally:
        app.close()
        terminal.close()


def _finger(kind: int, app: App, x: float, y: float) -> None:
    w, h = app.size
    pygame.event.post(pygame.event.Event(kind, touch_id=1, finger_id=0, x=x / w, y=y / h,
                                         dx=0.0, dy=0.0, pressure=1.0))


def tap(app: App, x: float, y: float) -> None:
    """A finger tap, as SDL reports it: down, a frame, up."""
    _finger(pygame.FINGERDOWN, app, x, y)
    app.step(0)
    _finger(pygame.FINGERUP, app, x, y)
    app.step(0)


def button(app: App, label: str) -> Button:
    for w in app.top.widgets:
        if isinstance(w, Button) and w.label == label and w.visible:
            return w
    shown = ", ".join(str(getattr(w, "label", "")) for w in app.top.widgets)
    raise AssertionError(f"no button {label!r} on {type(app.top).__name__}: {shown}")


def tap_button(app: App, label: str) -> None:
    b = button(app, label)
    assert getattr(b, "enabled", True), f"button {label!r} is disabled"
    tap(app, *b.rect.center)


def pump(app: App, until: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; top screen "
                                 f"{type(app.top).__name__}")
        app.step(20)
    app.step(0)


def shot(app: App, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    app.draw()
    path = SHOTS / f"{name}.png"
    pygame.image.save(app.surface, str(path))
    return path


def overlaps(app: App) -> list[str]:
    """What tests/ui/layout_check.py finds wrong with the top screen: widgets off screen or
    overlapping (the header's buttons sit on its bar on purpose), button words cut off,
    buttons under a fingertip."""
    from tests.ui.layout_check import layout_problems

    return layout_problems(app.top, app.theme, app.size)


def shot_pdf(pdf: Path, name: str) -> Path:
    """Page 1 of what CUPS produced, as a PNG next to the screenshots (to look at)."""
    from kiosk.forms.preview import PdfPreview

    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    with PdfPreview(pdf) as doc:
        doc.render(0, dpi=60).save(path)
    return path


@pytest.fixture(scope="session")
def form_pdfs(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test forms' PDFs. Building one takes seconds (font subsetting), so they are kept in
    pytest's cache folder and rebuilt only when their layout changed (the PDF records the
    layout's hash); a fresh checkout or CI builds them once per run."""
    cache = getattr(request.config, "cache", None)   # absent with -p no:cacheprovider
    out = (Path(cache.mkdir("kiosk-test-forms")) if cache is not None
           else tmp_path_factory.mktemp("kiosk-test-forms"))
    for layout in LAYOUTS:
        src = TESTS / f"data/forms/{layout}.json"
        if not is_up_to_date(src, out / f"{layout}.pdf"):
            build_form(src, out)
    return out
