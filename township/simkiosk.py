"""A simulated kiosk for `kiosk county demo`, the fleet tests and the bench: a real Terminal
(kiosk.bootstrap) whose receipt printer is the byte-accurate VirtualPrinter on a free port —
faults are injected on it as on the real thing (`fault("paper out")`) — and the fleet agent
over it, sending to a county (or hall) service. No UI. In township/ because it joins
devices/ (the simulator) and kiosk/."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from devices.sim.printer import VirtualPrinter
from kiosk import bootstrap
from kiosk.config import Config, parse_config
from kiosk.sync.agent import FleetAgent, Sources
from kiosk.sync.identity import Identity
from kiosk.sync.outbox import Outbox

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "assets" / "catalog" / "sample-catalog.json"


def sim_config(base: Path, printer_port: int, fleet_url: str, interval_s: int = 10,
               region: str = "000000000000", seed: Path = SAMPLE, update_root: str = "",
               update_url: str = "") -> Config:
    data: dict[str, Any] = {
        "hall": {"region_code": region},
        "receipt_printer": {"url": f"tcp://127.0.0.1:{printer_port}", "timeout_s": 2.0},
        "id_reader": {"enabled": False}, "document_printer": {"enabled": False},
        "scanner": {"enabled": False},
        "catalog": {"db": "var/catalog.sqlite", "seed": str(seed), "forms_dir": "var/forms",
                    "update_root": update_root, "update_url": update_url,
                    "update_stick": False},
        "fleet": {"url": fleet_url, "interval_s": interval_s},
        "logging": {"dir": "var/log"}}
    return parse_config(data, base_dir=str(base))


class SimKiosk:
    def __init__(self, base: Path, identity: Identity, fleet_url: str, interval_s: int = 10,
                 **config: Any) -> None:
        base.mkdir(parents=True, exist_ok=True)
        self.printer = VirtualPrinter(base / "receipts")
        self.cfg = sim_config(base, self.printer.start(), fleet_url, interval_s, **config)
        self.identity = identity
        self.terminal = bootstrap.terminal(self.cfg)
        self.outbox = Outbox(self.cfg.path(self.cfg.fleet.dir) / "outbox.sqlite")
        self.agent: FleetAgent | None = None

    def start(self) -> SimKiosk:
        from kiosk.catalog import open_store

        open_store(self.cfg).close()          # the seed catalog, as on a first start
        self.terminal.open()
        self.outbox.open()
        self.agent = FleetAgent(self.cfg, self.identity, self.outbox, Sources(
            reports=self.terminal.reports, today=self.terminal.usage.today,
            started_at=time.time()))
        self.agent.start()
        return self

    def fault(self, command: str) -> str:
        """A fault on the simulated printer's control channel: "paper out", "paper ok" …"""
        return self.printer.command(command)

    def close(self) -> None:
        if self.agent is not None:
            self.agent.stop()
        self.terminal.close()
        self.outbox.close()
        self.printer.stop()
