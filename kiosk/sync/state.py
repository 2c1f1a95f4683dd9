"""What the kiosk knows about its signed catalog: which bundle is installed, when it was last
verified, when its metadata expires, and how the last check ended. One small JSON file
([catalog].sync_dir/state.json), written atomically; read by `kiosk status`, maintenance mode
and the heartbeat. No personal data is ever in it.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STATE_NAME = "state.json"


@dataclass
class SyncState:
    catalog_version: str = ""    # of the installed signed bundle
    published: str = ""
    index_sha256: str = ""
    region: str = ""
    verified_at: str = ""        # ISO time the repository last verified (updated or current)
    expires: str = ""            # ISO: the earliest expiry of the metadata that verified it
    source: str = ""
    last_check: str = ""
    last_outcome: str = ""       # updated | current | refused | unreachable | busy
    last_reason: str = ""        # e.g. rollback, freeze, tampered (kiosk.sync.update.REASONS)
    last_message: str = ""       # for the log and the technician
    last_words: str = ""         # plain Chinese for staff

    def expired(self, now: datetime | None = None) -> bool:
        if not self.expires:
            return False
        return (now or datetime.now(UTC)) >= datetime.fromisoformat(self.expires)

    def to_json(self, now: datetime | None = None) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["expired"] = self.expired(now)
        return d


def state_path(sync_dir: Path) -> Path:
    return sync_dir / STATE_NAME


def load_state(sync_dir: Path) -> SyncState:
    """The saved state; a missing or damaged file is an empty state (nothing verified yet)."""
    try:
        data = json.loads(state_path(sync_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return SyncState()
    known = {f.name for f in dataclasses.fields(SyncState)}
    if not isinstance(data, dict):
        return SyncState()
    return SyncState(**{k: str(v) for k, v in data.items() if k in known})


def save_state(sync_dir: Path, state: SyncState) -> None:
    sync_dir.mkdir(parents=True, exist_ok=True)
    path = state_path(sync_dir)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_text(json.dumps(dataclasses.asdict(state), ensure_ascii=False, indent=1),
                   encoding="utf-8")
    os.replace(tmp, path)


def _local(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def status_fields(sync_dir: Path, now: datetime | None = None) -> dict[str, Any]:
    """For `kiosk status` and maintenance: when the catalog's signature was verified, when it
    expires, and how the last update check ended ({} when signed updates never ran)."""
    st = load_state(sync_dir)
    if not st.last_check:
        return {}
    return {"signed_version": st.catalog_version, "verified_at": st.verified_at,
            "expires": st.expires, "expired": st.expired(now), "update_outcome": st.last_outcome,
            "update_reason": st.last_reason, "update_words": st.last_words,
            "update_checked_at": st.last_check}


def signature_lines(cat: dict[str, Any]) -> list[str]:
    """The catalog's signature in plain Chinese (maintenance panel, `kiosk status`)."""
    if not cat.get("update_checked_at"):
        return []
    lines = []
    if cat.get("verified_at"):
        line = f"目录签名：核验于 {_local(cat['verified_at'])}，有效期至 {_local(cat['expires'])}"
        if cat.get("expired"):
            line += "（已过期：仍在使用最后一次核验的目录，不会删除也不会退回旧版本）"
        lines.append(line)
    else:
        lines.append("目录签名：本机还没有核验过县里发布的目录")
    lines.append(f"最近一次目录更新（{_local(cat['update_checked_at'])}）：{cat.get('update_words')}")
    return lines
