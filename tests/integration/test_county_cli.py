"""`kiosk county keys …`, `kiosk county publish` and `kiosk catalog update` as real processes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from kiosk.catalog.generate import generate_document
from tests.support.county_repo import FORMS, MINI, REGION, kiosk_config, mini_doc

Run = Callable[..., CompletedProcess[str]]


def _init(run_kiosk: Run, tmp_path: Path) -> tuple[str, str, Path]:
    repo, keys, offline = str(tmp_path / "repo"), str(tmp_path / "keys"), tmp_path / "offline"
    r = run_kiosk("county", "keys", "init", "--repo", repo, "--keys", keys,
                  "--offline", str(offline))
    assert r.returncode == 0, r.stderr
    assert "any 2 sign" in r.stdout and "move each to its own USB stick" in r.stdout
    assert sorted(p.name for p in offline.iterdir()) == ["root-1.pem", "root-2.pem",
                                                         "root-3.pem"]
    assert (Path(keys) / "online" / "timestamp.pem").stat().st_mode & 0o077 == 0
    return repo, keys, offline


def test_keys_publish_status_and_update(run_kiosk: Run, tmp_path: Path) -> None:
    repo, keys, offline = _init(run_kiosk, tmp_path)
    again = run_kiosk("county", "keys", "init", "--repo", repo, "--keys", keys,
                      "--offline", str(offline))
    assert again.returncode == 1 and "already has metadata/1.root.json" in again.stderr

    pub = run_kiosk("county", "publish", str(MINI), "--forms", str(FORMS), "--repo", repo,
                    "--keys", keys, "--region", REGION, "--json")
    assert pub.returncode == 0, pub.stderr
    report = json.loads(pub.stdout)
    assert report["bundles"] == {REGION: 4}
    assert report["targets"] == 1 + 4 + 1      # index, items, the one form
    assert report["changed_roles"] == [f"bundle-{REGION}", "targets", "snapshot", "timestamp"]

    st = run_kiosk("county", "keys", "status", "--repo", repo, "--keys", keys, "--json")
    assert st.returncode == 0, st.stdout
    roles = {r["role"]: r for r in json.loads(st.stdout)["roles"]}
    assert roles["root"]["threshold"] == 2 and len(roles["root"]["keys"]) == 3
    assert roles["timestamp"]["key_on_this_machine"] and roles["timestamp"]["days_left"] >= 29

    cfg = kiosk_config(tmp_path / "kiosk", Path(repo) / "metadata" / "1.root.json")
    up = run_kiosk("--config", str(cfg), "catalog", "update", "--from", repo, "--json")
    assert up.returncode == 0, up.stdout + up.stderr
    result = json.loads(up.stdout)
    assert result["outcome"] == "updated" and result["to_version"] == "test-1"
    again_up = run_kiosk("--config", str(cfg), "catalog", "update", "--from", repo)
    assert again_up.returncode == 0 and again_up.stdout.startswith("already current: test-1")


def test_publish_refuses_an_invalid_catalog_and_changes_nothing(run_kiosk: Run,
                                                                tmp_path: Path) -> None:
    repo, keys, _ = _init(run_kiosk, tmp_path)
    doc = mini_doc()
    doc["items"][1]["materials"][0]["original_copies"] = "两份"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    r = run_kiosk("county", "publish", str(bad), "--repo", repo, "--keys", keys,
                  "--region", REGION)
    assert r.returncode == 1
    assert ('items[1].materials[0].original_copies: expected integer from 0 to 1000, '
            'got "两份"') in r.stderr
    assert "nothing was published" in r.stderr
    assert sorted(p.name for p in (Path(repo) / "metadata").iterdir()) == ["1.root.json"]
    no_region = run_kiosk("county", "publish", str(MINI), "--repo", repo, "--keys", keys)
    assert no_region.returncode == 1 and "--region CODE" in no_region.stderr


def test_one_bundle_per_township(run_kiosk: Run, tmp_path: Path) -> None:
    repo, keys, _ = _init(run_kiosk, tmp_path)
    doc = generate_document(300, seed=3)
    towns = sorted({i["township"]["code"] for i in doc["items"]})
    f = tmp_path / "county.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    r = run_kiosk("county", "publish", str(f), "--repo", repo, "--keys", keys, "--json")
    assert r.returncode == 0, r.stderr
    bundles = json.loads(r.stdout)["bundles"]
    assert sorted(bundles) == towns and sum(bundles.values()) == 300
    town = towns[1]
    cfg = kiosk_config(tmp_path / "kiosk", Path(repo) / "metadata" / "1.root.json",
                       region=town)
    up = run_kiosk("--config", str(cfg), "catalog", "update", "--from", repo, "--json")
    assert up.returncode == 0, up.stdout + up.stderr
    assert json.loads(up.stdout)["items"] == bundles[town]
    show = run_kiosk("--config", str(cfg), "catalog", "stats", "--json")
    assert json.loads(show.stdout)["current"]["items"] == bundles[town]


def test_rotate_needs_the_threshold_of_root_keys(run_kiosk: Run, tmp_path: Path) -> None:
    repo, keys, offline = _init(run_kiosk, tmp_path)
    one = run_kiosk("county", "keys", "rotate", "timestamp", "--repo", repo, "--keys", keys,
                    "--root-key", str(offline / "root-1.pem"))
    assert one.returncode == 1 and "need 2 root keys" in one.stderr
    stranger = tmp_path / "stranger.pem"
    from county.keys import generate, write_key

    write_key(stranger, generate())
    wrong = run_kiosk("county", "keys", "rotate", "timestamp", "--repo", repo, "--keys", keys,
                      "--root-key", str(offline / "root-1.pem"), "--root-key", str(stranger))
    assert wrong.returncode == 1 and "is not a root key of this repository" in wrong.stderr
    ok = run_kiosk("county", "keys", "rotate", "root", "--repo", repo, "--keys", keys,
                   "--root-key", str(offline / "root-1.pem"),
                   "--root-key", str(offline / "root-2.pem"),
                   "--replace", _keyid_start(run_kiosk, repo, keys, 2),
                   "--new-key", str(offline / "root-4.pem"))
    assert ok.returncode == 0, ok.stderr
    assert "root is now version 2" in ok.stdout
    assert (Path(repo) / "metadata" / "2.root.json").is_file()


def _keyid_start(run_kiosk: Run, repo: str, keys: str, n: int) -> str:
    st = json.loads(run_kiosk("county", "keys", "status", "--repo", repo, "--keys", keys,
                              "--json").stdout)
    return str(st["roles"][0]["keys"][n])


def test_update_refused_says_why_keeps_the_catalog_and_status_shows_it(
        run_kiosk: Run, tmp_path: Path) -> None:
    import shutil

    repo, keys, _ = _init(run_kiosk, tmp_path)
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps(mini_doc("2026.12.01", "2026-12-01"), ensure_ascii=False),
                  "utf-8")
    assert run_kiosk("county", "publish", str(v1), "--repo", repo, "--keys", keys,
                     "--region", REGION).returncode == 0
    old_stick = tmp_path / "old-stick"
    shutil.copytree(repo, old_stick)                    # last month's stick, kept in a drawer
    v2 = tmp_path / "v2.json"
    v2.write_text(json.dumps(mini_doc("2026.12.02", "2026-12-02"), ensure_ascii=False),
                  "utf-8")
    assert run_kiosk("county", "publish", str(v2), "--repo", repo, "--keys", keys,
                     "--region", REGION).returncode == 0
    cfg = kiosk_config(tmp_path / "kiosk", Path(repo) / "metadata" / "1.root.json")
    up = run_kiosk("--config", str(cfg), "catalog", "update", "--from", repo)
    assert up.returncode == 0 and up.stdout.startswith("updated ") and \
        " to 2026.12.02 (4 items;" in up.stdout, up.stdout

    old = run_kiosk("--config", str(cfg), "catalog", "update", "--from", str(old_stick))
    assert old.returncode == 1, old.stdout + old.stderr
    assert old.stdout.startswith("refused: older than what this kiosk already has (rollback)")
    assert "keeping catalog 2026.12.02" in old.stdout
    status = run_kiosk("--config", str(cfg), "status")
    assert "目录：版本 2026.12.02" in status.stdout, status.stdout
    assert "更新包比本机现有的旧，已拒绝" in status.stdout
    # the log line (a command logs to stderr; the running kiosk to its log file)
    assert "catalog update: refused: older than" in old.stderr, old.stderr
