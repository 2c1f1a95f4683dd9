"""The shapes that travel between kiosk, hall and county: versioned, JSON-ready, stdlib only.

Imports nothing of ours (.importlinter checks it), so every side can depend on it.
"""
