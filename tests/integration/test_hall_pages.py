"""The hall's pages in a real browser — Debian's headless Chromium through Playwright — against
the real hall service: the window's page (窗口叫号), the manager's page, the TV hall display and
the rating page on a phone. A screenshot of every state goes to $PAGE_SHOTS (or tmp)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.calls.board import Board
from kiosk.calls.feed import HallFeed, wait_for
from kiosk.calls.follow import Follower
from kiosk.calls.ratelink import link_key, rating_url
from kiosk.queue.secret import load_or_create_secret
from tests.support.browser import chromium
from tests.support.faces_hall import FacesHall, faces_hall
from tests.support.hall_env import STAFF
from tests.support.tcp_proxy import TcpProxy


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[FacesHall]:
    with faces_hall(tmp_path) as h:
        yield h


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PAGE_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as context:
        yield context


def new_page(browser: Any, size: tuple[int, int] = (1366, 900)) -> Any:
    page = browser.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    return page


def log_in(page: Any, url: str, staff: str, window: int) -> None:
    page.goto(url + "/window")
    page.wait_for_selector("#window-no option", state="attached")
    page.fill("#staff", staff)
    page.fill("#pin", STAFF[staff])
    page.select_option("#window-no", str(window))
    page.click("#login-button")
    page.wait_for_selector("#work-view:not(.hidden)")


def events_of(hall: FacesHall, kind: str) -> list[Any]:
    return [e for e in hall.store.events_after(0, 10_000) if e.type.value == kind]


def test_window_page_from_login_to_done(hall: FacesHall, browser: Any, shots: Path) -> None:
    for declared in ("", "残疾人", ""):
        hall.ticket("C", declared=declared)
    board = Board()
    follower = Follower(board)
    feed = HallFeed(hall.url, follower)          # the hall display, following the same hall
    feed.start()
    page = new_page(browser)
    try:
        page.goto(hall.url + "/window")
        page.wait_for_selector("#window-no option", state="attached")
        page.screenshot(path=str(shots / "window-01-login.png"))
        page.fill("#staff", "1001")
        page.fill("#pin", "000000")
        page.click("#login-button")
        page.wait_for_function("document.getElementById('login-error').textContent.length > 0")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in page.inner_text("#login-error"))
        page.screenshot(path=str(shots / "window-02-wrong-pin.png"))
        log_in(page, hall.url, "1001", 4)
        page.wait_for_selector("#waiting-numbers")
        # The hall's order of service: the declared priority (残疾人) first, numbers only.
        assert page.inner_text("#waiting-numbers").split() == ["C002", "C001", "C003"]
        assert page.is_disabled("#act-recall") and page.is_enabled("#act-next")
        page.screenshot(path=str(shots / "window-03-idle.png"))

        page.keyboard.press("1")                                     # 呼叫下一位 by its key
        page.wait_for_selector("#current-number")
        assert page.inner_text("#current-number") == "C002"
        assert "优先（残疾人）：核验残疾人证" in page.inner_text("#current")  # hall.toml's check
        assert wait_for(lambda: bool(board.calls) and board.calls[0].number == "C002", 5)
        page.screenshot(path=str(shots / "window-04-called-priority.png"))

        page.dblclick("#act-start")                                  # a double click acts once
        page.wait_for_function("(document.querySelector('#current .state') || {textContent: ''})"
                               ".textContent.includes('正在办理')")
        assert len(events_of(hall, "ticket.serving")) == 1

        page.click("#act-next")                                      # one is still open
        page.wait_for_selector("dialog[open]")
        page.screenshot(path=str(shots / "window-05-confirm-next.png"))
        page.click("dialog button[data-choice=done]")
        page.wait_for_function("(document.getElementById('current-number') || {}).textContent"
                               " === 'C001'")
        page.screenshot(path=str(shots / "window-06-next.png"))

        page.keyboard.press("2")                                     # 重呼
        page.wait_for_function("(document.getElementById('current-calls') || {})"
                               ".textContent === '2'")
        assert wait_for(lambda: board.calls[0].recall, 5)

        assert page.is_disabled("#act-pause")           # not while a citizen is at the window
        page.keyboard.press("6")                                     # 完成, with 办件编号
        page.wait_for_selector("dialog[open] #case-no")
        page.fill("#case-no", "BJ2026-0042")
        page.screenshot(path=str(shots / "window-08-finish.png"))
        page.keyboard.press("Enter")
        page.wait_for_selector("#current .empty")
        done = next(t for t in hall.store.tickets() if t.number == "C001")
        assert (done.state.value, done.case_no) == ("done", "BJ2026-0042")
        page.keyboard.press("7")                                     # 暂停, with a reason
        page.wait_for_selector("dialog[open]")
        page.click("dialog button[data-choice=午间休息]")
        page.wait_for_selector(".paused-note")
        assert "午间休息" in page.inner_text(".paused-note")
        assert page.is_disabled("#act-next")
        page.screenshot(path=str(shots / "window-07-paused.png"))
        page.click("#act-pause")                                     # 恢复服务
        page.wait_for_selector(".paused-note", state="detached")


        page.keyboard.press("1")
        page.wait_for_function("(document.getElementById('current-number') || {}).textContent"
                               " === 'C003'")
        page.keyboard.press("5")                                     # 转移 to service A
        page.wait_for_selector("dialog[open]")
        page.screenshot(path=str(shots / "window-09-transfer.png"))
        page.click("dialog button[data-choice='s:A']")
        page.wait_for_selector("#current .empty")
        moved = next(t for t in hall.store.tickets() if t.number == "C003")
        assert (moved.state.value, moved.service_prefix) == ("transferred", "A")
        page.wait_for_function("(document.querySelector('#today-counts dd') || {}).textContent"
                               " === '2 人'")
        page.screenshot(path=str(shots / "window-10-today.png"))
        page.keyboard.press("0")                                     # 退出
        page.wait_for_selector("#login-view:not(.hidden)")
        assert page.errors == []
    finally:
        feed.stop()


def test_window_page_says_when_the_link_is_lost(hall: FacesHall, browser: Any,
                                                shots: Path) -> None:
    host, port = hall.url.removeprefix("http://").split(":")
    hall.ticket("C")
    with TcpProxy((host, int(port))) as proxy:
        page = new_page(browser)
        log_in(page, proxy.url, "1002", 6)
        page.wait_for_selector("#act-next:not([disabled])")
        proxy.cut()
        page.wait_for_selector("#link:not(.hidden)", timeout=10_000)
        assert "连接中断" in page.inner_text("#link")
        for action in ("next", "start", "finish", "pause"):
            assert page.is_disabled(f"#act-{action}"), action
        page.screenshot(path=str(shots / "window-11-link-lost.png"))
        page.keyboard.press("1")                       # keys do nothing while cut off
        proxy.restore()
        page.wait_for_selector("#link.hidden", state="attached", timeout=10_000)
        page.wait_for_selector("#act-next:not([disabled])")
        assert events_of(hall, "ticket.called") == []
        page.click("#act-next")
        page.wait_for_selector("#current-number")
        assert len(events_of(hall, "ticket.called")) == 1


def test_recall_waits_for_the_interval_and_the_keypad_acts(tmp_path: Path, browser: Any,
                                                            shots: Path) -> None:
    """hall.toml's recall_interval_s: 重呼 counts down and stays off until then; a USB keypad
    (呼叫器) sends the numeric keypad's keys, which act as the main keyboard's digits."""
    with faces_hall(tmp_path, recall_interval_s=30) as hall:
        hall.ticket("C")
        page = new_page(browser)
        log_in(page, hall.url, "1003", 4)
        page.wait_for_selector("#act-next:not([disabled])")
        page.keyboard.press("Numpad1")                              # 呼叫下一位
        page.wait_for_selector("#current-number")
        assert page.is_disabled("#act-recall")
        assert "重呼（" in page.inner_text("#act-recall")           # 重呼（30秒）, counting down
        page.keyboard.press("Numpad2")                              # too soon: nothing
        page.screenshot(path=str(shots / "window-12-recall-wait.png"))
        page.keyboard.press("Numpad3")                              # 开始办理
        page.wait_for_function("(document.querySelector('#current .state') || {textContent: ''})"
                               ".textContent.includes('正在办理')")
        assert events_of(hall, "ticket.recalled") == []
        assert len(events_of(hall, "ticket.serving")) == 1
        assert page.errors == []


def _rate(hall: FacesHall, ticket_id: str, level: int, reasons: list[str],
          causes: tuple[str, ...] = ()) -> None:
    r = hall.client.post("/api/ratings", json={"ticket_id": ticket_id, "level": level,
                                               "reasons": reasons, "causes": list(causes),
                                               "window": 4},
                         headers={"Authorization": f"Bearer {hall.evaluator_token}"})
    assert r.status_code == 200, r.text


def test_manager_page_keeps_a_bad_rating_until_acknowledged(hall: FacesHall, browser: Any,
                                                            shots: Path) -> None:
    w = hall.window(4, "1001")
    for _ in range(3):
        hall.ticket("C")
    page = new_page(browser, (1366, 1000))
    page.goto(hall.url + "/manager")
    page.fill("#staff", "9001")
    page.fill("#pin", STAFF["9001"])
    page.click("#login-button")
    page.wait_for_selector("#work-view:not(.hidden)")
    page.wait_for_selector("#windows tr[data-window='4']")
    page.screenshot(path=str(shots / "manager-01-quiet.png"))
    first = w.act("next")["ticket"]
    w.act("finish")
    _rate(hall, first["ticket_id"], 5, [])
    second = w.act("next")["ticket"]
    w.act("finish")
    _rate(hall, second["ticket_id"], 1, ["attitude"], ("wait",))
    page.wait_for_selector("#alerts .alert", timeout=10_000)
    text = page.inner_text("#alerts")
    assert "非常不满意" in text and second["number"] in text and "服务态度" in text
    page.wait_for_function("document.getElementById('rating-figures') &&"
                           " document.getElementById('rating-figures').textContent"
                           ".includes('50.0%')")
    page.screenshot(path=str(shots / "manager-02-alert.png"))
    page.reload()                                              # still there after a reload
    page.wait_for_selector("#alerts .alert")
    page.click("#alerts .alert button")
    page.wait_for_selector("#alerts .alert", state="detached")
    assert "没有待处理的差评" in page.inner_text("#alerts")
    page.wait_for_function("document.getElementById('report-figures') &&"
                           " document.getElementById('report-figures').textContent"
                           ".includes('办完2')")
    page.screenshot(path=str(shots / "manager-03-acknowledged.png"), full_page=True)
    with page.expect_download() as got:
        page.click("#csv")
    csv_text = Path(got.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("评价编号,")
    assert len(csv_text.splitlines()) == 3
    assert page.errors == []


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_tv_display_page(hall: FacesHall, browser: Any, shots: Path,
                         size: tuple[int, int]) -> None:
    name = "landscape" if size[0] > size[1] else "portrait"
    host, port = hall.url.removeprefix("http://").split(":")
    for _ in range(4):
        hall.ticket("C")
    with TcpProxy((host, int(port))) as proxy:
        page = new_page(browser, size)
        page.goto(proxy.url + "/display")
        page.wait_for_selector("#waiting-list li")
        assert "4 人" in page.inner_text("#waiting-list")
        page.click("#sound")                                   # sound needs a click
        page.wait_for_function("document.body.dataset.chimes === '1'")
        hall.window(4, "1001").act("next")
        hall.window(6, "1002").act("next")
        page.wait_for_function("document.querySelector('#main .number') &&"
                               " document.querySelector('#main .number').textContent === 'C002'")
        assert "请到 6号窗口" in page.inner_text("#main")
        assert "C001" in page.inner_text("#next")
        page.wait_for_function("document.body.dataset.chimes === '3'")
        page.wait_for_function("document.getElementById('waiting-list').textContent"
                               ".includes('2 人')")
        page.screenshot(path=str(shots / f"display-{name}-calls.png"))
        proxy.cut()
        page.wait_for_selector("#notice:not(.hidden)", timeout=10_000)
        assert page.inner_text("#notice").startswith("叫号信息暂时无法更新（")
        assert "2 人" in page.inner_text("#waiting-list")      # the last state, never "0 人"
        page.screenshot(path=str(shots / f"display-{name}-link-lost.png"))
        proxy.restore()
        page.wait_for_selector("#notice.hidden", state="attached", timeout=10_000)
        assert page.errors == []


def test_rating_page_on_a_phone(hall: FacesHall, browser: Any, shots: Path) -> None:
    w = hall.window(4, "1001")
    hall.ticket("C")
    t = w.act("next")["ticket"]
    # The link as a kiosk prints it on the slip (its copy of the hall's secret, from `kiosk
    # hall join`), opened as a phone opens it.
    secret = load_or_create_secret(hall.service.settings.path(
        hall.service.settings.queue.secret_file))
    link = rating_url(hall.url, link_key(secret), t["ticket_id"])
    page = new_page(browser, (390, 844))
    page.goto(link)
    page.wait_for_function("document.getElementById('prompt').textContent === '办理完成后才能评价'")
    w.act("finish")
    page.goto(link)
    page.wait_for_selector("#levels button")
    assert t["number"] in page.inner_text("#about")
    page.screenshot(path=str(shots / "rate-01-phone.png"), full_page=True)
    page.click("#levels button[data-level='2']")
    page.wait_for_selector("#why:not(.hidden)")
    assert page.is_disabled("#send")
    page.click("#reasons button[data-code=efficiency]")
    page.click("#causes button[data-code=wait]")
    page.screenshot(path=str(shots / "rate-02-reasons.png"), full_page=True)
    page.click("#send")
    page.wait_for_selector("#thanks:not(.hidden)")
    page.screenshot(path=str(shots / "rate-03-thanks.png"))
    rows = hall.client.get("/api/ratings", headers=hall.manager()).json()["ratings"]
    assert [(r["level"], r["reasons"], r["channel"]) for r in rows] == [
        (2, ["efficiency", "wait"], "phone")]
    page.goto(link)                                            # one rating per ticket
    page.wait_for_selector("#thanks:not(.hidden)")
    assert "已经评价过了" in page.inner_text("#thanks")
    page.goto(link.replace("?k=", "?k=x"))
    page.wait_for_function("document.getElementById('prompt').textContent.includes('链接不对')")
    assert page.errors == []
