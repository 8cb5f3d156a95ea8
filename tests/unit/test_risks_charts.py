"""Risk chart builders: band-coloured heat map with counts and links, exposure trend."""

from __future__ import annotations

import json

import pytest

from planner.charts.risks import (
    TrendPoint,
    band_palette_index,
    band_styles,
    exposure_trend_figure,
    heat_map_figure,
)
from planner.domain.risk import RiskSnapshot, band_matrix, heat_map

BANDS = ["low", "medium", "high", "critical"]
LABELS = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}


@pytest.mark.parametrize(
    ("count", "slots"),
    [(1, [0]), (2, [0, 3]), (3, [0, 2, 3]), (4, [0, 1, 2, 3]), (5, [0, 1, 2, 3, 4])],
)
def test_palette_runs_from_green_to_red(count: int, slots: list[int]) -> None:
    assert [band_palette_index(rank, count) for rank in range(count)] == slots


def test_band_styles_have_css_and_colours() -> None:
    styles = band_styles(BANDS)
    assert [s.css for s in styles.values()] == ["band-c0", "band-c1", "band-c2", "band-c3"]
    assert len({s.fill for s in styles.values()}) == 4


def figure(**kwargs):
    risks = [
        RiskSnapshot("R-1", "t", inherent_likelihood=4, inherent_impact=5),
        RiskSnapshot("R-2", "t", inherent_likelihood=4, inherent_impact=5),
        RiskSnapshot("R-3", "t", inherent_likelihood=1, inherent_impact=2),
        RiskSnapshot("R-4", "t", "closed", inherent_likelihood=5, inherent_impact=5),
    ]
    args = {
        "band_names": BANDS,
        "band_labels": LABELS,
        "likelihood_labels": ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
        "impact_labels": ["Negligible", "Minor", "Moderate", "Major", "Severe"],
        "title": "Inherent",
        "x_title": "Impact",
        "y_title": "Likelihood",
        "hover": "L%(likelihood)d I%(impact)d %(band)s: %(count)d",
    }
    args.update(kwargs)
    return heat_map_figure(heat_map(risks, "inherent"), band_matrix(), **args)


def test_heat_map_cells_coloured_by_band_with_counts() -> None:
    fig = figure()
    (trace,) = fig["data"]
    assert trace["type"] == "heatmap"
    # z holds the band rank of each cell, [likelihood-1][impact-1]
    assert trace["z"][0][0] == 0 and trace["z"][4][4] == 3 and trace["z"][3][4] == 3
    assert trace["text"][3][4] == "2"  # two open risks at likelihood 4 × impact 5
    assert trace["text"][0][1] == "1"
    assert trace["text"][4][4] == ""  # the closed risk is not counted
    assert trace["hovertext"][3][4] == "L4 I5 Critical: 2"
    # discrete colour scale: each band one flat colour over its rank
    assert trace["zmin"] == -0.5 and trace["zmax"] == 3.5
    assert [c[1] for c in trace["colorscale"]][::2] == [s.fill for s in band_styles(BANDS).values()]
    assert fig["layout"]["yaxis"]["ticktext"][4] == "Almost certain 5"
    assert fig["layout"]["shapes"] == []
    json.dumps(fig)  # plain data only


def test_heat_map_links_each_cell_and_outlines_the_selected_one() -> None:
    urls = [[f"/r?cell={lk}-{im}" for im in range(1, 6)] for lk in range(1, 6)]
    fig = figure(cell_urls=urls, selected=(4, 5))
    assert fig["data"][0]["customdata"][3][4] == "/r?cell=4-5"
    (shape,) = fig["layout"]["shapes"]
    assert (shape["x0"], shape["x1"], shape["y0"], shape["y1"]) == (4.5, 5.5, 3.5, 4.5)


def test_exposure_trend_one_bar_trace_per_band_and_a_total_line() -> None:
    points = [
        TrendPoint("2026-01-05", {"low": 1, "medium": 2, "high": 0, "critical": 1}, 30),
        TrendPoint("2026-02-16", {"low": 2, "medium": 1, "high": 1, "critical": 0}, 22),
    ]
    fig = exposure_trend_figure(
        points,
        band_names=BANDS,
        band_labels=LABELS,
        title="Exposure",
        count_title="Open risks",
        score_title="Score",
        total_name="Total",
    )
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["Low", "Medium", "High", "Critical"]
    assert bars[3]["y"] == [1, 0]
    (line,) = [t for t in fig["data"] if t["type"] == "scatter"]
    assert line["y"] == [30, 22] and line["yaxis"] == "y2"
    assert fig["layout"]["barmode"] == "stack"
    assert fig["data"][0]["x"] == ["2026-01-05", "2026-02-16"]
