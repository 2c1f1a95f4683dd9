"""The A4 printer and scanner, built from kiosk.toml. The one place the copy and form flows
(and later the UI's bootstrap) turn [document_printer] and [scanner] into device objects."""

from __future__ import annotations

import queue

from devices.document_printer.cups import CupsPrinter
from devices.scanner.sane import SaneScanner, ScanArea
from devices.status import StatusUpdate
from kiosk.config import Config
from kiosk.errors import KioskError


class DeviceDisabled(KioskError):
    """kiosk.toml says this terminal has no such device."""

    def __init__(self, what: str, key: str, citizen_message: str) -> None:
        super().__init__(f"{what} is disabled in kiosk.toml ({key} = false)")
        self.citizen_message = citizen_message


def document_printer(cfg: Config, queue_name: str | None = None,
                     events: queue.Queue[StatusUpdate] | None = None) -> CupsPrinter:
    """The A4 printer (not yet opened). `queue_name` overrides [document_printer] queue."""
    dp = cfg.document_printer
    if not dp.enabled:
        raise DeviceDisabled("the A4 printer", "document_printer.enabled",
                             "本机没有配备A4打印机，请到窗口办理。")
    return CupsPrinter(queue_name or dp.queue, server=dp.server, events=events,
                       job_timeout_s=dp.job_timeout_s)


def scanner(cfg: Config, events: queue.Queue[StatusUpdate] | None = None) -> SaneScanner:
    """The scanner (not yet opened)."""
    sc = cfg.scanner
    if not sc.enabled:
        raise DeviceDisabled("the scanner", "scanner.enabled",
                             "本机没有配备扫描仪，请到窗口复印。")
    return SaneScanner(sc.device, resolution_dpi=sc.resolution_dpi, mode=sc.mode,
                       options=sc.options, timeout_s=sc.timeout_s, events=events)


def area(values: list[float]) -> ScanArea:
    """[left, top, width, height] from kiosk.toml (validated there) as a ScanArea."""
    left, top, width, height = values
    return ScanArea(width, height, left, top)
