"""HallServerStore: the hall store contract over HTTP, for a kiosk with `[queue].server` (and
for `kiosk counter`, which logs staff in). The kiosk never holds database credentials: only
its enrolment token (`kiosk hall join`), in a 0600 file.

Retries: every command carries its request id, so a request that timed out or lost its reply
is sent again with the SAME id — the hall acts once and answers with the first result (a
retry over flaky Wi-Fi never issues two numbers). After a transport error the next request
uses a fresh connection. When the hall cannot be reached within the retries, the command
fails with QueueStoreError ("取号系统暂时无法使用…"): the kiosk refuses to issue rather than
number tickets of its own; `link` says so for maintenance mode and `kiosk status`, a
background probe watches /api/health and the kiosk recovers by itself when it answers again.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx

from kiosk.queue.model import (
    Event,
    IssueRequest,
    Refusal,
    ServiceView,
    Ticket,
    WindowView,
)
from kiosk.queue.secret import write_secret
from kiosk.queue.store import (
    AllocationRefused,
    BadRequest,
    QueueStoreError,
    StoreConflict,
    TicketNotFound,
)

log = logging.getLogger(__name__)
ATTEMPTS = 3
BACKOFF_S = (0.2, 0.6)
PROBE_S = 3.0
TRANSPORT_ERRORS = (httpx.TransportError,)


def transport() -> httpx.HTTPTransport:
    """TCP_NODELAY: httpx writes a request's head and body separately, and Nagle's algorithm
    against the server's delayed ACK cost 40 ms per request on loopback (measured)."""
    return httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])


@dataclass(frozen=True)
class Enrolled:
    name: str
    token: str
    url: str


@dataclass(frozen=True)
class Link:
    """How the hall service answered lately: what maintenance mode and `kiosk status` show."""

    up: bool
    since: datetime
    problem: str = ""
    url: str = ""


