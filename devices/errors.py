"""Device errors. They live here because devices/ must not import kiosk/.

    DeviceError
    ├── PrinterError        (devices.receipt_printer / document_printer add PaperOut, CoverOpen …)
    ├── ReaderError         (devices.id_reader adds FrameError, …)
    └── ScannerError

`kiosk.errors` re-exports DeviceError so callers can catch `(KioskError, DeviceError)`.
Each error names the port/URL/byte it concerns and carries a plain Chinese `citizen_message`.
"""

from __future__ import annotations


class DeviceError(Exception):
    """A device could not do what was asked."""

    citizen_message: str = "设备暂时无法使用，请联系大厅工作人员。"


class PrinterError(DeviceError):
    """A printer (receipt or A4) failed or refused a job."""

    citizen_message = "打印机暂时无法使用，请联系大厅工作人员。"


class ReaderError(DeviceError):
    """The ID card reader failed."""

    citizen_message = "身份证阅读器暂时无法使用，请联系大厅工作人员。"


class ScannerError(DeviceError):
    """The scanner failed."""

    citizen_message = "扫描仪暂时无法使用，请联系大厅工作人员。"
