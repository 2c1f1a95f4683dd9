"""Fleet health messages: what a kiosk sends (through its hall) to the county. Stdlib only.

A message is an envelope the kiosk signs with its own Ed25519 key (the signature is over
`signing_bytes(envelope)`: the envelope without "sig", canonical JSON), so a hall that relays
it can neither alter nor invent one:

    {"v": 1, "kiosk": "K-7", "epoch": "3f…", "seq": 42, "kind": "heartbeat" | "event" |
     "screenshot" | "command_result", "at": "2026-12-02T08:00:00+00:00", "urgent": false,
     "body": {…}, "sig": "<base64>"}

`epoch` names one outbox (a kiosk whose var/ was wiped starts a new epoch); (kiosk, epoch,
seq) is unique, so a message sent twice (a retry, a relay that forwarded before it crashed)
is stored once.

What a heartbeat body may hold is the closed list below (HEARTBEAT_FIELDS, DEVICE_FIELDS):
a builder drops anything else, and a receiver refuses it. Never a citizen's name, ID number,
birth date, address, photo, what they searched or which guide they read.

A batch (kiosk → hall → county) is {"v": 1, "sender": "kiosk" | "hall", "id": …,
"messages": [...]} and its reply {"acked": [[epoch, seq], …], "commands": [...]}.
"""

from __future__ import annotations

import json
from typing import Any

VERSION = 1
KINDS = ("heartbeat", "event", "screenshot", "command_result")
MESSAGES_PATH = "/api/fleet/v1/messages"
ENROL_PATH = "/api/fleet/v1/enrol"

HEARTBEAT_FIELDS = (
    "kiosk_version",      # software version
    "uptime_s",
    "catalog",            # {version, published, items, verified_at, expires, expired,
                          #  last_outcome, last_reason, words}
    "devices",            # [DEVICE_FIELDS …]
    "today",              # {kind: count} from kiosk.usage (docs/usage-counters.md)
    "disk_free_mb",
    "visit",              # "idle" | "in_use": whether someone is at the kiosk (no more)
    "interval_s",         # when the next heartbeat is due
)
DEVICE_FIELDS = ("device", "enabled", "state", "paper", "words", "last_error")
CATALOG_FIELDS = ("version", "published", "items", "verified_at", "expires", "expired",
                  "last_outcome", "last_reason", "words")
EVENT_FIELDS = ("event", "device", "state", "paper", "words")

# device state → urgent event (sent at once, never thinned): the standard vocabulary of
# devices.status (XFS-like) that kiosk.maintenance.status already shows
URGENT_EVENTS = {
    "paper_out": "凭条打印机缺纸",
    "paper_jammed": "凭条打印机卡纸",
    "device_offline": "设备离线",
    "reader_gone": "身份证阅读器不可用",
    "printer_offline": "打印机离线",
}


def signing_bytes(envelope: dict[str, Any]) -> bytes:
    """The bytes a kiosk signs and the county verifies: canonical JSON without "sig"."""
    unsigned = {k: v for k, v in envelope.items() if k != "sig"}
    return json.dumps(unsigned, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def pick(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """Only the listed fields (the closed list is the privacy rule)."""
    return {k: data[k] for k in fields if k in data}


def heartbeat_body(data: dict[str, Any]) -> dict[str, Any]:
    body = pick(data, HEARTBEAT_FIELDS)
    if "catalog" in body:
        body["catalog"] = pick(body["catalog"], CATALOG_FIELDS)
    if "devices" in body:
        body["devices"] = [pick(d, DEVICE_FIELDS) for d in body["devices"]]
    if "today" in body:
        body["today"] = {str(k): int(v) for k, v in body["today"].items()}
    return body


def unexpected_fields(kind: str, body: dict[str, Any]) -> list[str]:
    """Fields a receiver must refuse (a kiosk of a newer version may add new ones only after
    this list is extended on the county's side)."""
    if kind == "heartbeat":
        extra = [k for k in body if k not in HEARTBEAT_FIELDS]
        for d in body.get("devices", []):
            extra += [f"devices.{k}" for k in d if k not in DEVICE_FIELDS]
        extra += [f"catalog.{k}" for k in body.get("catalog", {}) if k not in CATALOG_FIELDS]
        return extra
    if kind == "event":
        return [k for k in body if k not in EVENT_FIELDS]
    if kind == "screenshot":
        return [k for k in body if k not in ("command", "png_base64", "width", "height")]
    if kind == "command_result":
        return [k for k in body if k not in ("command", "outcome", "words")]
    return [f"kind {kind}"]


_GONE = ("OFFLINE", "POWER_OFF", "NO_DEVICE", "HW_ERROR")   # devices.status.DeviceState


def device_trouble(device: dict[str, Any]) -> str:
    """The urgent event a heartbeat's device entry amounts to ("" when fine), from the
    standard state words (the kiosk decides what to send with this; the county colours its
    dashboard with the same rule)."""
    if not device.get("enabled", True):
        return ""
    paper = device.get("paper", "")
    if paper == "OUT":
        return "paper_out"
    if paper == "JAMMED":
        return "paper_jammed"
    if device.get("state") in _GONE:
        name = device.get("device", "")
        if name == "id_reader":
            return "reader_gone"
        if name in ("receipt_printer", "document_printer"):
            return "printer_offline"
        return "device_offline"
    return ""


def device_warning(device: dict[str, Any]) -> str:
    """Something staff should see to soon, not urgent: paper low, a cover open, busy error."""
    if not device.get("enabled", True):
        return ""
    if device.get("paper") == "LOW":
        return "paper_low"
    if device.get("state") == "USER_ERROR":
        return "needs_attention"
    return ""
