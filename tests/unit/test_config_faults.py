"""Issue 13, "Config: impossible values accepted": each impossible value is refused by name,
and every way a kiosk.toml can fail to be read is one ConfigError line, never a traceback or a
hang. Real files, FIFOs and symlinks in tmp_path."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kiosk.config import Config, load_config, parse_config
from kiosk.configschema import document
from kiosk.errors import ConfigError


def problems_of(data: dict[str, object], base_dir: str = ".") -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(data, base_dir=base_dir)
    return info.value.problems


def _float_keys() -> list[str]:
    """Every float setting (and list of floats) of the config, from its declarations."""
    return [key for key, tp, _default, _doc in document(Config) if "number" in tp]


def _nested(key: str, value: object) -> dict[str, object]:
    parts = key.split(".")
    if parts[0] == "services[]":
        return {"services": [{"name": "x", "prefix": "A", "counters": ["1"],
                              parts[1]: value}]}
    if parts[0] == "printer_profiles.<name>":
        return {"printer_profiles": {"p": {parts[1]: value}}}
    out: dict[str, object] = {parts[-1]: value}
    for p in reversed(parts[:-1]):
        out = {p: out}
    return out


def test_every_float_key_is_found() -> None:
    keys = _float_keys()
    assert {"display.diagonal_inch", "receipt_printer.timeout_s",
            "id_reader.poll_interval_s", "scanner.card_area_mm"} <= set(keys)


@pytest.mark.parametrize("key", _float_keys())
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused_everywhere(key: str, bad: float) -> None:
    """`nan` passed every min/max check (TOML allows it): diagonal_inch = nan crashed the UI at
    start, receipt timeout_s = nan failed every print."""
    hints = {k: tp for k, tp, _d, _doc in document(Config)}
    value: object = [bad, 0.0, 1.0, 1.0] if "list" in hints[key] else bad
    problems = problems_of(_nested(key, value))
    name = key.replace("services[]", "services[0]").replace("<name>", "p")
    assert any(p.startswith(name) and "finite" in p for p in problems), problems


IMPOSSIBLE = [
    ({"receipt_printer": {"url": "tcp://127.0.0.1:99999"}}, "receipt_printer.url: expected a port"),
    ({"receipt_printer": {"url": "tcp://127.0.0.1:notaport"}},
     "receipt_printer.url: expected a port"),
    ({"receipt_printer": {"url": "tcp://[::1"}}, "receipt_printer.url: expected a host"),
    ({"receipt_printer": {"url": "tcp://:9100"}}, "receipt_printer.url: expected a host"),
    ({"receipt_printer": {"url": "usb://printer"}}, "receipt_printer.url: expected usb://0xVID"),
    ({"receipt_printer": {"url": "serial://ttyUSB0"}},
     "receipt_printer.url: expected serial:///dev"),
    ({"receipt_printer": {"url": "serial:///dev/ttyUSB0?baudrate=fast"}},
     "receipt_printer.url: expected ?baudrate="),
    ({"receipt_printer": {"url": "file:///proc/self/mem"}},
     "receipt_printer.url: expected a path outside"),
    ({"receipt_printer": {"profile": ""}}, "receipt_printer.profile: expected some text"),
    ({"id_reader": {"port": "socket://127.0.0.1:99999"}}, "id_reader.port: expected a port"),
    ({"id_reader": {"port": "socket://127.0.0.1"}}, "id_reader.port: expected HOST:PORT"),
    ({"id_reader": {"port": ""}}, "id_reader.port: expected a device path"),
    ({"id_reader": {"port": "ttyUSB0"}}, "id_reader.port: expected a device path"),
    ({"id_reader": {"port": "gopher://x"}}, "id_reader.port: expected a pyserial URL"),
    ({"id_reader": {"sim_control": "tcp://127.0.0.1:70000"}},
     "id_reader.sim_control: expected a port"),
    ({"document_printer": {"server": "localhost:99999"}},
     "document_printer.server: expected a port"),
    ({"document_printer": {"queue": ""}}, "document_printer.queue: expected some text"),
    ({"scanner": {"device": " "}}, "scanner.device: expected some text"),
    ({"hall": {"name": ""}}, "hall.name: expected some text"),
    ({"catalog": {"db": ""}}, "catalog.db: expected a path"),
    ({"catalog": {"db": "/"}}, "catalog.db: expected a path below /"),
    ({"queue": {"db": "/proc/kiosk.sqlite"}}, "queue.db: expected a path outside"),
    ({"queue": {"secret_file": "/sys/kernel/x"}}, "queue.secret_file: expected a path outside"),
    ({"logging": {"dir": "/"}}, "logging.dir: expected a path below /"),
    ({"catalog": {"forms_dir": ""}}, "catalog.forms_dir: expected a path"),
    ({"maintenance": {"pin_hash": "not-a-hash"}}, "maintenance.pin_hash: expected scrypt$"),
    ({"maintenance": {"pin_hash": "scrypt$16384$8$1$!!$!!"}},
     "maintenance.pin_hash: expected scrypt$"),
    # services[].name (empty, or one name twice) is hall.toml's now: test_hall_policy.py
    ({"maintenance": {"max_attempts": 20, "lockout_s": 10}}, "maintenance.max_attempts: expected"),
    ({"maintenance": {"max_attempts": 10, "lockout_s": 60}},
     "maintenance.max_attempts: 10 tries per 60 s (maintenance.lockout_s) allow 14400 guesses"),
]


@pytest.mark.parametrize(("data", "expected"), IMPOSSIBLE,
                         ids=[e.split(":")[0] + f"-{i}" for i, (_d, e) in enumerate(IMPOSSIBLE)])
def test_impossible_values_are_named(data: dict[str, object], expected: str) -> None:
    problems = problems_of(data)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_store_path_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "var" / "queue.sqlite").mkdir(parents=True)
    problems = problems_of({"queue": {"db": "var/queue.sqlite"}}, base_dir=str(tmp_path))
    assert problems == ['queue.db: expected a file, but this is a folder, got '
                        '"var/queue.sqlite"']


def test_possible_values_still_pass() -> None:
    cfg = parse_config({
        "receipt_printer": {"url": "tcp://[::1]:9100"},
        "id_reader": {"port": "/dev/ttyUSB0", "sim_control": "tcp://127.0.0.1:9202"},
        "document_printer": {"server": "/run/cups/cups.sock"},
        "maintenance": {"max_attempts": 5, "lockout_s": 300},
    })
    assert cfg.receipt_printer.url.startswith("tcp://[::1]")
    for url in ("tcp://printer.local", "serial:///dev/ttyS0?baudrate=9600",
                "usb://0x0416:0x5011", "file:///tmp/receipt.bin", "cups://receipt-raw"):
        assert parse_config({"receipt_printer": {"url": url}}).receipt_printer.url == url


# ---- reading the file ------------------------------------------------------------------------

def _one_problem(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert len(info.value.problems) == 1, info.value.problems
    return info.value.problems[0]


def test_a_folder_is_named(tmp_path: Path) -> None:
    assert "is a folder" in _one_problem(tmp_path)


def test_a_symlink_loop_is_named(tmp_path: Path) -> None:
    loop = tmp_path / "kiosk.toml"
    loop.symlink_to(tmp_path / "other.toml")
    (tmp_path / "other.toml").symlink_to(loop)
    assert "symbolic links" in _one_problem(loop)


def test_a_path_through_a_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    assert "cannot read" in _one_problem(tmp_path / "f" / "kiosk.toml")


@pytest.mark.timeout(10)
def test_a_fifo_does_not_hang_the_start(tmp_path: Path) -> None:
    fifo = tmp_path / "kiosk.toml"
    os.mkfifo(fifo)
    assert "not a regular file" in _one_problem(fifo)


def test_dev_null_and_an_empty_file_are_not_a_config(tmp_path: Path) -> None:
    """A config truncated to 0 bytes would otherwise run the demo's defaults."""
    assert "not a regular file" in _one_problem(Path("/dev/null"))
    empty = tmp_path / "kiosk.toml"
    empty.write_bytes(b"")
    assert "sets nothing" in _one_problem(empty)
    empty.write_text("# only a comment\n\n", encoding="utf-8")
    assert "sets nothing" in _one_problem(empty)


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    """Windows Notepad writes one; it was 'Invalid statement at line 1'."""
    f = tmp_path / "kiosk.toml"
    f.write_bytes(b"\xef\xbb\xbf" + '[hall]\nname = "清河镇"\n'.encode())
    assert load_config(f).hall.name == "清河镇"


