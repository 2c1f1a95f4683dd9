"""The kiosk's links to the county: signed catalog updates (update.py) and fleet health
(heartbeat outbox). Nothing here runs on the UI thread."""
