"""Plotly figures of the maturity assessment, as plain dicts (no database access here).

* ``radar``: the categories' current, target, benchmark (and competitor) lines;
* ``drilldown_bar``: one category's indicators, current as bars, the lines as markers;
* ``comparison_radar``: two assessments' current lines on one radar.

A missing score (None) stays a gap in the line and is never drawn as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SCALE_MAX = 5

# one style per visual layer
STYLES: dict[str, dict[str, Any]] = {
    "current": {
        "line": {"color": "#1f5fa8", "width": 3},
        "fill": "toself",
        "fillcolor": "rgba(31, 95, 168, 0.18)",
        "marker": {"size": 7},
    },
    "target": {"line": {"color": "#2e7d32", "width": 2, "dash": "dash"}, "marker": {"size": 5}},
    "benchmark": {"line": {"color": "#e07b00", "width": 2, "dash": "dot"}, "marker": {"size": 5}},
    "competitor": {
        "line": {"color": "#b3261e", "width": 2, "dash": "dashdot"},
        "marker": {"size": 5},
    },
    "before": {
        "line": {"color": "#7a7a7a", "width": 2, "dash": "dot"},
        "fill": "toself",
        "fillcolor": "rgba(122, 122, 122, 0.12)",
        "marker": {"size": 6},
    },
    "after": {
        "line": {"color": "#1f5fa8", "width": 3},
        "fill": "toself",
        "fillcolor": "rgba(31, 95, 168, 0.18)",
        "marker": {"size": 7},
    },
}
MARKERS = {"target": "diamond", "benchmark": "line-ns", "competitor": "x"}
MARKER_COLOURS = {"target": "#2e7d32", "benchmark": "#e07b00", "competitor": "#b3261e"}


@dataclass(frozen=True)
class Series:
    """One line of a chart: its legend name, one value per axis (None = missing), a style."""

    name: str
    values: Sequence[float | None]
    kind: str = "current"


def wrap_label(label: str, width: int = 14) -> str:
    """Break a long axis label into lines of about ``width`` characters (plotly's <br>).

    Words are never split; Chinese labels (no spaces) are short enough to stay as they are.
    """
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines) if lines else label


def _closed(values: Sequence[Any]) -> list[Any]:
    """The values with the first repeated at the end, so the radar's polygon closes."""
    return [*values, values[0]] if values else []


def _text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def radar(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    height: int = 460,
    missing_label: str = "not scored",
) -> dict[str, Any]:
    """A radar (polar) chart of one value per axis for each series, on the 0-5 scale.

    Raises ValueError when a series does not give exactly one value per axis.
    """
    data = []
    theta = [wrap_label(a) for a in axes]
    for s in series:
        if len(s.values) != len(axes):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(axes)} axes")
        if all(v is None for v in s.values):
            continue  # a line with no value at all is left out, not drawn at 0
        style = STYLES.get(s.kind, STYLES["current"])
        data.append(
            {
                "type": "scatterpolar",
                "mode": "lines+markers",
                "name": s.name,
                "r": _closed(list(s.values)),
                "theta": _closed(theta),
                "text": _closed([_text(v) if v is not None else missing_label for v in s.values]),
                "hovertemplate": "%{theta}: %{text}<extra>" + s.name + "</extra>",
                "connectgaps": False,
                **style,
            }
        )
    layout: dict[str, Any] = {
        "height": height,
        "margin": {"l": 70, "r": 70, "t": 70 if title else 45, "b": 40},
        "polar": {
            "radialaxis": {
                "range": [0, SCALE_MAX],
                "dtick": 1,
                # between the first two axes, so the tick labels hide no line
                "angle": 90 + 180 / max(len(axes), 1),
                "tickangle": 90 + 180 / max(len(axes), 1),
                "tickfont": {"size": 10},
            },
            "angularaxis": {"direction": "clockwise", "rotation": 90},
        },
        "legend": {"orientation": "h", "y": -0.08, "x": 0.5, "xanchor": "center"},
        "showlegend": True,
    }
    if title:
        layout["title"] = {"text": title}
    return {"data": data, "layout": layout, "config": {"displayModeBar": False}}


def drilldown_bar(
    indicators: Sequence[str],
    current: Sequence[float | None],
    lines: Sequence[Series] = (),
    *,
    current_name: str = "Current",
    title: str = "",
    missing_label: str = "— not scored",
) -> dict[str, Any]:
    """One category's indicators: current as horizontal bars, target/benchmark as markers.

    Indicators without a current score get no bar, and a "not scored" note instead.
    """
    if len(current) != len(indicators):
        raise ValueError("one current value per indicator is needed")
    for s in lines:
        if len(s.values) != len(indicators):
            raise ValueError(f"series {s.name!r} needs one value per indicator")
    data = [_current_bars(indicators, current, current_name)]
    data += [_marker_trace(indicators, s) for s in lines if any(v is not None for v in s.values)]
    layout: dict[str, Any] = {
        "height": max(260, 46 * len(indicators) + 90),
        "margin": {"l": 10, "r": 20, "t": 40 if title else 10, "b": 40},
        "xaxis": {"range": [0, SCALE_MAX + 0.2], "dtick": 1, "title": {"text": "0–5"}},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "bargap": 0.35,
        "legend": {"orientation": "h", "y": -0.18, "x": 0.5, "xanchor": "center"},
        "annotations": _not_scored_notes(indicators, current, missing_label),
    }
    if title:
        layout["title"] = {"text": title}
    return {"data": data, "layout": layout, "config": {"displayModeBar": False}}


def _current_bars(
    indicators: Sequence[str], current: Sequence[float | None], name: str
) -> dict[str, Any]:
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "y": list(indicators),
        "x": list(current),
        "text": [_text(v) if v is not None else "" for v in current],
        "textposition": "inside",
        "insidetextanchor": "end",
        "marker": {"color": "rgba(31, 95, 168, 0.75)"},
        "hovertemplate": "%{y}: %{x:.2f}<extra>" + name + "</extra>",
    }


def _marker_trace(indicators: Sequence[str], s: Series) -> dict[str, Any]:
    """A target, benchmark or competitor line as one marker per indicator."""
    colour = MARKER_COLOURS.get(s.kind, "#444")
    return {
        "type": "scatter",
        "mode": "markers",
        "name": s.name,
        "y": list(indicators),
        "x": list(s.values),
        "marker": {
            "symbol": MARKERS.get(s.kind, "circle"),
            "size": 14,
            "color": colour,
            "line": {"width": 3, "color": colour},
        },
        "hovertemplate": "%{y}: %{x:.2f}<extra>" + s.name + "</extra>",
    }


def _not_scored_notes(
    indicators: Sequence[str], current: Sequence[float | None], label: str
) -> list[dict[str, Any]]:
    """A note at the start of each indicator without a current score (it has no bar)."""
    return [
        {
            "x": 0.05,
            "y": name,
            "xref": "x",
            "yref": "y",
            "text": label,
            "showarrow": False,
            "xanchor": "left",
            "font": {"color": "#6c757d", "size": 11},
        }
        for name, value in zip(indicators, current, strict=True)
        if value is None
    ]


def comparison_radar(
    axes: Sequence[str],
    before: Sequence[float | None],
    after: Sequence[float | None],
    *,
    before_name: str,
    after_name: str,
    title: str = "",
    missing_label: str = "not scored",
) -> dict[str, Any]:
    """Two assessments' category scores on one radar: before (grey) and after (blue)."""
    return radar(
        axes,
        [Series(before_name, before, "before"), Series(after_name, after, "after")],
        title=title,
        missing_label=missing_label,
    )
