"""Alerts leave the county service through notifiers: a webhook (a work chat group's robot:
企业微信 / 钉钉 / 飞书 take the same text message) and e-mail, or any plug-in.

    --notify webhook:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…
    --notify email:smtp://mail.example:25?from=fleet@example&to=duty@example
    --notify package.module:factory          factory(argument: str) -> Notifier

A dispatcher thread sends each new alert once to every notifier; one that fails is retried
(up to MAX_ATTEMPTS) without holding up the others. Texts name the hall, the kiosk and the
device — never anything of a citizen (there is nothing of one in the database).
"""

from __future__ import annotations

import importlib
import logging
import smtplib
import threading
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

import httpx

from county.service.db import Database
from county.service.fleetview import DEVICE_ZH

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
POLL_S = 2.0


class Notifier(Protocol):
    name: str

    def send(self, subject: str, text: str) -> None: ...


class WebhookNotifier:
    def __init__(self, url: str, timeout_s: float = 10.0) -> None:
        self.url = url
        self.name = f"webhook {urlparse(url).netloc}"
        self.timeout_s = timeout_s

    def send(self, subject: str, text: str) -> None:
        r = httpx.post(self.url, json={"msgtype": "text", "text": {"content": text}},
                       timeout=self.timeout_s)
        r.raise_for_status()


class EmailNotifier:
    def __init__(self, url: str) -> None:
        u = urlparse(url)
        q = parse_qs(u.query)
        if not u.hostname or "from" not in q or "to" not in q:
            raise ValueError(f"{url}: expected smtp://HOST[:PORT]?from=ADDR&to=ADDR[,ADDR]")
        self.host, self.port = u.hostname, u.port or 25
        self.sender = q["from"][0]
        self.to = [a for v in q["to"] for a in v.split(",")]
        self.name = f"email {','.join(self.to)}"

    def send(self, subject: str, text: str) -> None:
        msg = EmailMessage()
        msg["Subject"], msg["From"], msg["To"] = subject, self.sender, ", ".join(self.to)
        msg.set_content(text)
        with smtplib.SMTP(self.host, self.port, timeout=15) as smtp:
            smtp.send_message(msg)


def notifier_from(spec: str) -> Notifier:
    kind, _, arg = spec.partition(":")
    if kind == "webhook":
        return WebhookNotifier(arg)
    if kind == "email":
        return EmailNotifier(arg)
    module, _, factory = spec.partition(":")
    if not factory:
        raise ValueError(f"--notify {spec}: expected webhook:URL, email:smtp://… or "
                         "package.module:factory[:argument]")
    factory, _, arg = factory.partition(":")
    made: Notifier = getattr(importlib.import_module(module), factory)(arg)
    return made


def alert_text(alert: dict[str, Any]) -> tuple[str, str]:
    device = DEVICE_ZH.get(alert["device"], alert["device"])
    when = alert["opened_at"].astimezone().strftime("%Y-%m-%d %H:%M")
    subject = f"【自助终端告警】{alert['hall']} {alert['kiosk']}：{device}"
    return subject, f"{subject} {alert['words']}（{when}）"


class Dispatcher:
    def __init__(self, db: Database, notifiers: Sequence[Notifier]) -> None:
        self.db = db
        self.notifiers = list(notifiers)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.notifiers:
            self._thread = threading.Thread(target=self._run, name="county-notify",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(POLL_S):
            try:
                self.once()
            except Exception:  # the database is down: the next turn tries again
                log.exception("notifying failed")

    def once(self) -> int:
        """Send every alert not yet sent; returns how many went out to every notifier."""
        rows = self.db.rows(
            "SELECT a.id, a.device, a.words, a.opened_at, k.name AS kiosk, h.name AS hall "
            "FROM alerts a JOIN kiosks k ON k.id = a.kiosk_id JOIN halls h ON h.id = k.hall_id "
            "WHERE a.notified_at IS NULL AND a.notify_attempts < %s ORDER BY a.id LIMIT 50",
            (MAX_ATTEMPTS,))
        done = 0
        for alert in rows:
            subject, text = alert_text(alert)
            ok = True
            for n in self.notifiers:
                try:
                    n.send(subject, text)
                except Exception as exc:  # one channel down must not stop the others
                    ok = False
                    log.warning("alert %s not sent by %s: %s: %s", alert["id"], n.name,
                                type(exc).__name__, exc)
            with self.db.tx() as conn:
                conn.execute("UPDATE alerts SET notify_attempts = notify_attempts + 1, "
                             "notified_at = CASE WHEN %s THEN now() END WHERE id = %s",
                             (ok, alert["id"]))
            done += ok
        return done
