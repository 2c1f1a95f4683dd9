"""Self-service kiosk for township government service halls: the application core.

`kiosk/` never imports pygame and does no device I/O of its own (the layer contracts in
.importlinter check the imports).
"""

__version__ = "0.1.0"
