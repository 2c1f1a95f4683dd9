"""Maintenance mode for hall staff: PIN gate, hidden-corner gesture, status and actions."""
