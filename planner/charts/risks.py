"""Risk charts: the 5×5 heat map (band-coloured cells with counts) and the exposure trend.

Builders take plain data (counts, band names, labels already translated) and return plotly
figures as dicts; no database access, no Flask.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

# green → yellow → orange → red → purple; light tints for cells, strong shades for marks
_FILLS: Final = ("#c8e6c9", "#fff3b0", "#ffd8a8", "#ffcdd2", "#e1bee7")
_STRONG: Final = ("#2e7d32", "#b8860b", "#d9650b", "#c62828", "#6a1b9a")


def band_palette_index(rank: int, count: int) -> int:
    """Palette slot of the band of ``rank`` (0 = lowest) among ``count`` bands.

    >>> [band_palette_index(r, 4) for r in range(4)]
    [0, 1, 2, 3]
    >>> [band_palette_index(r, 3) for r in range(3)], band_palette_index(0, 1)
    ([0, 2, 3], 0)
    """
    if count <= 1:
        return 0
    top = 3 if count <= 4 else len(_FILLS) - 1
    return min(round(rank * top / (count - 1) + 1e-9), len(_FILLS) - 1)


@dataclass(frozen=True)
class BandStyle:
    """How a band looks: a CSS class suffix, a light fill and a strong colour."""

    slot: int
    fill: str
    strong: str

    @property
    def css(self) -> str:
        return f"band-c{self.slot}"


def band_styles(band_names: Sequence[str]) -> dict[str, BandStyle]:
    """A style per band, lowest band green, highest red.

    >>> band_styles(["low", "medium", "high", "critical"])["critical"].css
    'band-c3'
    """
    styles = {}
    for rank, name in enumerate(band_names):
        slot = band_palette_index(rank, len(band_names))
        styles[name] = BandStyle(slot, _FILLS[slot], _STRONG[slot])
    return styles


def heat_map_figure(
    counts: Sequence[Sequence[int]],
    cell_bands: Sequence[Sequence[str]],
    *,
    band_names: Sequence[str],
    band_labels: Mapping[str, str],
    likelihood_labels: Sequence[str],
    impact_labels: Sequence[str],
    title: str,
    x_title: str,
    y_title: str,
    hover: str = "%(count)d",
    cell_urls: Sequence[Sequence[str]] | None = None,
    selected: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """A 5×5 heat map: cells coloured by band, the count of risks written in each.

    ``counts`` and ``cell_bands`` are indexed ``[likelihood - 1][impact - 1]``;
    ``cell_urls`` (same shape) are where a click on a cell leads (the register filtered to
    it); ``selected`` is the ``(likelihood, impact)`` cell outlined as the active filter.
    ``hover`` is a %-format with ``count``, ``likelihood``, ``impact`` and ``band``.
    """
    levels = range(1, 6)
    rank = {name: index for index, name in enumerate(band_names)}
    trace: dict[str, Any] = {
        "type": "heatmap",
        "name": title,
        "x": list(levels),
        "y": list(levels),
        "z": _grid(lambda lk, im: rank[cell_bands[lk - 1][im - 1]]),
        "zmin": -0.5,
        "zmax": len(band_names) - 0.5,
        "colorscale": _band_colorscale(band_names),
        "showscale": False,
        "text": _grid(lambda lk, im: str(counts[lk - 1][im - 1] or "")),
        "texttemplate": "%{text}",
        "textfont": {"size": 18, "color": "#1a1a1a"},
        "hovertext": _hover_texts(hover, counts, cell_bands, band_labels),
        "hovertemplate": "%{hovertext}<extra></extra>",
        "xgap": 3,
        "ygap": 3,
    }
    if cell_urls is not None:
        trace["customdata"] = _grid(lambda lk, im: cell_urls[lk - 1][im - 1])
    layout = _heat_map_layout(title, x_title, y_title, likelihood_labels, impact_labels, selected)
    return {"data": [trace], "layout": layout, "config": {"displayModeBar": False}}


def _grid(value: Callable[[int, int], Any]) -> list[list[Any]]:
    """The 5×5 ``value(likelihood, impact)``, a row per likelihood."""
    return [[value(lk, im) for im in range(1, 6)] for lk in range(1, 6)]


def _hover_texts(
    hover: str,
    counts: Sequence[Sequence[int]],
    cell_bands: Sequence[Sequence[str]],
    band_labels: Mapping[str, str],
) -> list[list[str]]:
    def text(lk: int, im: int) -> str:
        band = cell_bands[lk - 1][im - 1]
        values = {"count": counts[lk - 1][im - 1], "likelihood": lk, "impact": im}
        return hover % {**values, "band": band_labels.get(band, band)}

    return _grid(text)


def _band_colorscale(band_names: Sequence[str]) -> list[list[Any]]:
    """A discrete colour scale: each band's rank (0, 1, ...) maps to the band's fill."""
    styles = band_styles(band_names)
    n = len(band_names)
    colorscale: list[list[Any]] = []
    for index, name in enumerate(band_names):
        colorscale.append([index / n, styles[name].fill])
        colorscale.append([(index + 1) / n, styles[name].fill])
    return colorscale


def _heat_map_layout(
    title: str,
    x_title: str,
    y_title: str,
    likelihood_labels: Sequence[str],
    impact_labels: Sequence[str],
    selected: tuple[int, int] | None,
) -> dict[str, Any]:
    """Impact across, likelihood up, each tick with its number and words; the selected
    cell outlined."""
    levels = range(1, 6)
    return {
        "title": {"text": title, "font": {"size": 15}},
        "xaxis": _cell_axis({"text": x_title}, [f"{i}<br>{impact_labels[i - 1]}" for i in levels]),
        "yaxis": _cell_axis(
            {"text": y_title, "standoff": 12},
            [f"{likelihood_labels[i - 1]} {i}" for i in levels],
        ),
        "shapes": [] if selected is None else [_selected_outline(*selected)],
        "margin": {"l": 130, "r": 10, "t": 40, "b": 70},
        "height": 400,
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
    }


def _cell_axis(title: dict[str, Any], ticktext: list[str]) -> dict[str, Any]:
    """An axis of the five levels, fixed (the map neither zooms nor pans)."""
    return {
        "title": title,
        "tickvals": list(range(1, 6)),
        "ticktext": ticktext,
        "fixedrange": True,
        "showgrid": False,
        "zeroline": False,
    }


def _selected_outline(lk: int, im: int) -> dict[str, Any]:
    return {
        "type": "rect",
        "xref": "x",
        "yref": "y",
        "x0": im - 0.5,
        "x1": im + 0.5,
        "y0": lk - 0.5,
        "y1": lk + 0.5,
        "line": {"color": "#1f4e79", "width": 4},
    }


@dataclass(frozen=True)
class TrendPoint:
    """One date of the exposure trend: its axis label, counts and total score."""

    label: str
    counts_by_band: Mapping[str, int]
    total_score: int


def exposure_trend_figure(
    points: Sequence[TrendPoint],
    *,
    band_names: Sequence[str],
    band_labels: Mapping[str, str],
    title: str,
    count_title: str,
    score_title: str,
    total_name: str,
) -> dict[str, Any]:
    """Stacked bars: open risks per band at each date; a line: their total residual score."""
    styles = band_styles(band_names)
    labels = [p.label for p in points]
    most = max((sum(p.counts_by_band.values()) for p in points), default=0)
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": band_labels.get(name, name),
            "x": labels,
            "y": [p.counts_by_band.get(name, 0) for p in points],
            "marker": {"color": styles[name].strong},
            "hovertemplate": "%{x}: %{y}<extra>" + band_labels.get(name, name) + "</extra>",
        }
        for name in band_names
    ]
    data.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": total_name,
            "x": labels,
            "y": [p.total_score for p in points],
            "yaxis": "y2",
            "line": {"color": "#1f4e79", "width": 3},
            "marker": {"size": 8},
        }
    )
    layout = _exposure_layout(title, count_title, score_title, most)
    return {"data": data, "layout": layout, "config": {"displayModeBar": False}}


def _exposure_layout(title: str, count_title: str, score_title: str, most: int) -> dict[str, Any]:
    """Counts on the left axis (about ten ticks at most), the score on the right."""
    return {
        "title": {"text": title, "font": {"size": 15}},
        "barmode": "stack",
        "xaxis": {"type": "category"},
        "yaxis": {
            "title": {"text": count_title},
            "rangemode": "tozero",
            "dtick": max(1, math.ceil(most / 10)),
        },
        "yaxis2": {
            "title": {"text": score_title},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "tickmode": "auto",
            "tickformat": ",d",
            "showgrid": False,
        },
        "legend": {"orientation": "h", "y": -0.2},
        "margin": {"l": 60, "r": 60, "t": 40, "b": 40},
        "height": 360,
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
    }
