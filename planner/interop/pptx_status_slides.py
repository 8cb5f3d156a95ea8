"""The steering pack's status slides: top risks beside the 5×5 heat map, metrics against
their targets (native charts), gate status and the next gate's criteria."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

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
    solid_fill,
)

#: the heat map's cells: the likelihood labels' width, a cell's width and a row's height
_HEAT_LABEL_W: Final = Inches(1.5)
_HEAT_CELL: Final = Inches(0.72)
_HEAT_ROW: Final = Inches(0.62)
_INK: Final = RGBColor(0x11, 0x11, 0x11)


def risks_slide(deck: Deck) -> None:
    """The top risks on the left, the heat map of open risks on the right."""
    pack = deck.pack
    slide = deck.slide(pack.label("risks_title"))
    left_width = Inches(6.8)
    _risk_table(deck, slide, left_width)
    deck.text(
        slide,
        pack.label("open_risks_count"),
        MARGIN,
        Inches(6.4),
        left_width,
        Inches(0.4),
        11,
    )
    if pack.heat is None:
        return
    left = MARGIN + left_width + Inches(0.3)
    deck.text(
        slide, pack.label("heat_map"), left, Inches(1.2), Inches(5), Inches(0.4), 14, True, NAVY
    )
    top = Inches(1.7)
    _heat_table(deck, slide, left, top)
    _heat_caption_and_legend(deck, slide, left, top + _HEAT_ROW * 6 + Inches(0.1))


def _risk_table(deck: Deck, slide: Any, width: int) -> None:
    """The top risks with their score and band (the band cell in its colour)."""
    pack = deck.pack
    if not pack.risks:
        deck.text(slide, pack.label("no_open_risks"), MARGIN, Inches(1.3), width, Inches(0.4))
        return
    header = [pack.label("risk"), pack.label("l_x_i"), pack.label("band"), pack.label("response")]
    body = [
        [f"{r.key} {r.title}", f"{r.likelihood}×{r.impact} = {r.score}", r.band_label, r.response]
        for r in pack.risks
    ]
    fills = {(i, 2): r.band_fill for i, r in enumerate(pack.risks)}
    deck.table(slide, header, body, MARGIN, Inches(1.3), width, [3.8, 1.5, 1.1, 1.3], 10, fills)


def _heat_table(deck: Deck, slide: Any, left: int, top: int) -> None:
    """A 6×6 table: likelihood labels down the left (highest on top), impact numbers along
    the bottom, the count of open risks in each band-coloured cell."""
    pack = deck.pack
    heat = pack.heat
    assert heat is not None
    shape = slide.shapes.add_table(6, 6, left, top, _HEAT_LABEL_W + _HEAT_CELL * 5, _HEAT_ROW * 6)
    table = shape.table
    table.columns[0].width = _HEAT_LABEL_W
    for c in range(1, 6):
        table.columns[c].width = _HEAT_CELL
    for r in range(6):
        table.rows[r].height = _HEAT_ROW
    corner = f"{pack.label('likelihood')} ↑ / {pack.label('impact')} →"
    _label_cell(deck, table.cell(5, 0), corner)
    for row in range(5):
        likelihood = 5 - row  # top row = almost certain
        label = f"{likelihood} {heat.likelihood_labels[likelihood - 1]}"
        _label_cell(deck, table.cell(row, 0), label)
        for impact in range(1, 6):
            target = table.cell(row, impact)
            solid_fill(target, rgb(heat.fills[likelihood - 1][impact - 1]))
            target.vertical_anchor = MSO_ANCHOR.MIDDLE
            count = heat.counts[likelihood - 1][impact - 1]
            paragraph = target.text_frame.paragraphs[0]
            deck.style(paragraph, str(count) if count else "", 14, True, _INK, PP_ALIGN.CENTER)
    for impact in range(1, 6):
        # the number only: impact words do not fit a cell at a readable size; the
        # caption below the map names them
        _label_cell(deck, table.cell(5, impact), str(impact), True, PP_ALIGN.CENTER)


def _label_cell(deck: Deck, cell: Any, text: str, bold: bool = False, align: Any = None) -> None:
    solid_fill(cell, WHITE)
    deck.style(cell.text_frame.paragraphs[0], text, TABLE_PT, bold, align=align)


def _heat_caption_and_legend(deck: Deck, slide: Any, left: int, caption_top: int) -> None:
    """The impact words under the map, then a swatch per band."""
    heat = deck.pack.heat
    assert heat is not None
    deck.text(
        slide,
        f"{deck.pack.label('impact')}: "
        + " · ".join(f"{i} {name}" for i, name in enumerate(heat.impact_labels, start=1)),
        left,
        caption_top,
        _HEAT_LABEL_W + _HEAT_CELL * 5,
        Inches(0.6),
        TABLE_PT,
    )
    legend_top = caption_top + Inches(0.7)
    for i, (name, fill) in enumerate(heat.legend):
        swatch = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, left + Inches(1.2) * i, legend_top, Inches(1.1), Inches(0.32)
        )
        solid_fill(swatch, rgb(fill))
        swatch.line.color.rgb = RGBColor(0x88, 0x88, 0x88)
        deck.style(swatch.text_frame.paragraphs[0], name, 10, True, _INK, PP_ALIGN.CENTER)


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
