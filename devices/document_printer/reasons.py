"""IPP printer-state-reasons (RFC 8011 §5.4.12, PWG 5100.9) in the kiosk's words: which ones
stop a citizen's job, what the citizen is told, and the XFS/UnifiedPOS state they map to.

A reason arrives with a severity suffix (-error, -warning, -report); an -error, or any reason on a
stopped printer, blocks printing; a -warning (toner-low, media-low) is only shown."""

from __future__ import annotations

from dataclasses import dataclass

from devices import messages
from devices.status import DeviceState, PaperState


@dataclass(frozen=True)
class Reason:
    message: str            # plain Chinese, for the citizen
    device: DeviceState
    paper: PaperState = PaperState.UNKNOWN
    event: str = ""         # UnifiedPOS-style event name for StatusUpdate


STAFF = messages.STAFF   # this table is the A4 printer's wording (devices/messages.py: the rest)
PAUSED = "打印机暂停使用，" + STAFF
UNAVAILABLE = "打印机暂时无法使用，" + STAFF
CANCELLED = "打印已取消。"
TOO_LONG = "打印时间过长，已取消。" + STAFF

# Keyed by the reason without its severity suffix; the first match in this order wins.
REASONS: dict[str, Reason] = {
    "media-empty": Reason("打印机缺纸了，请联系大厅工作人员加纸。",
                          DeviceState.USER_ERROR, PaperState.OUT, "REC_EMPTY"),
    "media-needed": Reason("打印机缺纸了，请联系大厅工作人员加纸。",
                           DeviceState.USER_ERROR, PaperState.OUT, "REC_EMPTY"),
    "media-jam": Reason("打印机卡纸了，" + STAFF, DeviceState.USER_ERROR, PaperState.JAMMED,
                        "REC_JAM"),
    "cover-open": Reason("打印机的盖子没有关好，" + STAFF, DeviceState.USER_ERROR,
                         event="COVER_OPEN"),
    "door-open": Reason("打印机的门没有关好，" + STAFF, DeviceState.USER_ERROR,
                        event="COVER_OPEN"),
    "toner-empty": Reason("打印机墨粉用完了，" + STAFF, DeviceState.USER_ERROR,
                          event="TONER_EMPTY"),
    "marker-supply-empty": Reason("打印机墨粉用完了，" + STAFF, DeviceState.USER_ERROR,
                                  event="TONER_EMPTY"),
    "offline": Reason("打印机没有连接，" + STAFF, DeviceState.OFFLINE, event="OFFLINE"),
    "connecting-to-device": Reason("打印机正在连接，请稍等片刻再试。", DeviceState.OFFLINE,
                                   event="OFFLINE"),
    "shutdown": Reason("打印机已关机，" + STAFF, DeviceState.POWER_OFF, event="POWER_OFF"),
    "media-low": Reason("打印机的纸不多了，可以打印。", DeviceState.ONLINE, PaperState.LOW,
                        "REC_NEAREMPTY"),
    "toner-low": Reason("打印机墨粉不多了，打印可能偏淡。", DeviceState.ONLINE,
                        event="TONER_NEAREMPTY"),
    "marker-supply-low": Reason("打印机墨粉不多了，打印可能偏淡。", DeviceState.ONLINE,
                                event="TONER_NEAREMPTY"),
}

# Reasons that describe normal operation and say nothing to a citizen.
QUIET = {"none", "paused", "moving-to-paused", "cups-waiting-for-job-completed",
         "processing-to-stop-point", "cups-missing-filter", "other"}


def base(reason: str) -> str:
    """'media-empty-error' → 'media-empty'."""
    for suffix in ("-error", "-warning", "-report"):
        if reason.endswith(suffix):
            return reason[: -len(suffix)]
    return reason


def is_blocking(reason: str) -> bool:
    """An -error reason, or one whose known meaning stops printing (media-empty etc.)."""
    known = REASONS.get(base(reason))
    if reason.endswith("-warning") or reason.endswith("-report"):
        return False
    if known is not None:
        return known.device is not DeviceState.ONLINE
    return reason.endswith("-error")


def explain(reasons: tuple[str, ...]) -> Reason | None:
    """The most important known reason among `reasons` (blocking ones first)."""
    ordered = sorted(reasons, key=lambda r: not is_blocking(r))
    for r in ordered:
        known = REASONS.get(base(r))
        if known is not None:
            return known
    return None


def is_blocking_reason(reason: Reason) -> bool:
    """Whether a known reason stops printing (media empty) rather than warns (toner low)."""
    return reason.device is not DeviceState.ONLINE
