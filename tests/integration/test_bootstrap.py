"""The composition root: the UI's Terminal, the CLI and maintenance build their devices and
stores in kiosk.bootstrap, and every [id_reader] key reaches the reader the UI reads cards
with (it once ignored read_fingerprint and photo_decoder). Against the simulated SAM reader on
a real TCP socket."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from devices.sim.idcards import SAMPLE_CARDS, encode_card
from devices.sim.idreader import SimReader
from devices.sim.idreader_transport import TcpLine
from kiosk import bootstrap
from kiosk.config import parse_config

REPO = Path(__file__).resolve().parents[2]
BUILT_ONLY_IN_BOOTSTRAP = {"IdReader", "ReceiptPrinter", "CupsPrinter", "SaneScanner",
                           "SqliteQueueStore", "QueueService"}


def _constructions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.func.id for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in BUILT_ONLY_IN_BOOTSTRAP}


def test_devices_and_stores_are_built_only_in_bootstrap() -> None:
    offenders = {}
    for folder in ("kiosk", "screens"):
        for path in (REPO / folder).rglob("*.py"):
            if path.name == "bootstrap.py":
                continue
            built = _constructions(path)
            if built:
                offenders[str(path.relative_to(REPO))] = sorted(built)
    assert offenders == {}, "build these in kiosk/bootstrap.py"


def test_the_ui_reader_honours_every_id_reader_key(tmp_path: Path) -> None:
    spec = {**SAMPLE_CARDS[1], "fingerprint_len": "512"}
    sim = SimReader([encode_card(spec, "card")])
    line = TcpLine(sim, "127.0.0.1", 0)
    line.start()
    assert line.ready.wait(2), "simulated reader did not start"
    cfg = parse_config({
        "id_reader": {"port": f"socket://127.0.0.1:{line.port}", "read_fingerprint": True,
                      "photo_decoder": "tests.support.fake_photo_decoder:factory"},
        "receipt_printer": {"url": f"file://{tmp_path}/receipt.bin"},
        "document_printer": {"enabled": False}, "scanner": {"enabled": False},
        "queue": {"db": "queue.sqlite", "secret_file": "secret.key"},
    }, base_dir=str(tmp_path))
    terminal = bootstrap.terminal(cfg)     # what screens/boot.py runs
    try:
        assert terminal.reader is not None
        terminal.reader.open(poll=False)
        sim.place(spec["label"])
        record = terminal.reader.read_once(5.0)
    finally:
        terminal.reader.close() if terminal.reader else None
        line.stop()
    assert record is not None, "no card read"
    assert len(record.fingerprint_raw) == 512, "30 10 read (read_fingerprint) not used"
    assert record.photo_image == b"MARKER-IMAGE:1024", "photo_decoder plug-in not used"
    assert dataclasses.asdict(record).get("fingerprint_raw") is not None


def test_a_decoder_that_cannot_load_is_reported_not_fatal(tmp_path: Path) -> None:
    cfg = parse_config({
        "id_reader": {"photo_decoder": "tests.support.no_such_module:factory"},
        "receipt_printer": {"url": f"file://{tmp_path}/receipt.bin"},
        "document_printer": {"enabled": False}, "scanner": {"enabled": False},
        "queue": {"db": "queue.sqlite", "secret_file": "secret.key"},
    }, base_dir=str(tmp_path))
    terminal = bootstrap.terminal(cfg)
    terminal.open()
    try:
        reports = {r.device: r for r in terminal.reports()}
        assert terminal.reader is None
        assert reports["id_reader"].state == "HW_ERROR"
        assert "no_such_module" in reports["id_reader"].detail
        assert terminal.queue is not None and terminal.queue.list_today() == []
    finally:
        terminal.close()
