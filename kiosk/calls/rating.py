"""好差评 (GB/T 39735): the five levels, the offline indicators asked for on a 差评, common
causes to choose from, and a rating as the evaluator and the phone page send it. A rating
names the ticket and nothing about the person."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from kiosk.errors import KioskError

LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_LEVELS = (1, 2)                       # 差评: a reason is required, the manager is alerted
REASONS: dict[str, str] = {"efficiency": "服务效率", "skill": "服务水平", "attitude": "服务态度"}
CAUSES: dict[str, str] = {
    "wait": "等候时间太长",
    "slow": "办理时间太长",
    "unclear": "材料要求没讲清楚",
    "again": "要跑好几次",
    "away": "工作人员不在窗口",
}
CAUSE_LABELS: dict[str, str] = {"wait": "等候太久", "slow": "办理太慢", "unclear": "没讲清楚",
                                "again": "跑了几趟", "away": "窗口没人"}   # on buttons
CHANNELS = ("evaluator", "phone", "kiosk")


class RatingError(KioskError):
    """A rating was refused or could not be sent; `citizen_message` says what to do."""

    def __init__(self, message: str, citizen_message: str = "评价没有提交成功，请再试一次。"
                 ) -> None:
        super().__init__(message)
        self.citizen_message = citizen_message


@dataclass(frozen=True)
class Rating:
    ticket_id: str
    level: int
    reasons: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    channel: str = "evaluator"
    window: int | None = None
    comment: str = ""            # kept empty by the evaluator (no free text at a window)
    extra: dict[str, Any] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """What makes this rating unacceptable (empty: fine)."""
        out: list[str] = []
        if self.level not in LEVELS:
            out.append(f"level must be one of 1..5, got {self.level!r}")
        if self.channel not in CHANNELS:
            out.append(f"channel must be one of {', '.join(CHANNELS)}, got {self.channel!r}")
        unknown = [r for r in self.reasons if r not in REASONS]
        unknown += [c for c in self.causes if c not in CAUSES]
        if unknown:
            out.append(f"unknown reason(s): {', '.join(unknown)}")
        if self.level in BAD_LEVELS and not self.reasons:
            out.append("a rating of 不满意 or 非常不满意 needs at least one reason "
                       f"({', '.join(REASONS)})")
        if len(self.comment) > 200:
            out.append("comment longer than 200 characters")
        return out

    def to_json(self) -> dict[str, Any]:
        return {"ticket_id": self.ticket_id, "level": self.level,
                "reasons": list(self.reasons), "causes": list(self.causes),
                "channel": self.channel, "window": self.window, "comment": self.comment}

    @classmethod
    def from_json(cls, data: Any) -> Rating:
        if not isinstance(data, dict):
            raise RatingError("a rating must be a JSON object")
        try:
            window = data.get("window")
            return cls(str(data["ticket_id"]), int(data["level"]),
                       tuple(str(r) for r in data.get("reasons") or ()),
                       tuple(str(c) for c in data.get("causes") or ()),
                       str(data.get("channel") or "evaluator"),
                       int(window) if window is not None else None,
                       str(data.get("comment") or ""))
        except (KeyError, TypeError, ValueError) as exc:
            raise RatingError(f"a rating needs ticket_id and level: {exc}") from exc


def level_name(level: int) -> str:
    return LEVELS.get(level, str(level))


class RatingClient:
    """The evaluator's side: POST the rating to the hall service."""

    def __init__(self, base_url: str, path: str = "/api/ratings", token: str = "",
                 timeout_s: float = 5.0) -> None:
        self.url = base_url.rstrip("/") + path
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.timeout_s = timeout_s

    def submit(self, rating: Rating) -> dict[str, Any]:
        try:
            r = httpx.post(self.url, json=rating.to_json(), headers=self.headers,
                           timeout=self.timeout_s)
        except httpx.HTTPError as exc:
            raise RatingError(f"rating not sent to {self.url}: {type(exc).__name__}") from exc
        body: Any = r.json() if r.headers.get("content-type", "").startswith(
            "application/json") else {}
        if r.status_code == 409:      # already rated: the first rating counts
            raise RatingError("ticket already rated", "这张号已经评价过了，谢谢您。")
        if r.status_code >= 400:
            message = body.get("message") if isinstance(body, dict) else None
            raise RatingError(f"rating refused ({r.status_code}): {message or r.text[:200]}")
        return body if isinstance(body, dict) else {}
