"""An offline hall whose catalog's signature runs out, on real files and the real clock: the
county publishes a timestamp that expires seconds after the kiosk verifies it (as a 30-day
one does for a hall not reached for a month). The kiosk keeps serving the last verified
catalog — nothing deleted, nothing downgraded — and says so in `kiosk status`, in the
maintenance panel's lines and in its heartbeat; a check against the stale repository is
refused as a freeze; the county's next publication brings it back.

And the background checks: on the scheduler's own thread (never the caller's), only while
nobody is at the kiosk."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.catalog.store import CatalogStore
from kiosk.config import Config, load_config
from kiosk.sync import scheduler as scheduler_module
from kiosk.sync.heartbeat import catalog_part
from kiosk.sync.scheduler import UpdateScheduler
from kiosk.sync.state import load_state
from kiosk.sync.update import UpdateResult, check_now, source_of
from tests.support.county_repo import County, kiosk_config, make_county, mini_doc

EXPIRED_WORDS = "目录签名已过期，仍在使用最后一次核验的目录"
LEFT_S = 15        # how long the published timestamp is still good when the kiosk checks


def _kiosk(tmp_path: Path, county: County, **kw: object) -> Config:
    from kiosk.catalog import open_store

    cfg = load_config(kiosk_config(tmp_path / "kiosk", county.root_file, **kw))  # type: ignore[arg-type]
    open_store(cfg).close()            # the seed catalog, as after a first start
    return cfg


def _version(cfg: Config) -> str:
    with CatalogStore(cfg.path(cfg.catalog.db)) as store:
        info = store.current_info()
    assert info is not None
    return str(info["catalog_version"])


def test_expired_signature_keeps_serving_and_says_so(tmp_path: Path) -> None:
    from kiosk.commands.doctor import render_status
    from kiosk.status_sources import collect_status
    from screens.maint.panel import status_lines

    county = make_county(tmp_path / "county")
    published = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30, seconds=-LEFT_S)
    county.publish(mini_doc("2026.12.01", "2026-12-01"), timestamp_days=30, at=published)
    cfg = _kiosk(tmp_path, county)
    first = check_now(cfg, source_of(str(county.repo.path)))
    assert first.outcome == "updated", first.line()
    state = load_state(cfg.path(cfg.catalog.sync_dir))
    expires = datetime.fromisoformat(state.expires)
    assert expires - datetime.now(UTC) < timedelta(seconds=LEFT_S)
    assert not catalog_part(cfg)["expired"]

    while datetime.now(UTC) <= expires:          # the hall goes unvisited by the county
        time.sleep(0.5)
    beat = catalog_part(cfg)                     # what the next heartbeat carries
    assert beat["expired"] and beat["words"] == EXPIRED_WORDS
    assert beat["version"] == "2026.12.01" and beat["items"] == 4
    report = collect_status(cfg)
    assert report.catalog["expired"] and report.catalog["version"] == "2026.12.01"
    panel = status_lines(report)
    signature = [(text, ok) for text, ok in panel if text.startswith("目录签名")]
    assert signature and "已过期：仍在使用最后一次核验的目录" in signature[0][0]
    assert signature[0][1] is False              # shown as a problem to staff
    assert "已过期：仍在使用最后一次核验的目录" in render_status(report.to_json())

    stale = check_now(cfg, source_of(str(county.repo.path)))   # the same, stale repository
    assert (stale.outcome, stale.reason) == ("refused", "freeze"), stale.line()
    assert _version(cfg) == "2026.12.01"         # still served: not deleted, not downgraded
    assert (cfg.path("var/forms") / "F-DB-01.pdf").is_file()
    assert catalog_part(cfg)["last_reason"] == "freeze"

    county.publish(mini_doc("2026.12.01", "2026-12-01"))      # the county comes round again
    back = check_now(cfg, source_of(str(county.repo.path)))
    assert back.outcome == "current", back.line()
    beat = catalog_part(cfg)
    assert not beat["expired"] and beat.get("words", "") != EXPIRED_WORDS


def test_checks_run_on_their_own_thread_and_only_between_visits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler_module, "FIRST_CHECK_S", 0.0)
    monkeypatch.setattr(scheduler_module, "IDLE_POLL_S", 0.05)
    county = make_county(tmp_path / "county")
    county.publish(mini_doc("2026.12.07", "2026-12-07"))
    cfg = _kiosk(tmp_path, county, stick=True)
    idle = threading.Event()                     # someone is at the kiosk
    updated: list[tuple[str, UpdateResult]] = []
    checked_on: list[str] = []
    real_check = check_now

    def check(cfg: Config, source: object) -> UpdateResult:
        checked_on.append(threading.current_thread().name)
        return real_check(cfg, source)  # type: ignore[arg-type]

    monkeypatch.setattr(scheduler_module, "check_now", check)
    sched = UpdateScheduler(cfg, idle.is_set,
                            lambda r: updated.append((threading.current_thread().name, r)),
                            find=lambda: county.repo.path)
    sched.start()
    try:
        time.sleep(1.0)
        assert checked_on == [] and _version(cfg) == "test-1"     # not during a visit
        idle.set()                                                # the visit is over
        deadline = time.monotonic() + 60
        while not updated and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        sched.stop()
    assert updated, [r.line() for r in sched.results]
    assert {name for name in checked_on} == {"catalog-updates"}
    assert updated[0][0] == "catalog-updates" != threading.current_thread().name
    assert updated[0][1].to_version == "2026.12.07" and _version(cfg) == "2026.12.07"
