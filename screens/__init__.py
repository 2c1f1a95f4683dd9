"""The pygame UI: a screen stack, widgets, the theme, one module per screen.

Only screens/ imports pygame. Screens ask kiosk/ to do things and get results back as events.
"""
