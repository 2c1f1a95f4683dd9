"""Copies on A4: ID card copy pages and document copies, from scans to PDF."""
