"""The RAID slide of the steering pack: open issues and decisions on the left, change
requests awaiting steering (with their impact) on the right. Content comes ready-worded
from :mod:`planner.services.pack_raid`; this only lays it out on a deck of
:mod:`planner.interop.pptx_pack`."""

from __future__ import annotations

from typing import Any

from pptx.util import Inches

from planner.interop.pptx_deck import MARGIN, NAVY, SLIDE_HEIGHT, SLIDE_WIDTH

GAP = Inches(0.3)


def _section(
    deck: Any,
    slide: Any,
    title: str,
    header: Any,
    rows: Any,
    none: str,
    left: int,
    top: int,
    width: int,
    widths: list[float],
) -> int:
    """A heading and its table (or "None."); returns the top of what follows."""
    deck.text(slide, title, left, top, width, Inches(0.4), 16, True, NAVY)
    top += Inches(0.45)
    if not rows:
        deck.text(slide, none, left, top, width, Inches(0.4), 13)
        return int(top + Inches(0.5))
    shape = deck.table(slide, list(header), [list(r) for r in rows], left, top, width, widths)
    return int(shape.top + shape.height + GAP)


def add_raid_slide(deck: Any, raid: Any) -> None:
    slide = deck.slide(raid.title)
    half = int((SLIDE_WIDTH - 2 * MARGIN - GAP) / 2)
    top = int(Inches(1.2))
    below = _section(
        deck,
        slide,
        raid.issues_title,
        raid.issue_header,
        raid.issues,
        raid.none,
        MARGIN,
        top,
        half,
        [3.4, 1.1, 1.4, 1.2],
    )
    if below < SLIDE_HEIGHT - Inches(1.5):
        _section(
            deck,
            slide,
            raid.decisions_title,
            raid.decision_header,
            raid.decisions,
            raid.none,
            MARGIN,
            below,
            half,
            [4.0, 1.4, 1.6],
        )
    _section(
        deck,
        slide,
        raid.changes_title,
        raid.change_header,
        raid.changes,
        raid.none,
        MARGIN + half + GAP,
        top,
        half,
        [2.8, 1.4, 2.8],
    )
