"""Maintenance mode for hall staff: PIN entry, the status panel, staff actions."""
