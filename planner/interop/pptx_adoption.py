"""The pack's adoption slide in PowerPoint: the lagging team and module, then the team ×
module matrix as a native table coloured by tier status (built with the deck's own blocks)."""

from __future__ import annotations

from pptx.util import Inches

from planner.interop.pack_data import RAG_FILL, AdoptionSlide
from planner.interop.pptx_deck import MARGIN, NAVY, SLIDE_WIDTH, Deck


def add_adoption_slide(deck: Deck, data: AdoptionSlide) -> None:
    """Add the slide to ``deck``."""
    slide = deck.slide(data.title)
    width = SLIDE_WIDTH - 2 * MARGIN
    deck.text(slide, data.lagging, MARGIN, Inches(1.1), width, Inches(0.4), 14, True, NAVY)
    fills = {
        (r, c): RAG_FILL[status]
        for r, row in enumerate(data.statuses)
        for c, status in enumerate(row)
        if status in ("green", "amber", "red")
    }
    widths = [2.0] + [1.0] * (len(data.header) - 1)
    shape = deck.table(slide, data.header, data.rows, MARGIN, Inches(1.6), width, widths, 10, fills)
    deck.text(
        slide, data.note, MARGIN, shape.top + shape.height + Inches(0.15), width, Inches(0.5), 11
    )
