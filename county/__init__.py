"""The county service: signed catalog publishing and fleet health (issue 18)."""
