"""Device errors. They live here because devices/ must not import kiosk/.

    DeviceError
    ├── PrinterError        (devices.receipt_printer / document_printer add PaperOut, CoverOpen …)
    ├── ReaderError         (devices.id_reader adds FrameError, …)
    └── ScannerError

`kiosk.errors` re-exports DeviceError so callers can catch `(KioskError, DeviceError)`.
Each error names the port/URL/byte it concerns and carries a plain Chinese `citizen_message`
(the words are in devices/messages.py).
"""

from __future__ import annotations

from devices import messages


class DeviceError(Exception):
    """A device could not do what was asked."""

    citizen_message: str = messages.DEVICE


class PrinterError(DeviceError):
    """A printer (receipt or A4) failed or refused a job."""

    citizen_message = messages.PRINTER


class ReaderError(DeviceError):
    """The ID card reader failed."""

    citizen_message = messages.READER


class ScannerError(DeviceError):
    """The scanner failed."""

    citizen_message = messages.SCANNER
