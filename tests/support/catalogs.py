"""The test catalogs (in tests/data: the kiosk itself never falls back to them)."""

from __future__ import annotations

from pathlib import Path

MINI_CATALOG = Path(__file__).resolve().parents[1] / "data" / "mini-catalog.json"