def read_token(path: Path) -> Enrolled | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Enrolled(str(data["name"]), str(data["token"]), str(data.get("url", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_token(path: Path, enrolled: Enrolled) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, json.dumps({"name": enrolled.name, "token": enrolled.token,
                                 "url": enrolled.url}).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def join(url: str, code: str, token_file: Path, secret_file: Path,
         timeout_s: float = 5.0) -> Enrolled:
    """Trade a one-time enrolment code for this kiosk's token and the hall's secret."""
    base = url.rstrip("/")
    try:
        r = httpx.post(f"{base}/api/join", json={"code": code}, timeout=timeout_s)
    except httpx.TransportError as exc:
        raise QueueStoreError(f"hall service {base}: cannot be reached ({exc})") from None
    if r.status_code != 200:
        raise QueueStoreError(f"hall service {base}: enrolment refused "
                              f"({r.status_code}: {_detail(r)})")
    data = r.json()
    enrolled = Enrolled(str(data["name"]), str(data["token"]), base)
    write_secret(secret_file, base64.b64decode(data["secret"]))
    write_token(token_file, enrolled)
    return enrolled


def _detail(r: httpx.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return r.text[:200]
    return str(body.get("detail") or body.get("message") or body)


def _raise_for(r: httpx.Response, what: str) -> None:
    """The hall's refusal as the contract's exception."""
    try:
        body: dict[str, Any] = r.json()
    except ValueError:
        body = {}
    code, detail = str(body.get("error", "")), f"{what}: {_detail(r)}"
    if r.status_code == 409 and code == "refused":
        raise AllocationRefused(Refusal(body["refusal"]), detail)
    if r.status_code == 409:
        info = {k: v for k, v in body.items() if k not in ("error", "message", "detail")}
        conflict = StoreConflict(code or "conflict", detail, info)
        conflict.citizen_message = str(body.get("message") or conflict.citizen_message)
        raise conflict
    if r.status_code == 404:
        raise TicketNotFound(detail)
    if r.status_code == 400:
        raise BadRequest(detail)
    raise QueueStoreError(f"hall service refused {what} ({r.status_code} {code}): {detail}")


class HallServerStore:
    def __init__(self, url: str, token: str = "", token_file: Path | None = None,
                 timeout_s: float = 3.0, staff_pins: dict[str, str] | None = None,
                 probe_s: float = PROBE_S) -> None:
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s
        self._token = token
        self._token_file = token_file
        self._sessions: dict[str, str] = {}        # staff number → session token
        self._pins = dict(staff_pins or {})
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._views: list[ServiceView] = []
        self._declared: list[str] = []
        self._day: date | None = None
        self.link = Link(True, datetime.now(), url=self.url)
        self.probe_s = probe_s
        self._stop = threading.Event()
        self._prober: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def open(self, *, readonly: bool = False) -> None:
        """No request here: an unreachable hall is found by the first command and said
        plainly then (the kiosk still starts, and shows it)."""
        if not self._token and self._token_file is not None:
            enrolled = read_token(self._token_file)
            if enrolled is None:
                raise QueueStoreError(f"this kiosk is not enrolled with {self.url}: no token in "
                                      f"{self._token_file} (run kiosk hall join)")
            self._token = enrolled.token
        self._client = self._new_client()
        if not readonly and self.probe_s > 0:
            self._stop.clear()
            self._prober = threading.Thread(target=self._probe, name="hall-link", daemon=True)
            self._prober.start()

    def close(self) -> None:
        self._stop.set()
        if self._prober is not None:
            self._prober.join(timeout=self.probe_s + self.timeout_s + 1)
            self._prober = None
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def _new_client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=self.timeout_s, transport=transport(),
                            headers={"User-Agent": "township-kiosk"})

    def health(self) -> Link:
        """Ask the hall service now (for `kiosk status` / `kiosk doctor`)."""
        try:
            with httpx.Client(timeout=self.timeout_s, transport=transport()) as client:
                r = client.get(f"{self.url}/api/health")
            up, problem = r.status_code == 200, "" if r.status_code == 200 else _detail(r)
        except httpx.TransportError as exc:
            up, problem = False, f"{type(exc).__name__}: {exc}"
        self._mark(up, problem)
        return self.link

    def _probe(self) -> None:
        while not self._stop.wait(self.probe_s):
            if self.link.up:
                continue
            self.health()

    def _mark(self, up: bool, problem: str) -> None:
        if up != self.link.up:
            (log.info if up else log.error)("hall service %s: %s", self.url,
                                            "reachable again" if up else f"lost ({problem})")
            self.link = Link(up, datetime.now(), problem, self.url)

    # -- requests ----------------------------------------------------------------------------

    def _send(self, method: str, path: str, what: str, body: dict[str, Any] | None = None,
              token: str | None = None, params: dict[str, Any] | None = None) -> Any:
        """One request, retried on a transport failure with the same body (same request id)."""
        bearer = token if token is not None else self._token
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        last: Exception | None = None
        for attempt in range(ATTEMPTS):
            try:
                with self._lock:
                    client = self._client or self._new_client()
                    self._client = client
                r = client.request(method, path, json=body, params=params, headers=headers)
            except TRANSPORT_ERRORS as exc:
                last = exc
                self._reset_client()
                if attempt < ATTEMPTS - 1:
                    time.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])
                continue
            if r.status_code == 503:
                self._mark(False, _detail(r))
                raise QueueStoreError(f"hall service {self.url}: {what}: its database is "
                                      f"unavailable ({_detail(r)})")
            self._mark(True, "")
            if r.status_code != 200:
                _raise_for(r, what)
            return r.json()
        self._mark(False, f"{type(last).__name__}: {last}")
        raise QueueStoreError(f"hall service {self.url}: {what}: cannot be reached after "
                              f"{ATTEMPTS} tries ({type(last).__name__}: {last})")

    def _reset_client(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = None

    @staticmethod
    def _rid(request_id: str) -> str:
        return request_id or secrets.token_hex(16)

    def _ticket(self, data: Any) -> Ticket:
        return Ticket.from_dict(data["ticket"])

    # -- the kiosk's side --------------------------------------------------------------------

    def day(self) -> date:
        if self._day is None or not self._views:
            self._day = date.fromisoformat(self._send("GET", "/api/hall", "read the hall")["day"])
        return self._day

    def services(self) -> list[ServiceView]:
        data = self._send("GET", "/api/services", "read the services")
        self._views = [ServiceView.from_dict(v) for v in data["services"]]
        self._declared = list(data["declared"])
        self._day = date.fromisoformat(data["day"])
        return self._views

    def declared_classes(self) -> list[str]:
        if not self._views:
            self.services()
        return self._declared

    def issue(self, req: IssueRequest) -> Ticket:
        body = {"service": req.service, "request_id": req.request_id, "age": req.age,
                "person_hash": req.person_hash, "declared": req.declared, "owner": req.owner}
        return self._ticket(self._send("POST", "/api/tickets", f"issue {req.service}", body))

    def _settle(self, ticket_id: str, action: str, request_id: str, reason: str = "") -> Ticket:
        body = {"request_id": self._rid(request_id), "reason": reason}
        return self._ticket(self._send("POST", f"/api/tickets/{ticket_id}/{action}",
                                       f"{action} {ticket_id}", body))

    def printed(self, ticket_id: str, request_id: str = "") -> Ticket:
        return self._settle(ticket_id, "printed", request_id)

    def verify(self, ticket_id: str, reason: str, request_id: str = "") -> Ticket:
        return self._settle(ticket_id, "verify", request_id, reason)

    def void(self, ticket_id: str, reason: str, request_id: str = "", staff: str = "") -> Ticket:
        return self._settle(ticket_id, "void", request_id, reason)

    def recover(self, owner: str, kiosk: str = "") -> list[Ticket]:
        data = self._send("POST", "/api/recover", "recover", {"owner": owner})
        return [Ticket.from_dict(t) for t in data["tickets"]]

    def issued_by(self, request_id: str) -> Ticket | None:
        data = self._send("GET", f"/api/requests/{request_id}", "look up an issue")
        return Ticket.from_dict(data["ticket"]) if data["ticket"] else None

    def holding(self, service: str, person_hash: str) -> Ticket | None:
        data = self._send("POST", "/api/holding", "holding",
                          {"service": service, "person_hash": person_hash})
        return Ticket.from_dict(data["ticket"]) if data["ticket"] else None

    def queue(self, service: str) -> list[Ticket]:
        data = self._send("GET", f"/api/queue/{service}", f"queue {service}")
        return [Ticket.from_dict(t) for t in data["tickets"]]

    def get(self, ticket_id: str) -> Ticket | None:
        try:
            return self._ticket(self._send("GET", f"/api/tickets/{ticket_id}", "read a ticket"))
        except TicketNotFound:
            return None

    def find(self, number: str, day: date | None = None) -> Ticket | None:
        params = {"number": number.strip().upper(), **({"day": day.isoformat()} if day else {})}
        data = self._send("GET", "/api/tickets", f"find {number}", params=params)
        return Ticket.from_dict(data["tickets"][0]) if data["tickets"] else None

    def tickets(self, day: date | None = None) -> list[Ticket]:
        params = {"day": day.isoformat()} if day else None
        data = self._send("GET", "/api/tickets", "list tickets", params=params)
        return [Ticket.from_dict(t) for t in data["tickets"]]

    def set_service_open(self, service: str, is_open: bool | None, request_id: str = "",
                         staff: str = "") -> None:
        self._send("POST", f"/api/services/{service}/open", f"open/close {service}",
                   {"is_open": is_open, "request_id": self._rid(request_id)})

    def reset(self, reason: str = "reset", request_id: str = "",
              staff: str = "") -> list[Ticket]:
        data = self._send("POST", "/api/reset", "reset", {"reason": reason,
                                                          "request_id": self._rid(request_id)})
        return [Ticket.from_dict(t) for t in data["tickets"]]

    # -- the windows' side (a staff session per staff number) --------------------------------

    def login(self, staff: str, pin: str, window: int | None, request_id: str = "") -> str:
        data = self._send("POST", "/api/staff/login", f"login {staff}",
                          {"staff": staff, "pin": pin, "window": window,
                           "request_id": self._rid(request_id)}, token="")
        self._sessions[staff] = str(data["token"])
        return self._sessions[staff]

    def use_session(self, staff: str, token: str) -> None:
        self._sessions[staff] = token

    def _session(self, staff: str) -> str:
        if staff not in self._sessions:
            raise QueueStoreError(f"staff {staff} is not logged in (kiosk counter login)")
        return self._sessions[staff]

    def login_window(self, number: int, staff: str, request_id: str = "") -> WindowView:
        if staff not in self._pins:
            raise QueueStoreError(f"no PIN for staff {staff}: log in with login()")
        self.login(staff, self._pins[staff], number, request_id)
        return self.window(number)

    def logout_window(self, number: int, staff: str, request_id: str = "") -> WindowView:
        self._send("POST", "/api/staff/logout", f"logout {staff}",
                   {"request_id": self._rid(request_id)}, token=self._session(staff))
        self._sessions.pop(staff, None)
        return self.window(number)

    def _act(self, number: int, staff: str, action: str, request_id: str,
             **body: Any) -> Any:
        return self._send("POST", f"/api/windows/{number}/{action}", f"{action} at {number}",
                          {"request_id": self._rid(request_id), **body},
                          token=self._session(staff))

    def pause(self, number: int, staff: str, reason: str, request_id: str = "") -> WindowView:
        return WindowView.from_dict(self._act(number, staff, "pause", request_id,
                                              reason=reason)["window"])

    def resume(self, number: int, staff: str, request_id: str = "") -> WindowView:
        return WindowView.from_dict(self._act(number, staff, "resume", request_id)["window"])

    def call_next(self, number: int, staff: str, request_id: str = "",
                  close_open: str = "") -> Ticket:
        return self._ticket(self._act(number, staff, "next", request_id, close_open=close_open))

    def recall(self, number: int, staff: str, request_id: str = "") -> Ticket:
        return self._ticket(self._act(number, staff, "recall", request_id))

    def start(self, number: int, staff: str, request_id: str = "") -> Ticket:
        return self._ticket(self._act(number, staff, "start", request_id))

    def no_show(self, number: int, staff: str, request_id: str = "") -> Ticket:
        return self._ticket(self._act(number, staff, "no-show", request_id))

    def finish(self, number: int, staff: str, case_no: str = "", request_id: str = "") -> Ticket:
        return self._ticket(self._act(number, staff, "finish", request_id, case_no=case_no))

    def transfer(self, number: int, staff: str, service: str = "", to_window: int | None = None,
                 request_id: str = "") -> Ticket:
        return self._ticket(self._act(number, staff, "transfer", request_id, service=service,
                                      window=to_window))

    def window(self, number: int) -> WindowView:
        return WindowView.from_dict(self._send("GET", f"/api/windows/{number}",
                                               f"window {number}")["window"])

    def windows(self) -> list[WindowView]:
        data = self._send("GET", "/api/windows", "windows")
        return [WindowView.from_dict(w) for w in data["windows"]]

    # -- events ------------------------------------------------------------------------------

    def events_after(self, last_id: int, limit: int = 500) -> list[Event]:
        data = self._send("GET", "/api/events/log", "read events",
                          params={"after": last_id, "limit": limit})
        return [Event.from_dict(e) for e in data["events"]]

    def last_event_id(self) -> int:
        return int(self._send("GET", "/api/health", "health")["last_event_id"])

    def report(self, staff: str, day: date | None = None) -> Any:
        params = {"day": day.isoformat()} if day else None
        return self._send("GET", "/api/report", "report", params=params,
                          token=self._session(staff))

