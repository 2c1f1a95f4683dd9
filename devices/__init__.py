"""Drivers that talk to hardware, each behind a small interface.

`devices/` never imports `kiosk/` or `screens/`: the arrows point screens → kiosk → devices.
"""
