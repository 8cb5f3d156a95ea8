"""The steering pack's plan slides: title, what changed since the last pack, the phase
timeline with its RAG table, milestones due and slipped."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any, Final

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from planner.interop.pack_data import (
    RAG_FILL,
    RAG_TEXT,
    MilestoneRow,
    PhaseRow,
    rag_of,
)
from planner.interop.pptx_deck import (
    MARGIN,
    MAX_ROWS,
    NAVY,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    WHITE,
    Deck,
    rgb,
    solid_fill,
)
from planner.interop.text_measure import text_width


def title_slide(deck: Deck) -> None:
    """The "Title Slide" layout: the program in the title placeholder (what outlines,
    screen readers and slide sorters read), the pack's title and subtitle below it."""
    pack = deck.pack
    slide = deck.prs.slides.add_slide(deck.prs.slide_layouts[0])  # title slide
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(2.1), SLIDE_WIDTH, Inches(2.6))
    band.fill.solid()
    band.fill.fore_color.rgb = NAVY
    band.line.fill.background()
    # the band goes behind the placeholders
    tree = slide.shapes._spTree
    tree.remove(band._element)
    tree.insert(2, band._element)
    heading = slide.shapes.title
    heading.left, heading.top = MARGIN, Inches(2.8)
    heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, Inches(1.1)
    heading.text_frame.word_wrap = True
    deck.style(heading.text_frame.paragraphs[0], pack.program, 36, True, WHITE, PP_ALIGN.LEFT)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top = MARGIN, Inches(3.9)
    subtitle.width, subtitle.height = SLIDE_WIDTH - 2 * MARGIN, Inches(0.7)
    deck.style(subtitle.text_frame.paragraphs[0], pack.subtitle, 18, False, WHITE, PP_ALIGN.LEFT)
    deck.text(
        slide,
        pack.title,
        MARGIN,
        Inches(2.25),
        SLIDE_WIDTH - 2 * MARGIN,
        Inches(0.6),
        20,
        False,
        WHITE,
    )
    rag = rag_of(pack.headline_rag)
    badge = slide.shapes.add_shape(
        MSO_SHAPE.ROUNDED_RECTANGLE, MARGIN, Inches(5.2), Inches(3.2), Inches(0.8)
    )
    badge.fill.solid()
    badge.fill.fore_color.rgb = rgb(RAG_FILL[rag])
    badge.line.fill.background()
    deck.style(
        badge.text_frame.paragraphs[0],
        pack.headline_label,
        20,
        True,
        rgb(RAG_TEXT[rag]),
        PP_ALIGN.CENTER,
    )
    deck.text(
        slide,
        pack.headline_text,
        MARGIN + Inches(3.5),
        Inches(5.2),
        Inches(8.5),
        Inches(1.2),
        14,
    )


def since_slide(deck: Deck) -> None:
    """What moved since the latest steering review (only when there was one)."""
    pack = deck.pack
    if not pack.since_title:
        return
    slide = deck.slide(pack.since_title)
    deck.text(
        slide,
        list(pack.since[:12]),
        MARGIN,
        Inches(1.3),
        SLIDE_WIDTH - 2 * MARGIN,
        SLIDE_HEIGHT - Inches(2.0),
        16,
        bullets=True,
    )


#: the timeline's bars: their top and height
_BARS_TOP: Final = Inches(1.3)
_BAR_HEIGHT: Final = Inches(0.75)
#: the columns of the phase table under the bars (widths in inches)
_PHASE_COLUMNS: Final = (
    ("phase", 3.4),
    ("window", 2.4),
    ("state", 1.2),
    ("progress", 1.2),
    ("schedule", 1.3),
    ("metrics", 1.3),
    ("risks", 1.2),
    ("overall", 1.2),
)


def timeline_slide(deck: Deck) -> None:
    """The phases as RAG-coloured bars with today marked, their RAG table below, and why
    the current phase stands where it does."""
    pack = deck.pack
    slide = deck.slide(pack.label("timeline_title"))
    left, width = MARGIN, SLIDE_WIDTH - 2 * MARGIN
    span = max((pack.timeline_end - pack.timeline_start).days + 1, 1)

    def x(day: dt.date) -> int:
        offset = min(max((day - pack.timeline_start).days, 0), span)
        return int(left + width * offset / span)

    for phase in pack.phases:
        _phase_bar(deck, slide, phase, x(phase.start), x(phase.end + dt.timedelta(days=1)))
    if pack.timeline_start <= pack.day <= pack.timeline_end:
        _today_marker(deck, slide, x(pack.day))
    shape = _phase_table(deck, slide, left, width)
    current = next((p for p in pack.phases if p.state == "current"), None)
    if current is not None and current.reasons:
        # below the table's measured height, above the footer
        top = shape.top + shape.height + Inches(0.15)
        height = max(SLIDE_HEIGHT - Inches(0.5) - top, Inches(0.4))
        deck.text(slide, list(current.reasons)[:3], left, top, width, height, 11, bullets=True)


