"""The county's side: signed catalog publishing (TUF), its keys, and the county service that
watches the fleet (docs/county.md).

county/ imports neither devices/, screens/, kiosk.terminal nor pygame: it runs on a county
server or a publisher's laptop that has no kiosk hardware.
"""