def test_a_key_given_twice_is_named(tmp_path: Path) -> None:
    f = tmp_path / "kiosk.toml"
    f.write_text('[hall]\nname = "a"\nphone = "1"\nname = "b"\n', encoding="utf-8")
    problem = _one_problem(f)
    assert "line 4" in problem and "'name' is set twice" in problem, problem
    f.write_text('[hall]\nname = "a"\n[hall]\nphone = "1"\n', encoding="utf-8")
    assert "'hall' is set twice" in _one_problem(f)


def test_deeply_nested_inline_tables_are_refused(tmp_path: Path) -> None:
    f = tmp_path / "kiosk.toml"
    f.write_text("x = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n", encoding="utf-8")
    problem = _one_problem(f)
    assert "TOML" in problem


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "kiosk.toml"
    f.write_bytes('[hall]\nname = "清河镇"\n'.encode("gbk"))
    assert _one_problem(f).startswith("line 2, byte")


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    """`kiosk config check` on a file this user cannot read: one line, no traceback. Root
    reads everything, so the command runs without the capabilities that let it (setpriv,
    util-linux); as another user chmod 000 is enough."""
    import shutil
    import subprocess

    from tests.conftest import REPO

    f = tmp_path / "kiosk.toml"
    f.write_text('[hall]\nname = "x"\n', encoding="utf-8")
    f.chmod(0)
    cmd = [sys.executable, "-m", "kiosk", "--config", str(f), "config", "check"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to drop root's read-everything right"
        cmd = [setpriv, "--inh-caps=-all", "--bounding-set=-all", *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 2, out.stderr
    assert "Permission denied" in out.stderr and "Traceback" not in out.stderr
