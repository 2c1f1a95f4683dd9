"""The top of the layers: the `kiosk` command line, assembled from every part of the program.

Only this package may import all the others (screens, the hall service, the county service,
kiosk/), so the command line can offer `kiosk run`, `kiosk hall serve` and `kiosk ticket …`
side by side while the layers below keep their one-way arrows (.importlinter checks them).
"""
