"""The ID card reader's probe for `kiosk status` / maintenance mode, used when the kiosk is
not running (the running kiosk owns the port and reports from its own reader's status)."""

from __future__ import annotations

from kiosk.config import Config
from kiosk.maintenance.status import DeviceReport


def probe_id_reader(cfg: Config) -> DeviceReport:
    if not cfg.id_reader.enabled:
        return DeviceReport.disabled("id_reader")
    from devices.id_reader.reader import IdReader

    reader = IdReader(cfg.id_reader.port, cfg.id_reader.baudrate)
    reader.open(poll=False)
    try:
        st = reader.status()
    finally:
        reader.close()
    detail = f"{cfg.id_reader.port}; SAM {st.sam_id or '-'}; {st.detail}"
    return DeviceReport.of("id_reader", st.state, detail=detail)
