"""The ID card copy page halls ask for: front above back, each at the card's true size
(ISO/IEC 7810 ID-1: 85.6 × 54 mm), centred on one A4 page, a gap between them for the
citizen's "仅供办理…使用" endorsement and signature."""

from __future__ import annotations

from pathlib import Path

from kiosk.copies.pages import Placement, pdf_pages

CARD_W_MM = 85.6
CARD_H_MM = 54.0
A4_W_MM = 210.0
TOP_MM = 50.0   # upper third, where a copy is usually stapled and endorsed below
GAP_MM = 30.0


def idcard_placements(front: Path, back: Path) -> list[Placement]:
    left = (A4_W_MM - CARD_W_MM) / 2
    return [
        Placement(front, left, TOP_MM, CARD_W_MM, CARD_H_MM),
        Placement(back, left, TOP_MM + CARD_H_MM + GAP_MM, CARD_W_MM, CARD_H_MM),
    ]


def idcard_copy_pdf(front: Path, back: Path) -> bytes:
    """One A4 page with both sides of the card at true size, as PDF bytes."""
    return pdf_pages([idcard_placements(front, back)], "身份证复印件")
