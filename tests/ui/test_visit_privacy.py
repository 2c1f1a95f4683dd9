"""Issue 8: after a full visit with a card read, no card data is in the logs (or anywhere else).

The visit runs through the real UI against a real Terminal (virtual printer, simulated SAM
reader, SQLite queue; tests/ui/terminal_rig.py) with logging set up by kiosk.logsetup at DEBUG
into a tmp folder, plus pytest's own capture of log records and of stderr. Searched for: the
card holder's name, ID number, birth date (several spellings) and both addresses, in clear
text and as the bytes the card carries them in (UTF-16LE, also as a hex dump, the way a frame
trace would show them), in every log file, in the captured output, and in every file the
terminal wrote (queue database and its WAL, status snapshot, the printed receipts).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from devices.sim.idcards import SAMPLE_CARDS
from kiosk.logsetup import setup_logging
from screens.dialog import Confirm, Notice
from screens.guide import GuideScreen
from screens.idle import IdleWarning
from screens.queue_flow import SHOW_TICKET_S, TicketTaken
from screens.search import SearchScreen
from tests.ui.helpers import button, tap
from tests.ui.terminal_rig import Rig, terminal_rig

CARD = SAMPLE_CARDS[1]               # "resident": 李样例, with an appended address


def secrets() -> list[str]:
    birth = CARD["birth"]
    y, m, d = birth[:4], birth[4:6], birth[6:]
    words = [CARD["name"], CARD["id_number"], CARD["id_number"][6:14], birth,
             f"{y}-{m}-{d}", f"{y}年{int(m)}月{int(d)}日", f"{y}年{m}月{d}日", f"{y}.{m}.{d}",
             CARD["address"], CARD["appended_address"], "样例街", "示例路"]
    dumps = []
    for w in (CARD["name"], CARD["address"], CARD["id_number"]):
        raw = w.encode("utf-16-le")
        dumps += [raw.hex(), raw.hex().upper(), raw.hex(" "), raw.hex(" ").upper()]
    return words + dumps


def leaks(text: str) -> list[str]:
    return [s for s in secrets() if s in text]


def file_leaks(path: Path) -> list[str]:
    return data_leaks(path.read_bytes())


def data_leaks(data: bytes) -> list[str]:
    """Every secret found in these bytes, as UTF-8, UTF-16LE or GB18030 (a fleet payload, a
    database dump)."""
    found = []
    for s in secrets():
        for enc in ("utf-8", "utf-16-le", "gb18030"):
            if s.encode(enc) in data:
                found.append(f"{s} ({enc})")
    return found


@contextmanager
def kiosk_logging(folder: Path) -> Iterator[Path]:
    """kiosk.logsetup at DEBUG into `folder` (file + stderr), as `kiosk run` sets it up; the
    root logger's previous handlers (pytest's caplog among them) are put back afterwards and
    caplog's handler is kept listening meanwhile."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    log_file = setup_logging(folder, "DEBUG")
    for h in before:
        if type(h).__name__ == "LogCaptureHandler":
            root.addHandler(h)
    try:
        yield log_file
    finally:
        for h in list(root.handlers):
            root.removeHandler(h)
            if h not in before:
                h.close()
        for h in before:
            root.addHandler(h)
        root.setLevel(level)


def search_open_and_print_guide(rig: Rig) -> None:
    app = rig.app
    tap(app, *button(app, "办事指南查询").rect.center)
    tap(app, *button(app, "查找：输入名称或拼音首字母").rect.center)
    assert isinstance(app.top, SearchScreen)
    for key in ("Z", "D"):
        tap(app, *button(app, key).rect.center)
    view = app.top.view
    tap(app, view.rect.centerx, view.rect.top + 10)
    assert isinstance(app.top, GuideScreen) and app.top.code == "T-0001"
    tap(app, *button(app, "打印办事指南").rect.center)
    rig.pump(lambda: isinstance(app.top, Notice), what="the guide printing")
    assert app.top.title == "打印好了"                       # type: ignore[attr-defined]
    tap(app, *button(app, "知道了").rect.center)
    tap(app, *button(app, "首页").rect.center)


def take_ticket_with_card(rig: Rig, service: str) -> None:
    app = rig.app
    tap(app, *button(app, "排队取号").rect.center)
    rig.pump(lambda: getattr(app.top, "statuses", None) is not None, what="services")
    app.step(0)
    tap(app, *button(app, service).rect.center)
    if rig.sim.placed is not None:
        rig.lift_card()                # seen gone before it is placed again: a fresh read
    rig.sim.place("resident")
    # ...and the services list's reload (on_resume, a worker) done: a worker still running
    # when the test moves the clock would hold the idle time-out, as it should for a print.
    rig.pump(lambda: isinstance(app.top, Confirm) and not app.busy, what="the card being read")


def test_full_visit_with_card_leaves_no_card_data_in_logs(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    with kiosk_logging(tmp_path / "log") as log_file, \
            terminal_rig(tmp_path / "kiosk") as rig:
        visit(rig)
    check(tmp_path, log_file, caplog, capsys)


def visit(rig: Rig) -> None:
    app = rig.app
    search_open_and_print_guide(rig)
    take_ticket_with_card(rig, "A  社保医保")
    tap(app, *button(app, "确认取号").rect.center)
    rig.pump(lambda: isinstance(app.top, TicketTaken) and not app.busy, what="the ticket")
    rig.lift_card()                            # 请取回您的身份证: she takes it
    assert not getattr(app.top, "card_on_reader", True)
    rig.clock.advance(SHOW_TICKET_S + 1)       # the ticket screen goes home by itself
    app.step(0)
    assert app.top.is_home and app.session.card is None
    # A second citizen reads a card, then walks away at the confirm dialog: idle time-out.
    take_ticket_with_card(rig, "B  民政救助")
    assert app.session.card is not None
    # Idle never fires while a worker runs (a print is under way); let the services list's
    # reload finish first, as it would long before a real minute had passed.
    rig.pump(lambda: not app.busy, what="the workers")
    rig.clock.advance(app.cfg.session.idle_timeout_s + 1)
    app.step(0)
    assert any(isinstance(s, IdleWarning) for s, _ in app.stack)
    rig.clock.advance(app.cfg.session.warning_s + 1)
    app.step(0)
    assert app.top.is_home and app.session.card is None and app.session.is_blank()
    assert len(rig.receipts(2)) == 2                        # the guide and the ticket


def check(tmp_path: Path, log_file: Path, caplog: pytest.LogCaptureFixture,
          capsys: pytest.CaptureFixture[str]) -> None:
    logs = [p for p in log_file.parent.iterdir() if p.is_file()]
    text = "".join(p.read_text(encoding="utf-8") for p in logs)
    assert "ticket A001 issued" in text and "card read on" in text   # it did log, at DEBUG
    assert " DEBUG " in text
    for p in logs:
        assert file_leaks(p) == [], p
    assert "ticket A001 issued" in caplog.text and leaks(caplog.text) == []
    assert leaks("\n".join(str(r.args) for r in caplog.records)) == []
    out = capsys.readouterr()
    assert "ticket A001 issued" in out.err                    # the stderr handler ran too
    assert leaks(out.out) == [] and leaks(out.err) == []
    for p in sorted(tmp_path.rglob("*")):                     # and nothing on disk at all
        if p.is_file() and p.suffix != ".png":
            assert file_leaks(p) == [], p
