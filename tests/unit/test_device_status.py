"""One device-status vocabulary: every device (the ID reader too) speaks StatusUpdate, and
"is this device in trouble?" has one answer, devices.status.in_trouble, which the terminal's
last error and the maintenance report both use."""

from __future__ import annotations

import pytest

from devices.status import DeviceState, PaperState, StatusUpdate, in_trouble
from kiosk.config import parse_config
from kiosk.maintenance.status import DeviceReport
from kiosk.terminal import Terminal, TerminalParts

CASES = [
    (DeviceState.ONLINE, PaperState.FULL, False),
    (DeviceState.ONLINE, PaperState.LOW, False),        # still prints
    (DeviceState.ONLINE, PaperState.UNKNOWN, False),
    (DeviceState.ONLINE, PaperState.OUT, True),
    (DeviceState.USER_ERROR, PaperState.JAMMED, True),
    (DeviceState.OFFLINE, PaperState.UNKNOWN, True),
    (DeviceState.BUSY, PaperState.FULL, False),   # printing or scanning: not trouble
    (DeviceState.HW_ERROR, PaperState.FULL, True),
]


@pytest.mark.parametrize(("state", "paper", "trouble"), CASES)
def test_one_answer_everywhere(state: DeviceState, paper: PaperState, trouble: bool,
                               tmp_path: object) -> None:
    assert in_trouble(state, paper) is trouble
    assert in_trouble(state.value, paper.value) is trouble         # the report's strings
    assert StatusUpdate("receipt_printer", state, paper=paper).in_trouble is trouble
    assert DeviceReport.of("receipt_printer", state, paper).ok is not trouble


def test_the_terminal_keeps_the_last_trouble_of_every_device_alike(tmp_path: object) -> None:
    cfg = parse_config({"id_reader": {"enabled": False}, "document_printer": {"enabled": False}},
                       base_dir=str(tmp_path))
    terminal = Terminal(cfg, TerminalParts())
    for device in ("receipt_printer", "id_reader"):
        terminal.note(StatusUpdate(device, DeviceState.OFFLINE, detail="cable"))
        terminal.note(StatusUpdate(device, DeviceState.ONLINE, detail="back"))
    reports = {r.device: r for r in terminal.reports()}
    assert reports["receipt_printer"].last_error == reports["id_reader"].last_error != ""
    assert reports["receipt_printer"].ok and reports["id_reader"].ok
