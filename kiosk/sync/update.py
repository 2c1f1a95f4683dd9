"""One check for a signed catalog update: verify with TUF, fetch what changed, run the
existing atomic import — or refuse, keep the current catalog, and say why.

    [catalog].sync_dir/trusted/   TUF's trusted metadata (root history, timestamp, snapshot,
                                  targets, this township's bundle role) — never a download
    [catalog].sync_dir/cache/     downloaded target files, each verified against its signed
                                  hash; an unchanged item is found here and not fetched again
    [catalog].sync_dir/staging/   the bundle put back together as one catalog.json (+ forms/)
                                  for kiosk.catalog.import_catalog; emptied after each check

Trust starts from the county's root metadata the kiosk ships ([catalog].update_root). The
Updater refuses rollback, freeze (expired metadata), tampered or truncated files, wrong or
revoked keys and mixed versions; this module adds the kiosk's own checks (the bundle is for
this township, every item is the one its name says, the catalog validates) and turns each
refusal into one reason code, one log line and plain words for staff.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tuf.api import exceptions
from tuf.api.metadata import Metadata, TargetFile
from tuf.ngclient import Updater, UpdaterConfig

from kiosk.config import Config
from kiosk.sync.fetch import BrokenOff, CountingFetcher, HttpFetcher, StickFetcher
from kiosk.sync.state import SyncState, load_state, save_state

log = logging.getLogger(__name__)

BUNDLE_FORMAT = "township-kiosk-bundle"   # county.bundles.BUNDLE_FORMAT (kiosk/ never
                                          # imports county/)

# reason → (for the log and the technician, plain Chinese for hall staff)
REASONS: dict[str, tuple[str, str]] = {
    "rollback": ("older than what this kiosk already has (rollback)",
                 "更新包比本机现有的旧，已拒绝"),
    "freeze": ("the signed metadata has expired (freeze)",
               "更新包的签名已过期，已拒绝；请县里重新发布"),
    "tampered": ("a file does not match its signed hash (tampered)",
                 "更新文件被改动过，已拒绝"),
    "truncated": ("a file is shorter than its signed length (truncated)",
                  "更新文件不完整，已拒绝"),
    "oversize": ("a download is larger than its signed length (oversize)",
                 "更新文件超出应有的大小，已拒绝"),
    "wrong_key": ("not signed by a key the county's root trusts (wrong or revoked key)",
                  "签名不是县里的有效密钥，已拒绝"),
    "mixed": ("metadata from two different publications (mixed versions)",
              "更新包的文件版本不一致，已拒绝"),
    "region": ("the bundle is for another township", "更新包不是本乡镇的，已拒绝"),
    "no_bundle": ("the repository has no bundle for this township",
                  "更新源里没有本乡镇的目录"),
    "invalid": ("the catalog in the bundle does not pass validation",
                "更新的目录内容有误，已拒绝"),
    "removed": ("the USB drive was removed or could not be read during the copy",
                "U盘在读取中被拔出或无法读取，已停止，请重新插入再试"),
    "missing": ("a file the metadata needs is not in the repository (incomplete copy?)",
                "更新源缺少文件（可能没有复制完整）"),
    "import_failed": ("the verified catalog could not be written into the store",
                      "目录导入失败，仍在使用原来的目录"),
    "unreachable": ("the update source cannot be reached", "暂时连不上县里的更新服务"),
    "not_configured": ("no update source or root metadata configured",
                       "本机没有设置目录更新来源"),
    "busy": ("another update check is running", "另一次更新检查正在进行"),
}


@dataclass
class UpdateResult:
    outcome: str                  # updated | current | refused | unreachable | busy
    reason: str = ""              # a key of REASONS when not updated/current
    detail: str = ""              # the underlying error, for the technician
    source: str = ""
    from_version: str = ""
    to_version: str = ""
    items: int = 0
    files_fetched: int = 0
    bytes_fetched: int = 0
    expires: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome in ("updated", "current")

    @property
    def words(self) -> str:
        if self.outcome == "updated":
            return f"目录已更新到 {self.to_version}"
        if self.outcome == "current":
            return f"目录已是最新（{self.to_version}）"
        return REASONS.get(self.reason, ("", "目录更新失败"))[1]

    def line(self) -> str:
        """The one line for the log, `kiosk catalog update` and status."""
        if self.outcome == "updated":
            was = f"from {self.from_version} " if self.from_version else ""
            return (f"updated {was}to {self.to_version} ({self.items} items; fetched "
                    f"{self.files_fetched} file(s), {self.bytes_fetched} bytes) from {self.source}")
        if self.outcome == "current":
            return f"already current: {self.to_version} (verified with {self.source})"
        why = REASONS.get(self.reason, (self.reason, ""))[0]
        keep = f"; keeping catalog {self.from_version}" if self.from_version else ""
        return f"{self.outcome}: {why}: {self.detail}{keep} (source {self.source})"

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {**asdict(self), "ok": self.ok, "words": self.words, "line": self.line()}


class Refused(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


# ---- where updates come from -----------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    kind: str                     # url | stick
    where: str                    # base URL, or the repository folder

    def fetcher(self) -> CountingFetcher:
        return HttpFetcher() if self.kind == "url" else StickFetcher(Path(self.where))

    def urls(self) -> tuple[str, str]:
        if self.kind == "url":
            base = self.where.rstrip("/")
            return f"{base}/metadata/", f"{base}/targets/"
        root = Path(self.where).resolve()
        return (root / "metadata").as_uri() + "/", (root / "targets").as_uri() + "/"


def source_of(text: str) -> Source:
    """`--from URL|DIR`."""
    if text.startswith(("http://", "https://")):
        return Source("url", text)
    return Source("stick", str(Path(text).expanduser().resolve()))


def classify(exc: BaseException, source: Source) -> str:
    """One reason code for an error from the TUF client or a fetcher."""
    if isinstance(exc, exceptions.DownloadLengthMismatchError):
        return "oversize"
    if isinstance(exc, BrokenOff):
        return "truncated"
    if isinstance(exc, exceptions.DownloadHTTPError):
        return "missing" if exc.status_code in (403, 404) else "unreachable"
    if isinstance(exc, exceptions.DownloadError):
        return "removed" if source.kind == "stick" else "unreachable"
    if isinstance(exc, exceptions.ExpiredMetadataError):
        return "freeze"
    if isinstance(exc, exceptions.UnsignedMetadataError):
        return "wrong_key"
    if isinstance(exc, exceptions.BadVersionNumberError):
        return "rollback" if "must be >=" in str(exc) else "mixed"
    if isinstance(exc, exceptions.LengthOrHashMismatchError):
        return "truncated" if _shorter(str(exc)) else "tampered"
    if isinstance(exc, exceptions.RepositoryError):
        return "mixed" if "snapshot" in str(exc).lower() else "tampered"
    return "unreachable"


def _shorter(message: str) -> bool:
    words = message.split()
    try:
        observed = int(words[words.index("length") + 1])
        expected = int(words[-1])
    except (ValueError, IndexError):
        return False
    return observed < expected


# ---- one check -------------------------------------------------------------------------------

class _Check:
    def __init__(self, cfg: Config, source: Source, state: SyncState,
                 now: Callable[[], datetime]) -> None:
        self.cfg = cfg
        self.source = source
        self.state = state
        self.now = now
        self.region = cfg.hall.region_code
        self.dir = cfg.path(cfg.catalog.sync_dir)
        self.trusted = self.dir / "trusted"
        self.cache = self.dir / "cache"
        self.staging = self.dir / "staging"
        self.fetcher = source.fetcher()
        self.result = UpdateResult("refused", source=self._where())

    def _where(self) -> str:
        return self.source.where

    def updater(self) -> Updater:
        root_file = self.cfg.path(self.cfg.catalog.update_root) if self.cfg.catalog.update_root \
            else None
        if root_file is None or not root_file.is_file():
            raise Refused("not_configured", f"[catalog].update_root: no root metadata at "
                                            f"{root_file or '(not set)'}")
        self.trusted.mkdir(parents=True, exist_ok=True)
        self.cache.mkdir(parents=True, exist_ok=True)
        meta_url, targets_url = self.source.urls()
        return Updater(str(self.trusted), meta_url, str(self.cache), targets_url,
                       fetcher=self.fetcher, config=UpdaterConfig(app_user_agent="kiosk"),
                       bootstrap=root_file.read_bytes())

    def run(self) -> UpdateResult:
        current = _current_catalog(self.cfg)
        self.result.from_version = current.get("catalog_version", "")
        updater = self.updater()
        updater.refresh()
        info = updater.get_targetinfo(f"{self.region}/index.json")
        if info is None:
            raise Refused("no_bundle", f"no {self.region}/index.json in the repository")
        index = self.index(updater, info)
        self.result.expires = self.expiry()
        catalog = index["catalog"]
        self.result.to_version = str(catalog.get("catalog_version", ""))
        self.result.items = len(index["items"])
        sha = info.hashes["sha256"]
        if sha == self.state.index_sha256 and \
                current.get("catalog_version") == self.result.to_version:
            self.result.outcome = "current"
            return self.result
        if str(catalog.get("published", "")) < self.state.published:
            raise Refused("rollback", f"the bundle was published {catalog.get('published')}, "
                                      f"before the signed catalog installed here "
                                      f"({self.state.published})")
        paths = self.fetch_all(updater, index)
        self.install(index, paths)
        self.state.index_sha256 = sha
        self.state.published = str(catalog.get("published", ""))
        self.state.region = self.region
        self.result.outcome = "updated"
        self.prune({info.path, *paths})
        return self.result

    def get(self, updater: Updater, info: TargetFile) -> str:
        return updater.find_cached_target(info) or updater.download_target(info)

    def index(self, updater: Updater, info: TargetFile) -> dict[str, Any]:
        try:
            index: dict[str, Any] = json.loads(Path(self.get(updater, info)).read_bytes())
        except ValueError as exc:
            raise Refused("invalid", f"{info.path}: not JSON ({exc})") from None
        ok = (isinstance(index, dict) and index.get("format") == BUNDLE_FORMAT
              and isinstance(index.get("catalog"), dict)
              and isinstance(index.get("items"), list) and isinstance(index.get("forms"), list))
        if not ok:
            raise Refused("invalid", f"{info.path}: not a {BUNDLE_FORMAT} index")
        code = str((index.get("region") or {}).get("code", ""))
        if code != self.region:
            raise Refused("region", f"{info.path} is the bundle of region {code}; this kiosk "
                                    f"is in {self.region} ([hall].region_code)")
        return index

    def expiry(self) -> str:
        """The earliest expiry of the trusted metadata that verified this bundle."""
        names = ["root", "timestamp", "snapshot", "targets", f"bundle-{self.region}"]
        times = []
        for name in names:
            with contextlib.suppress(OSError, exceptions.RepositoryError):
                times.append(Metadata.from_file(str(self.trusted / f"{name}.json")).signed.expires)
        return min(times).isoformat() if times else ""

    def fetch_all(self, updater: Updater, index: dict[str, Any]) -> dict[str, str]:
        """Every item and form of the bundle, verified: target path → local file."""
        out: dict[str, str] = {}
        wanted = [f"{self.region}/items/{c}.json" for c in index["items"]]
        wanted += [f"{self.region}/forms/{f}" for f in index["forms"]]
        for path in wanted:
            info = updater.get_targetinfo(path)
            if info is None:
                raise Refused("mixed", f"the index names {path}, which the signed bundle "
                                       "does not list")
            out[path] = self.get(updater, info)
        self.result.files_fetched = self.fetcher.files
        self.result.bytes_fetched = self.fetcher.bytes
        return out

    def install(self, index: dict[str, Any], paths: dict[str, str]) -> None:
        from kiosk.catalog import import_catalog
        from kiosk.errors import CatalogError, CatalogValidationError, EmptyCatalogRefused

        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        try:
            catalog = self.assemble(index, paths)
            forms = self.stage_forms(index, paths)
            try:
                import_catalog(self.cfg, catalog, forms)
            except CatalogValidationError as exc:
                first = exc.problems[0] if exc.problems else ""
                raise Refused("invalid", f"{len(exc.problems)} problem(s), first: {first}"
                              ) from None
            except EmptyCatalogRefused as exc:   # an empty bundle over a catalog with items
                raise Refused("invalid", str(exc)) from None
            except CatalogError as exc:          # the store could not take it (disk full …)
                raise Refused("import_failed", str(exc)) from None
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)

    def assemble(self, index: dict[str, Any], paths: dict[str, str]) -> Path:
        """catalog.json from the header and the item files, item by item (the item files are
        copied as they are; each is parsed once only to check it is the item it says)."""
        target = self.staging / "catalog.json"
        head = json.dumps(index["catalog"], ensure_ascii=False).encode()
        with target.open("wb") as out:
            out.write(head[:-1] + (b',"items":[' if len(head) > 2 else b'"items":['))
            for n, code in enumerate(index["items"]):
                data = Path(paths[f"{self.region}/items/{code}.json"]).read_bytes()
                self.check_item(code, data)
                out.write(b",\n" if n else b"\n")
                out.write(data)
            out.write(b"\n]}\n")
        return target

    def check_item(self, code: str, data: bytes) -> None:
        try:
            item = json.loads(data)
        except ValueError as exc:
            raise Refused("invalid", f"item {code}: not JSON ({exc})") from None
        if not isinstance(item, dict) or item.get("code") != code:
            raise Refused("invalid", f"items/{code}.json holds another item")
        town = str((item.get("township") or {}).get("code", ""))
        if town and town.ljust(12, "0") != self.region:
            raise Refused("region", f"item {code} is for township {town}, not {self.region}")

    def stage_forms(self, index: dict[str, Any], paths: dict[str, str]) -> Path | None:
        if not index["forms"]:
            return None
        forms = self.staging / "forms"
        forms.mkdir()
        for name in index["forms"]:
            src = Path(paths[f"{self.region}/forms/{name}"])
            try:
                os.link(src, forms / name)
            except OSError:
                shutil.copyfile(src, forms / name)
        return forms

    def prune(self, keep: set[str]) -> None:
        """Cached targets no longer part of the bundle (the old version of a changed item)."""
        names = {quote(p, "") for p in keep}
        for entry in os.scandir(self.cache):
            if entry.name not in names:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _current_catalog(cfg: Config) -> dict[str, Any]:
    from kiosk.catalog.store import CatalogStore
    from kiosk.errors import CatalogError

    db = cfg.path(cfg.catalog.db)
    if not db.exists():
        return {}
    try:
        with CatalogStore(db) as store:
            return store.current_info() or {}
    except CatalogError:
        return {}


@contextlib.contextmanager
def _lock(sync_dir: Path) -> Iterator[bool]:
    """One check at a time per kiosk (the UI's background check, `kiosk catalog update`):
    TUF's client is a single-instance program over its metadata folder."""
    sync_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(sync_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def check_now(cfg: Config, source: Source, now: Callable[[], datetime] = utcnow,
              fetcher: CountingFetcher | None = None) -> UpdateResult:
    """Run one check; never raises for a refused or failed update (the result says why),
    and never changes the catalog in use unless the new one verified and imported."""
    start = time.perf_counter()
    sync_dir = cfg.path(cfg.catalog.sync_dir)
    with _lock(sync_dir) as got:
        if not got:
            return UpdateResult("busy", "busy", "a check is already running", source.where)
        state = load_state(sync_dir)
        check = _Check(cfg, source, state, now)
        if fetcher is not None:
            check.fetcher = fetcher
        result = check.result
        try:
            result = check.run()
        except Refused as exc:
            result.reason, result.detail = exc.reason, exc.detail
        except (exceptions.RepositoryError, exceptions.DownloadError) as exc:
            result.reason, result.detail = classify(exc, source), f"{type(exc).__name__}: {exc}"
        finally:
            close = getattr(check.fetcher, "close", None)
            if callable(close):
                close()
        if result.reason in ("unreachable", "not_configured"):
            result.outcome = "unreachable"
        result.files_fetched = check.fetcher.files
        result.bytes_fetched = check.fetcher.bytes
        result.seconds = time.perf_counter() - start
        _record(sync_dir, state, result, now())
    (log.info if result.ok else log.warning)("catalog update: %s", result.line())
    return result


def _record(sync_dir: Path, state: SyncState, result: UpdateResult, now: datetime) -> None:
    state.last_check = now.isoformat()
    state.last_outcome = result.outcome
    state.last_reason = result.reason
    state.last_message = result.line()
    state.last_words = result.words
    state.source = result.source
    if result.ok:
        state.catalog_version = result.to_version
        state.verified_at = now.isoformat()
        state.expires = result.expires
    save_state(sync_dir, state)