def _phase_bar(deck: Deck, slide: Any, phase: PhaseRow, start: int, end: int) -> None:
    """A phase's bar in its RAG colour, its name inside when it fits."""
    bar = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, start, _BARS_TOP, max(end - start, Inches(0.2)), _BAR_HEIGHT
    )
    rag = rag_of(phase.rag)
    solid_fill(bar, rgb(RAG_FILL[rag]))
    bar.line.color.rgb = WHITE
    frame = bar.text_frame
    frame.word_wrap = True
    inches = (end - start) / Inches(1)
    label = next(
        (t for t in (phase.bar_label, phase.short) if t and text_width(t, 12) < inches * 66),
        "",
    )  # measured in points (72 a inch, less the frame's margins); else the table names it
    deck.style(frame.paragraphs[0], label, 12, True, rgb(RAG_TEXT[rag]), PP_ALIGN.CENTER)


def _today_marker(deck: Deck, slide: Any, at: int) -> None:
    """A line across the bars at today, the date under it."""
    pack = deck.pack
    top = _BARS_TOP
    line = slide.shapes.add_connector(
        MSO_CONNECTOR.STRAIGHT, at, top - Inches(0.15), at, top + Inches(0.9)
    )
    line.line.color.rgb = RGBColor(0x11, 0x11, 0x11)
    line.line.width = Pt(2.5)
    label = f"{pack.label('today')} {pack.format_day(pack.day)}"
    deck.text(slide, label, at - Inches(0.9), top + Inches(0.9), Inches(1.8), Inches(0.3), 10)


def _phase_table(deck: Deck, slide: Any, left: int, width: int) -> Any:
    """A row a phase: its window, state, progress and each RAG (in its colour)."""
    pack = deck.pack
    header = [pack.label(name) for name, _ in _PHASE_COLUMNS]
    rag_names = {k: pack.label(f"rag_{k}") for k in RAG_FILL}
    rows, fills = [], {}
    for r, phase in enumerate(pack.phases):
        rags = (phase.schedule_rag, phase.metrics_rag, phase.risks_rag)
        rows.append(
            [
                phase.label,
                f"{pack.format_day(phase.start)} – {pack.format_day(phase.end)}",
                phase.state_label,
                f"{phase.progress:.0f}%",
                *(rag_names[rag_of(value)] for value in rags),
                phase.rag_label,
            ]
        )
        for c, value in enumerate((*rags, phase.rag), start=4):
            fills[(r, c)] = RAG_FILL[rag_of(value)]
    columns = [w for _, w in _PHASE_COLUMNS]
    return deck.table(slide, header, rows, left, Inches(2.5), width, columns, 12, fills)


def gantt_slide(deck: Deck) -> None:
    """The Gantt page's chart as a picture (drawn by planner.charts.gantt_render)."""
    gantt = deck.pack.gantt
    if gantt is None:
        return
    from planner.charts.gantt_render import to_png

    slide = deck.slide(gantt.title)
    scene = gantt.scene
    top, bottom = Inches(1.15), SLIDE_HEIGHT - Inches(0.95)
    width = SLIDE_WIDTH - 2 * MARGIN
    height = int(width * scene.height / scene.width)
    if height > bottom - top:  # a tall chart: fit the height, keep the proportions
        height = bottom - top
        width = int(height * scene.width / scene.height)
    picture = slide.shapes.add_picture(
        io.BytesIO(to_png(scene, scale=2)), MARGIN, top, width, height
    )
    picture.name = gantt.title
    note_top = top + height + Inches(0.08)
    deck.text(slide, gantt.note, MARGIN, note_top, SLIDE_WIDTH - 2 * MARGIN, Inches(0.4), 11)


def milestones_slide(deck: Deck) -> None:
    pack = deck.pack
    slide = deck.slide(pack.label("milestones_title"))
    half = (SLIDE_WIDTH - 2 * MARGIN - Inches(0.3)) // 2
    left2 = MARGIN + half + Inches(0.3)
    deck.text(
        slide, pack.label("due_title"), MARGIN, Inches(1.2), half, Inches(0.4), 16, True, NAVY
    )
    deck.text(
        slide,
        pack.label("slipped_title"),
        left2,
        Inches(1.2),
        half,
        Inches(0.4),
        16,
        True,
        NAVY,
    )
    _milestone_table(deck, slide, pack.due[:MAX_ROWS], MARGIN, half, slipped=False)
    _milestone_table(deck, slide, pack.slipped[:MAX_ROWS], left2, half, slipped=True)


def _milestone_table(
    deck: Deck, slide: Any, rows: Sequence[MilestoneRow], left: int, width: int, slipped: bool
) -> None:
    pack = deck.pack
    top = Inches(1.7)
    if not rows:
        deck.text(slide, pack.label("none"), left, top, width, Inches(0.4), 12)
        return
    if slipped:
        header = [
            pack.label("milestone"),
            pack.label("forecast"),
            pack.label("baseline"),
            pack.label("slip_days"),
        ]
        body = [
            [
                f"{m.name} ({m.phase})",
                pack.format_day(m.forecast),
                pack.format_day(m.baseline),
                _slip(m),
            ]
            for m in rows
        ]
        fills = {(r, 3): RAG_FILL["red"] for r in range(len(body))}
        deck.table(slide, header, body, left, top, width, [4.2, 1.5, 1.5, 1.3], 10, fills)
    else:
        header = [pack.label("milestone"), pack.label("phase"), pack.label("forecast")]
        body = [[m.name, m.phase, pack.format_day(m.forecast)] for m in rows]
        deck.table(slide, header, body, left, top, width, [4.2, 2.3, 1.5], 10)


def _slip(row: MilestoneRow) -> str:
    days = row.slip_days if row.slip_days is not None else row.past_phase_end
    return f"+{days}" if days is not None else "—"
