"""The hall service (`kiosk hall serve`): one queue shared by a hall's kiosks, windows and
displays — API, event stream, PostgreSQL store, staff and kiosk authentication (docs/hall.md).

Imports neither pygame, screens/, devices/ nor kiosk.terminal (.importlinter checks it): it
runs on a mini PC with no devices of its own.
"""
