"""Signed catalog updates, end to end on real files: a county repository made by `county`
(real Ed25519 keys, real TUF metadata), a kiosk store in SQLite, python-tuf's client.

Every refusal keeps the catalog in use, and says so in the result, the log and the state file
that status and the heartbeat read."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tuf.api.metadata import Metadata

from county.bundles import item_bytes
from county.keys import generate, read_key, signer_of
from kiosk.catalog.store import CatalogStore
from kiosk.config import Config, load_config
from kiosk.sync.fetch import StickFetcher
from kiosk.sync.state import load_state
from kiosk.sync.update import UpdateResult, check_now, source_of
from tests.support.county_repo import (
    REGION,
    County,
    forge_target,
    kiosk_config,
    make_county,
    mini_doc,
)


@pytest.fixture
def county(tmp_path: Path) -> County:
    c = make_county(tmp_path / "county")
    c.publish(mini_doc())
    return c


def kiosk(tmp_path: Path, county: County, region: str = REGION, name: str = "kiosk") -> Config:
    """A kiosk as it is after its first start: the seed catalog (test-1) in its store."""
    from kiosk.catalog import open_store

    cfg = load_config(kiosk_config(tmp_path / name, county.root_file, region=region))
    open_store(cfg).close()
    return cfg


def current_version(cfg: Config) -> str | None:
    db = cfg.path(cfg.catalog.db)
    if not db.exists():
        return None
    with CatalogStore(db) as store:
        info = store.current_info()
    return None if info is None else str(info["catalog_version"])


def update(cfg: Config, where: Path | str) -> UpdateResult:
    return check_now(cfg, source_of(str(where)))


def assert_refused(cfg: Config, result: UpdateResult, reason: str, kept: str | None,
                   caplog: pytest.LogCaptureFixture) -> None:
    assert result.outcome == "refused", result.line()
    assert result.reason == reason, result.line()
    assert current_version(cfg) == kept
    state = load_state(cfg.path(cfg.catalog.sync_dir))
    assert state.last_outcome == "refused" and state.last_reason == reason
    assert state.last_message == result.line()
    if kept:
        assert f"keeping catalog {kept}" in result.line()
    logged = [r.getMessage() for r in caplog.records if r.name == "kiosk.sync.update"]
    assert any(reason_text(reason) in m for m in logged), logged
    # … and what status/maintenance and the next heartbeat say
    from kiosk.sync.heartbeat import catalog_part
    from kiosk.sync.state import status_fields
    from kiosk.sync.update import REASONS

    shown = status_fields(cfg.path(cfg.catalog.sync_dir))
    assert shown["update_outcome"] == "refused" and shown["update_words"] == REASONS[reason][1]
    beat = catalog_part(cfg)
    assert beat["last_outcome"] == "refused" and beat["last_reason"] == reason
    if kept:
        assert beat["version"] == kept


def reason_text(reason: str) -> str:
    from kiosk.sync.update import REASONS

    return REASONS[reason][0]


def test_first_update_then_current_then_one_item_change(tmp_path: Path, county: County) -> None:
    cfg = kiosk(tmp_path, county)
    first = update(cfg, county.repo.path)
    assert first.outcome == "updated", first.line()
    assert first.from_version == "test-1" and first.to_version == "2026.12.01"
    assert current_version(cfg) == "2026.12.01"
    assert (cfg.path("var/forms") / "F-DB-01.pdf").is_file()    # the form came along
    again = update(cfg, county.repo.path)
    assert again.outcome == "current" and again.files_fetched <= 2   # timestamp (+ root probe)

    doc = mini_doc("2026.12.02", "2026-12-02")
    doc["items"][2]["name"] = doc["items"][2]["name"] + "（新）"
    county.publish(doc)
    third = update(cfg, county.repo.path)
    assert third.outcome == "updated" and third.from_version == "2026.12.01"
    # timestamp, snapshot, the bundle role, the index and the one changed item (+ a 404 for
    # the next root version): nothing else is fetched again
    assert third.files_fetched <= 6, third
    assert third.bytes_fetched < first.bytes_fetched / 5
    with CatalogStore(cfg.path(cfg.catalog.db)) as store:
        cat = store.current()
        assert cat is not None
        assert cat.get(doc["items"][2]["code"]).name.endswith("（新）")
    st = load_state(cfg.path(cfg.catalog.sync_dir))
    assert st.catalog_version == "2026.12.02" and st.verified_at and st.expires


def test_rollback_to_an_older_repository_is_refused(tmp_path: Path, county: County,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    old = tmp_path / "old-repo"
    shutil.copytree(county.repo.path, old)
    county.publish(mini_doc("2026.12.05", "2026-12-05"))
    cfg = kiosk(tmp_path, county)
    assert update(cfg, county.repo.path).outcome == "updated"
    with caplog.at_level(logging.INFO):
        r = update(cfg, old)
    assert_refused(cfg, r, "rollback", "2026.12.05", caplog)


def test_frozen_expired_timestamp_is_refused_and_offline_keeps_serving(
        tmp_path: Path, county: County, caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county)
    assert update(cfg, county.repo.path).outcome == "updated"
    state = load_state(cfg.path(cfg.catalog.sync_dir))
    later = datetime.fromisoformat(state.expires) + timedelta(days=1)
    assert state.expired(later) and not state.expired()     # an offline hall, a month on
    county.publish(mini_doc("2026.12.09", "2026-12-09"), timestamp_days=30,
                   at=datetime.now(UTC).replace(microsecond=0) - timedelta(days=40))
    with caplog.at_level(logging.INFO):
        r = update(cfg, county.repo.path)
    assert_refused(cfg, r, "freeze", "2026.12.01", caplog)


def _item_file(county: County, code: str) -> Path:
    md = county.repo.load(f"bundle-{REGION}")
    assert md is not None
    info = md.signed.targets[f"{REGION}/items/{code}.json"]
    return county.repo.stored_name(info.path, info.hashes["sha256"])


def _changed_county(county: County) -> str:
    """Publish a new version with one item changed; the changed item's code."""
    doc = mini_doc("2026.12.03", "2026-12-03")
    doc["items"][1]["location"] = "二楼"
    county.publish(doc)
    return str(doc["items"][1]["code"])


