"""The steering-committee pack as an editable PowerPoint deck (python-pptx).

Six or seven slides, 16:9, everything native and editable (text boxes, tables, shapes, one chart):

1. title: the program, the client, the date and the overall RAG;
2. phase timeline and RAG: one bar per phase (coloured by its RAG, today marked) over a
   table of each phase's window, progress and schedule / metrics / risks RAG;
3. milestones due in the coming weeks and milestones that slipped;
4. top risks beside the 5×5 heat map (a table whose cells are coloured by rating band);
5. metrics against their targets: a native clustered bar chart (latest vs target) and a
   table with each metric's status;
6. gate status and the decisions requested of the committee;
7. the next gate's criteria with their outcome and reason (when it has criteria).

Chinese: ``Font.name`` sets only the Latin typeface, so every run (and the chart's text)
also gets an East Asian typeface (``a:ea``, :data:`~planner.interop.pack_data.EA_FONT`)
and the language tag of the pack; the theme's fonts get the same East Asian typeface.
"""

from __future__ import annotations

import io

from planner.interop.pack_data import Pack
from planner.interop.pptx_adoption import add_adoption_slide
from planner.interop.pptx_deck import SLIDE_HEIGHT, SLIDE_WIDTH, Deck
from planner.interop.pptx_plan_slides import (
    gantt_slide,
    milestones_slide,
    since_slide,
    timeline_slide,
    title_slide,
)
from planner.interop.pptx_raid import add_raid_slide
from planner.interop.pptx_status_slides import (
    criteria_slide,
    gates_slide,
    metrics_slide,
    risks_slide,
)

__all__ = ["SLIDE_HEIGHT", "SLIDE_WIDTH", "write_pptx"]


def write_pptx(pack: Pack) -> bytes:
    """The pack as a .pptx file (six slides; see the module notes)."""
    deck = Deck(pack)
    for slide in (title_slide, since_slide, timeline_slide, gantt_slide, milestones_slide):
        slide(deck)
    risks_slide(deck)
    metrics_slide(deck)
    if pack.adoption is not None:
        add_adoption_slide(deck, pack.adoption)
    gates_slide(deck)
    criteria_slide(deck)
    for extra in pack.slides:  # the areas' slides: money and workload (issue 23)
        deck.table_slide(extra)
    if pack.raid is not None:
        add_raid_slide(deck, pack.raid)
    out = io.BytesIO()
    deck.prs.save(out)
    return out.getvalue()
