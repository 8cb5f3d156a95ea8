"""The deck writer: slides, a native chart, East Asian fonts, colours by RAG and band."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from planner.interop.pack_data import EA_FONT, RAG_FILL
from planner.interop.pptx_pack import write_pptx
from tests.unit.pack_sample import sample_pack, without_extras

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


def deck_of(pack):
    return Presentation(io.BytesIO(write_pptx(pack)))


def test_seven_slides_in_16_9_with_the_titles_of_the_pack() -> None:
    deck = deck_of(sample_pack())
    assert deck.slide_width == Inches(13.333) and deck.slide_height == Inches(7.5)
    titles = [s.shapes.title.text_frame.text if s.shapes.title else None for s in deck.slides]
    assert titles == [
        "华东 CRM 实施",  # the title slide's title placeholder holds the program
        "Phase timeline and RAG",
        "Milestones due and slipped",
        "Top risks",
        "Metrics against targets",
        "Gate status",
        "Gate 1 · 第一个100天 — Criteria",
    ]


def test_the_metrics_chart_is_native_and_skips_metrics_without_a_reading() -> None:
    deck = deck_of(sample_pack())
    charts = [shape.chart for shape in deck.slides[4].shapes if shape.has_chart]
    assert len(charts) == 1
    chart = charts[0]
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    plot = chart.plots[0]
    assert list(plot.categories) == ["活跃用户 Active users", "Junk orders"]
    assert chart.has_title and chart.chart_title.text_frame.text == "%"
    assert [s.name for s in plot.series] == ["Latest", "Target"]
    assert [list(s.values) for s in plot.series] == [[54.0, 4.0], [70.0, 5.0]]
    ea = chart._chartSpace.find(".//c:txPr//a:ea", {**NS, "c": chart._chartSpace.nsmap["c"]})
    assert ea is not None and ea.get("typeface") == EA_FONT


def test_one_small_chart_per_unit_and_tables_at_12_pt_or_more() -> None:
    from dataclasses import replace

    from planner.interop.pack_data import MetricRow

    pack = sample_pack()
    weekly = MetricRow("Opportunities per rep", "per week", 2.5, 4.0, "2.5", "4", "red", "红")
    deck = deck_of(replace(pack, metrics=(*pack.metrics, weekly)))
    charts = [shape.chart for shape in deck.slides[4].shapes if shape.has_chart]
    assert [c.chart_title.text_frame.text for c in charts] == ["%", "per week"]
    assert [list(c.plots[0].categories) for c in charts] == [
        ["活跃用户 Active users", "Junk orders"],
        ["Opportunities per rep"],
    ]
    sizes = [
        run.font.size.pt
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
        for paragraph in cell.text_frame.paragraphs
        for run in paragraph.runs
        if run.font.size is not None
    ]
    assert sizes and min(sizes) >= 12


def test_every_run_has_the_east_asian_font_and_the_language() -> None:
    deck = deck_of(sample_pack("zh"))
    runs = [r for slide in deck.slides for r in slide._element.iterfind(".//a:r", NS)]
    assert len(runs) > 100
    for run in runs:
        rpr = run.find("a:rPr", NS)
        assert rpr.find("a:ea", NS).get("typeface") == EA_FONT
        assert rpr.get("lang") == "zh-CN"
        children = [child.tag.split("}")[1] for child in rpr]
        assert children.index("latin") < children.index("ea")  # the schema's order
    english = deck_of(sample_pack("en"))
    run = next(english.slides[1]._element.iterfind(".//a:r", NS))
    assert run.find("a:rPr", NS).get("lang") == "en-US"


def test_the_theme_names_the_east_asian_font() -> None:
    deck = deck_of(sample_pack())
    theme = deck.slide_masters[0].part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    )
    assert f'<a:ea typeface="{EA_FONT}"/>'.encode() in theme.blob


def test_rag_and_band_colours_fill_the_cells() -> None:
    deck = deck_of(sample_pack())
    timeline = deck.slides[1]
    table = next(s.table for s in timeline.shapes if s.has_table)
    overall = table.cell(2, 7)  # phase 1 (amber), column "overall"
    assert str(overall.fill.fore_color.rgb) == RAG_FILL["amber"]
    bars = [s for s in timeline.shapes if s.shape_type == 1 and s.has_text_frame]  # autoshapes
    assert [b.text_frame.text for b in bars] == ["P0", "P1", "P2"]
    heat = [s.table for s in deck.slides[3].shapes if s.has_table][1]
    top_right = heat.cell(0, 5)  # likelihood 5, impact 5
    assert str(top_right.fill.fore_color.rgb) == "FFCDD2"
    assert top_right.text == str((5 * 5) % 3)


def test_an_empty_pack_still_makes_a_deck_that_says_so() -> None:
    deck = deck_of(without_extras(sample_pack()))
    assert len(deck.slides) == 6  # no upcoming gate criteria: no criteria slide
    assert not any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    texts = [
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    assert "none" in texts  # the missing label falls back to its key, never crashes
