"""`kiosk counter …`: a window's actions from a terminal — the same calls the window page makes,
against the hall service (staff tools, scripts, the demo and the tests).

    kiosk counter login WINDOW --staff NUMBER [--pin-file FILE]   (else the PIN is asked)
    kiosk counter next [--close done|no_show] | recall | start | no-show
    kiosk counter transfer TARGET        (a service letter, or a window: w3 / 3号窗口)
    kiosk counter finish [--case-no 办件编号] | pause REASON | resume | status | logout
    every one: [--window N] (which login, when there are several) [--json]

The hall service is `--server URL`, else [queue].server, else hall.toml's [server].listen on
this machine (the embedded shape). The login is kept in var/counter/window-N.json (0600):
the session token, never the PIN. Exit codes: 0 done, 1 refused (nobody waiting, a ticket
still open, …: the message says why), 2 usage, 3 the hall service cannot be reached.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
import uuid
from pathlib import Path
from typing import Any

from kiosk.commands.common import config_from_args, print_json
from kiosk.config import Config
from kiosk.errors import QueueError
from kiosk.queue.model import Ticket, WindowView
from kiosk.queue.store import StoreConflict

ACTIONS = ("next", "recall", "start", "no-show", "transfer", "finish", "pause", "resume",
           "status", "logout")


def register(sub: Any) -> None:
    p = sub.add_parser("counter", help="a window's actions: login, next, recall, finish …")
    csub = p.add_subparsers(dest="counter_command", metavar="ACTION", required=True)
    login = csub.add_parser("login", help="log in at a window (staff number + PIN)")
    login.add_argument("window", type=int, metavar="WINDOW")
    login.add_argument("--staff", required=True, metavar="NUMBER", help="工号")
    login.add_argument("--pin-file", type=Path, metavar="FILE",
                       help="read the PIN from this file (else it is asked for)")
    _common(login)
    login.set_defaults(handler=_login)
    for action in ACTIONS:
        a = csub.add_parser(action, help=f"{action} at the logged-in window")
        if action == "transfer":
            a.add_argument("target", help="a service letter (A), or a window (w3, 3号窗口)")
        if action == "pause":
            a.add_argument("reason", help="e.g. 临时离开")
        if action == "finish":
            a.add_argument("--case-no", default="", metavar="办件编号")
        if action == "next":
            a.add_argument("--close", choices=["done", "no_show"], default="",
                           help="settle the ticket still open at the window first")
        if action == "resume":
            a.add_argument("window_arg", nargs="?", type=int, metavar="WINDOW")
        a.add_argument("--window", type=int, metavar="N", help="which login to use")
        _common(a)
        a.set_defaults(handler=_act, action=action)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--server", metavar="URL", help="the hall service (see the module help)")
    p.add_argument("--json", action="store_true")


def server_url(cfg: Config, given: str | None) -> str:
    if given:
        return given.rstrip("/")
    if cfg.queue.server:
        return cfg.queue.server.rstrip("/")
    from kiosk.bootstrap import hall_settings

    host, _, port = hall_settings(cfg).server.listen.rpartition(":")
    host = "127.0.0.1" if host in ("0.0.0.0", "", "::", "[::]") else host
    return f"http://{host}:{port}"


def _sessions(cfg: Config) -> Path:
    return cfg.path("var/counter")


def _save(cfg: Config, window: int, data: dict[str, Any]) -> Path:
    folder = _sessions(cfg)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"window-{window}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f)
    return path


def _load(cfg: Config, window: int | None) -> dict[str, Any]:
    found = sorted(_sessions(cfg).glob("window-*.json")) if _sessions(cfg).exists() else []
    if window is not None:
        found = [p for p in found if p.name == f"window-{window}.json"]
    if len(found) != 1:
        which = f"window {window}" if window is not None else "any window"
        raise QueueError(f"not logged in at {which} ({len(found)} logins here): "
                         f"kiosk counter login WINDOW --staff NUMBER", "请先登录窗口。")
    data: dict[str, Any] = json.loads(found[0].read_text(encoding="utf-8"))
    return data


def _client(url: str) -> Any:
    from kiosk.queue.remote_store import HallServerStore

    store = HallServerStore(url, probe_s=0)
    store.open()
    return store


def _read_pin(pin_file: Path | None) -> str:
    if pin_file is not None:
        return pin_file.read_text(encoding="utf-8").strip()
    return getpass.getpass("PIN: ")


def _login(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    url = server_url(cfg, args.server)
    store = _client(url)
    try:
        token = store.login(args.staff, _read_pin(args.pin_file), args.window)
        view = store.window(args.window)
    except StoreConflict as exc:
        return _refused(exc, args.json)
    finally:
        store.close()
    _save(cfg, args.window, {"server": url, "staff": args.staff, "window": args.window,
                             "token": token})
    return _show_window(view, args.json, f"logged in at {view.name} as {args.staff}")


def _transfer_target(target: str) -> dict[str, Any]:
    m = re.fullmatch(r"(?:w|window|窗口)?\s*(\d+)\s*(?:号窗口)?", target.strip(), re.I)
    if m and not target.strip().isalpha():
        return {"to_window": int(m[1])}
    return {"service": target.strip().upper()}


def _act(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    session = _load(cfg, args.window or getattr(args, "window_arg", None))
    store = _client(args.server or session["server"])
    store.use_session(session["staff"], session["token"])
    number, staff, rid = int(session["window"]), str(session["staff"]), uuid.uuid4().hex
    try:
        result = _dispatch(store, args, number, staff, rid)
    except StoreConflict as exc:
        return _refused(exc, args.json)
    finally:
        store.close()
    if args.action == "logout":
        (_sessions(cfg) / f"window-{number}.json").unlink(missing_ok=True)
    if isinstance(result, Ticket):
        return _show_ticket(result, args.json, args.action)
    return _show_window(result, args.json, f"{args.action} done")


def _dispatch(store: Any, args: argparse.Namespace, number: int, staff: str,
              rid: str) -> Ticket | WindowView:
    a = args.action
    calls: dict[str, Any] = {
        "next": lambda: store.call_next(number, staff, rid, args.close if a == "next" else ""),
        "recall": lambda: store.recall(number, staff, rid),
        "start": lambda: store.start(number, staff, rid),
        "no-show": lambda: store.no_show(number, staff, rid),
        "finish": lambda: store.finish(number, staff, getattr(args, "case_no", ""), rid),
        "transfer": lambda: store.transfer(number, staff, request_id=rid,
                                           **_transfer_target(getattr(args, "target", ""))),
        "pause": lambda: store.pause(number, staff, getattr(args, "reason", ""), rid),
        "resume": lambda: store.resume(number, staff, rid),
        "status": lambda: store.window(number),
        "logout": lambda: store.logout_window(number, staff, rid),
    }
    result: Ticket | WindowView = calls[a]()
    return result


def _refused(exc: StoreConflict, as_json: bool) -> int:
    words = exc.citizen_message          # the hall service's own words for its refusal
    if as_json:
        print_json({"error": exc.code, "message": words, "detail": str(exc), **exc.info})
    else:
        print(f"kiosk: {words} ({exc.code})", file=sys.stderr)
    return 1


def _show_ticket(t: Ticket, as_json: bool, action: str) -> int:
    if as_json:
        print_json({"ticket": t.to_dict()})
        return 0
    where = f" {t.window}号窗口" if t.window else ""
    mark = f" [{t.declared}]" if t.declared else ""
    print(f"{action}: {t.number}{mark} {t.state.value}{where} (calls {t.calls})")
    return 0


def _show_window(w: WindowView, as_json: bool, headline: str) -> int:
    if as_json:
        print_json({"window": w.to_dict()})
        return 0
    held = f", holds {w.ticket.number} ({w.ticket.state.value})" if w.ticket else ""
    reason = f" ({w.paused_reason})" if w.paused_reason else ""
    print(f"{headline}: {w.name} {w.state.value}{reason}{held}")
    return 0
