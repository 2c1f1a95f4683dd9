"""What the hall display, the window screens and the evaluator show, as plain data fed from the
hall service's event stream: no pygame and no network here (screens/ draws a `Board`,
kiosk/calls/feed.py fills it)."""
