"""The steering pack's status slides: top risks beside the 5×5 heat map, metrics against
their targets (native charts), gate status and the next gate's criteria."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from planner.interop.pack_data import (
    RAG_FILL,
    rag_of,
)
from planner.interop.pptx_deck import (
    MARGIN,
    MAX_CHARTS,
    MAX_ROWS,
    NAVY,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    TABLE_PT,
    WHITE,
    Deck,
    rgb,
)


def risks_slide(deck: Deck) -> None:
    pack = deck.pack
    slide = deck.slide(pack.label("risks_title"))
    left_width = Inches(6.8)
    if pack.risks:
        header = [
            pack.label("risk"),
            pack.label("l_x_i"),
            pack.label("band"),
            pack.label("response"),
        ]
        body = [
            [
                f"{r.key} {r.title}",
                f"{r.likelihood}×{r.impact} = {r.score}",
                r.band_label,
                r.response,
            ]
            for r in pack.risks
        ]
        fills = {(i, 2): r.band_fill for i, r in enumerate(pack.risks)}
        deck.table(
            slide,
            header,
            body,
            MARGIN,
            Inches(1.3),
            left_width,
            [3.8, 1.5, 1.1, 1.3],
            10,
            fills,
        )
    else:
        deck.text(slide, pack.label("no_open_risks"), MARGIN, Inches(1.3), left_width, Inches(0.4))
    deck.text(
        slide,
        pack.label("open_risks_count"),
        MARGIN,
        Inches(6.4),
        left_width,
        Inches(0.4),
        11,
    )
    heat = pack.heat
    if heat is None:
        return
    left = MARGIN + left_width + Inches(0.3)
    cell = Inches(0.72)
    label_w = Inches(1.5)
    deck.text(
        slide, pack.label("heat_map"), left, Inches(1.2), Inches(5), Inches(0.4), 14, True, NAVY
    )
    top = Inches(1.7)
    shape = slide.shapes.add_table(6, 6, left, top, label_w + cell * 5, Inches(0.62) * 6)
    table = shape.table
    table.columns[0].width = label_w
    for c in range(1, 6):
        table.columns[c].width = cell
    for r in range(6):
        table.rows[r].height = Inches(0.62)
    corner = table.cell(5, 0)
    corner.fill.solid()
    corner.fill.fore_color.rgb = WHITE
    deck.style(
        corner.text_frame.paragraphs[0],
        f"{pack.label('likelihood')} ↑ / {pack.label('impact')} →",
        TABLE_PT,
    )
    for row in range(5):
        likelihood = 5 - row  # top row = almost certain
        label = table.cell(row, 0)
        label.fill.solid()
        label.fill.fore_color.rgb = WHITE
        deck.style(
            label.text_frame.paragraphs[0],
            f"{likelihood} {heat.likelihood_labels[likelihood - 1]}",
            TABLE_PT,
        )
        for impact in range(1, 6):
            target = table.cell(row, impact)
            target.fill.solid()
            target.fill.fore_color.rgb = rgb(heat.fills[likelihood - 1][impact - 1])
            target.vertical_anchor = MSO_ANCHOR.MIDDLE
            count = heat.counts[likelihood - 1][impact - 1]
            deck.style(
                target.text_frame.paragraphs[0],
                str(count) if count else "",
                14,
                True,
                RGBColor(0x11, 0x11, 0x11),
                PP_ALIGN.CENTER,
            )
    for impact in range(1, 6):
        label = table.cell(5, impact)
        label.fill.solid()
        label.fill.fore_color.rgb = WHITE
        # the number only: impact words do not fit a cell at a readable size; the
        # caption below the map names them
        deck.style(
            label.text_frame.paragraphs[0], str(impact), TABLE_PT, True, align=PP_ALIGN.CENTER
        )
    caption_top = top + Inches(0.62) * 6 + Inches(0.1)
    deck.text(
        slide,
        f"{pack.label('impact')}: "
        + " · ".join(f"{i} {name}" for i, name in enumerate(heat.impact_labels, start=1)),
        left,
        caption_top,
        label_w + cell * 5,
        Inches(0.6),
        TABLE_PT,
    )
    legend_top = caption_top + Inches(0.7)
    for i, (name, fill) in enumerate(heat.legend):
        swatch = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, left + Inches(1.2) * i, legend_top, Inches(1.1), Inches(0.32)
        )
        swatch.fill.solid()
        swatch.fill.fore_color.rgb = rgb(fill)
        swatch.line.color.rgb = RGBColor(0x88, 0x88, 0x88)
        deck.style(
            swatch.text_frame.paragraphs[0],
            name,
            10,
            True,
            RGBColor(0x11, 0x11, 0x11),
            PP_ALIGN.CENTER,
        )


def metrics_slide(deck: Deck) -> None:
    pack = deck.pack
    slide = deck.slide(pack.label("metrics_title"))
    charted = pack.charted_metrics
    chart_width = Inches(7.2)
    groups: dict[str, list[Any]] = {}
    for metric in charted:
        groups.setdefault(metric.unit, []).append(metric)
    units = list(groups.items())[:MAX_CHARTS]
    if units:
        # one small chart per unit: a percentage never shares an axis with "per week"
        columns = 1 if len(units) == 1 else 2
        rows_of_charts = (len(units) + columns - 1) // columns
        cell_w = chart_width // columns
        cell_h = Inches(5.6) // rows_of_charts
        for i, (unit, metrics) in enumerate(units):
            left = MARGIN + cell_w * (i % columns)
            top = Inches(1.2) + cell_h * (i // columns)
            _metric_chart(deck, slide, unit, metrics, left, top, cell_w, cell_h)
    else:
        deck.text(slide, pack.label("no_readings"), MARGIN, Inches(1.3), chart_width, Inches(0.5))
    left = MARGIN + chart_width + Inches(0.3)
    width = SLIDE_WIDTH - left - MARGIN
    rows = pack.metrics[:10]
    if rows:
        header = [
            pack.label("metric"),
            pack.label("latest"),
            pack.label("target"),
            pack.label("status"),
        ]
        body = [[m.name, m.latest_text, m.target_text, m.rag_label] for m in rows]
        fills = {(i, 3): RAG_FILL[rag_of(m.rag)] for i, m in enumerate(rows)}
        deck.table(slide, header, body, left, Inches(1.3), width, [2.6, 1.0, 1.0, 1.0], 12, fills)


def _metric_chart(
    deck: Deck,
    slide: Any,
    unit: str,
    metrics: Sequence[Any],
    left: int,
    top: int,
    width: int,
    height: int,
) -> None:
    """A native clustered bar chart of one unit's metrics: latest beside target."""
    pack = deck.pack
    data = CategoryChartData()
    data.categories = [m.name for m in metrics]
    data.add_series(pack.label("latest"), [m.latest for m in metrics])
    data.add_series(pack.label("target"), [m.target for m in metrics])
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, left, top, width - Inches(0.1), height - Inches(0.1), data
    )
    chart = frame.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = unit or "#"
    title_run = chart.chart_title.text_frame.paragraphs[0].runs[0]
    title_run.font.size = Pt(14)
    title_run.font.bold = True
    deck.fonts(title_run._r.get_or_add_rPr())
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.size = Pt(12)
    deck.fonts(chart.font._rPr)
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.font.size = Pt(11)
    plot.data_labels.number_format = "0.##"
    plot.data_labels.number_format_is_linked = False
    for series, colour in zip(plot.series, ("1F4E79", "B0BEC5"), strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(colour)
    chart.category_axis.reverse_order = True
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.minimum_scale = 0


def gates_slide(deck: Deck) -> None:
    pack = deck.pack
    slide = deck.slide(pack.label("gates_title"))
    width = SLIDE_WIDTH - 2 * MARGIN
    header = [
        pack.label("gate"),
        pack.label("date"),
        pack.label("evaluation"),
        pack.label("criteria"),
        pack.label("decision"),
    ]
    body = [
        [g.label, pack.format_day(g.day), g.overall_label, g.summary, g.decision or "—"]
        for g in pack.gates
    ]
    fills = {(i, 2): RAG_FILL[rag_of(g.overall)] for i, g in enumerate(pack.gates)}
    shape = deck.table(
        slide, header, body, MARGIN, Inches(1.2), width, [3.0, 1.3, 1.3, 3.6, 2.6], 12, fills
    )
    top = shape.top + shape.height + Inches(0.3)
    deck.text(slide, pack.label("decisions_title"), MARGIN, top, width, Inches(0.4), 16, True, NAVY)
    decisions = list(pack.decisions) or [pack.label("no_decisions")]
    if pack.evidence:  # the gates' evidence files (planner/services/pack_notify.py)
        decisions += [f"{pack.extra.get('evidence_title', '')}: {e}" for e in pack.evidence]
    deck.text(
        slide,
        decisions[:8],
        MARGIN,
        top + Inches(0.45),
        width,
        SLIDE_HEIGHT - top - Inches(1.0),
        13,
        bullets=bool(pack.decisions or pack.evidence),
    )


def criteria_slide(deck: Deck) -> None:
    """The next gate's criteria, each with its outcome and the reason."""
    pack = deck.pack
    gate = next((g for g in pack.gates if g.upcoming and g.criteria), None)
    if gate is None:
        return
    slide = deck.slide(f"{gate.label} — {pack.label('criteria')}")
    header = [pack.label("criteria"), pack.label("evaluation"), pack.label("reason")]
    rows = gate.criteria[:MAX_ROWS]
    body = [[c.text, c.outcome_label, c.reason] for c in rows]
    fills = {(i, 1): RAG_FILL[rag_of(c.outcome)] for i, c in enumerate(rows)}
    width = SLIDE_WIDTH - 2 * MARGIN
    deck.table(slide, header, body, MARGIN, Inches(1.2), width, [4.2, 1.2, 6.9], 10, fills)