@pytest.mark.parametrize("damage, reason", [
    (lambda b: b.replace(b"\xe4\xba\x8c", b"\xe4\xb8\x89"), "tampered"),  # 二 → 三, same length
    (lambda b: b[:len(b) // 2], "truncated"),
    (lambda b: b + b" " * 4096, "oversize"),
])
def test_damaged_item_file_is_refused(tmp_path: Path, county: County, damage: object,
                                      reason: str, caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county)
    assert update(cfg, county.repo.path).outcome == "updated"
    code = _changed_county(county)
    f = _item_file(county, code)
    assert callable(damage)
    f.write_bytes(damage(f.read_bytes()))
    with caplog.at_level(logging.INFO):
        r = update(cfg, county.repo.path)
    assert_refused(cfg, r, reason, "2026.12.01", caplog)


def _resign_timestamp(county: County, signer_key: Path | None) -> None:
    md = Metadata.from_file(str(county.repo.metadata / "timestamp.json"))
    md.signed.version += 1
    md.signatures.clear()
    md.sign(read_key(signer_key) if signer_key else signer_of(generate()))
    county.repo.write("timestamp", md)


def test_wrong_key_is_refused(tmp_path: Path, county: County,
                              caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county)
    assert update(cfg, county.repo.path).outcome == "updated"
    _resign_timestamp(county, None)          # a key the county never made
    with caplog.at_level(logging.INFO):
        r = update(cfg, county.repo.path)
    assert_refused(cfg, r, "wrong_key", "2026.12.01", caplog)


def test_revoked_key_is_refused_after_rotation(tmp_path: Path, county: County,
                                               caplog: pytest.LogCaptureFixture) -> None:
    from county.trust import rotate

    cfg = kiosk(tmp_path, county)
    assert update(cfg, county.repo.path).outcome == "updated"
    rotate(county.repo, county.keys, "timestamp", county.root_keys(1, 3))
    assert update(cfg, county.repo.path).outcome == "current"   # the kiosk follows root v2
    old_key = next((county.keys / "online").glob("timestamp.pem.revoked-*"))
    _resign_timestamp(county, old_key)
    with caplog.at_level(logging.INFO):
        r = update(cfg, county.repo.path)
    assert_refused(cfg, r, "wrong_key", "2026.12.01", caplog)


def test_metadata_mixed_from_two_publications_is_refused(
        tmp_path: Path, county: County, caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county)
    assert update(cfg, county.repo.path).outcome == "updated"
    _changed_county(county)
    meta = county.repo.metadata
    role = f"bundle-{REGION}"
    # a copy that took the new timestamp and snapshot but the old bundle role's bytes
    shutil.copyfile(meta / f"1.{role}.json", meta / f"2.{role}.json")
    with caplog.at_level(logging.INFO):
        r = update(cfg, county.repo.path)
    assert_refused(cfg, r, "mixed", "2026.12.01", caplog)


class PulledStick(StickFetcher):
    """A real folder removed from under the reader after `after` files (the stick pulled
    out mid-copy)."""

    def __init__(self, root: Path, after: int) -> None:
        super().__init__(root)
        self.after = after

    def _fetch(self, url: str):  # type: ignore[no-untyped-def]
        if self.files >= self.after and self.root.exists():
            shutil.rmtree(self.root)
        return super()._fetch(url)


def test_stick_pulled_mid_copy_is_refused(tmp_path: Path, county: County,
                                          caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county)
    stick = tmp_path / "media" / "COUNTY" / "repo"
    shutil.copytree(county.repo.path, stick)
    with caplog.at_level(logging.INFO):
        r = check_now(cfg, source_of(str(stick)), fetcher=PulledStick(stick, after=5))
    assert_refused(cfg, r, "removed", "test-1", caplog)     # the seed catalog stays
    assert load_state(cfg.path(cfg.catalog.sync_dir)).catalog_version == ""
    assert not list((cfg.path(cfg.catalog.sync_dir) / "staging").glob("*"))


def test_no_bundle_for_this_township(tmp_path: Path, county: County,
                                     caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county, region="130981100000")
    with caplog.at_level(logging.INFO):
        r = update(cfg, county.repo.path)
    assert_refused(cfg, r, "no_bundle", "test-1", caplog)


def test_bundle_signed_for_another_region_is_refused(
        tmp_path: Path, county: County, caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county)
    assert update(cfg, county.repo.path).outcome == "updated"
    # the county's own keys sign another township's index at this township's path
    index = json.loads(county.repo.stored_name(
        f"{REGION}/index.json",
        county.repo.load(f"bundle-{REGION}").signed.targets[f"{REGION}/index.json"]  # type: ignore[union-attr]
        .hashes["sha256"]).read_bytes())
    index["region"]["code"] = "130981100000"
    index["catalog"]["catalog_version"] = "2026.12.04"
    forge_target(county, f"{REGION}/index.json", json.dumps(index).encode())
    with caplog.at_level(logging.INFO):
        r = update(cfg, county.repo.path)
    assert_refused(cfg, r, "region", "2026.12.01", caplog)


def test_item_of_another_township_in_the_bundle_is_refused(
        tmp_path: Path, county: County, caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county)
    assert update(cfg, county.repo.path).outcome == "updated"
    code = _changed_county(county)
    item = mini_doc()["items"][1]
    item["township"] = {"name": "别的镇", "code": "130981100"}
    forge_target(county, f"{REGION}/items/{code}.json", item_bytes(item))
    with caplog.at_level(logging.INFO):
        r = update(cfg, county.repo.path)
    assert_refused(cfg, r, "region", "2026.12.01", caplog)


def test_unreachable_url_keeps_catalog(tmp_path: Path, county: County) -> None:
    import socket

    with socket.socket() as s:           # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = kiosk(tmp_path, county)
    r = update(cfg, f"http://127.0.0.1:{port}/repo")
    assert r.outcome == "unreachable" and r.reason == "unreachable"
    assert current_version(cfg) == "test-1"
    assert "keeping catalog test-1" in r.line()


class _Repo(SimpleHTTPRequestHandler):
    """Serves the repository folder; `cut` names a path whose body stops half-way (the
    connection closed early, as a dropped mobile link does)."""

    cut = ""
    pad = ""          # a path whose body goes on far beyond the signed length

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if _Repo.pad and self.path.endswith(_Repo.pad):
            data = Path(self.translate_path(self.path)).read_bytes() + b" " * PADDING
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with contextlib.suppress(OSError):   # the kiosk hung up once it had enough
                self.wfile.write(data)
            self.close_connection = True
            return
        if _Repo.cut and self.path.endswith(_Repo.cut):
            data = Path(self.translate_path(self.path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@contextmanager
def http_repo(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Repo, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        _Repo.cut = _Repo.pad = ""


PADDING = 20 * 2**20


def test_update_over_http_and_a_download_that_breaks_off(
        tmp_path: Path, county: County, caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county)
    with http_repo(county.repo.path) as url:
        first = update(cfg, url)
        assert first.outcome == "updated" and first.bytes_fetched > 0, first.line()
        code = _changed_county(county)
        _Repo.cut = f".{code}.json"
        with caplog.at_level(logging.INFO):
            r = update(cfg, url)
        assert_refused(cfg, r, "truncated", "2026.12.01", caplog)
        _Repo.cut = ""
        again = update(cfg, url)
        assert again.outcome == "updated" and again.to_version == "2026.12.03"


def test_oversize_download_over_http_is_cut_off_and_refused(
        tmp_path: Path, county: County, caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county)
    with http_repo(county.repo.path) as url:
        assert update(cfg, url).outcome == "updated"
        code = _changed_county(county)
        _Repo.pad = f".{code}.json"
        with caplog.at_level(logging.INFO):
            r = update(cfg, url)
        assert_refused(cfg, r, "oversize", "2026.12.01", caplog)
        assert 0 < r.bytes_fetched < PADDING / 4, r  # stopped near the signed length
        assert not list((cfg.path(cfg.catalog.sync_dir) / "staging").glob("*"))


def test_signed_empty_bundle_over_a_catalog_with_items_is_refused(
        tmp_path: Path, county: County, caplog: pytest.LogCaptureFixture) -> None:
    cfg = kiosk(tmp_path, county)
    assert update(cfg, county.repo.path).outcome == "updated"
    role = county.repo.load(f"bundle-{REGION}")
    assert role is not None
    info = role.signed.targets[f"{REGION}/index.json"]
    index = json.loads(county.repo.stored_name(info.path, info.hashes["sha256"]).read_bytes())
    index["items"], index["forms"] = [], []
    index["catalog"]["catalog_version"] = "2026.12.06"
    forge_target(county, f"{REGION}/index.json", json.dumps(index).encode())
    with caplog.at_level(logging.INFO):
        r = update(cfg, county.repo.path)
    assert_refused(cfg, r, "invalid", "2026.12.01", caplog)
