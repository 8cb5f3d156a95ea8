"""Schedule risk charts: the S-curve of each gate's finish and the tornado of its drivers.

Plain figure dicts (plotly's JSON), labels in the reader's language given by the caller; no
database access.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planner.domain.schedule_risk import Driver, FinishOutlook

_COLOURS = ("#1f6feb", "#d97706", "#15803d", "#9333ea", "#be123c", "#0f766e", "#4b5563")


@dataclass(frozen=True)
class Series:
    """One finish to draw: its outlook and its name in the reader's language."""

    name: str
    outlook: FinishOutlook


def s_curve_figure(series: Sequence[Series], labels: Mapping[str, str]) -> dict[str, Any]:
    """The cumulative probability of each finish by date, with each gate as a marker."""
    data: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    for i, s in enumerate(series):
        colour = _COLOURS[i % len(_COLOURS)]
        dates = [d.isoformat() for d, _ in s.outlook.curve]
        shares = [round(p * 100, 1) for _, p in s.outlook.curve]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "line": {"shape": "hv", "color": colour, "width": 2},
                "x": dates,
                "y": shares,
                "name": s.name,
                "hovertemplate": "%{x|%Y-%m-%d}: %{y}%<extra>" + s.name + "</extra>",
            }
        )
        if s.outlook.gate is not None:
            gate = s.outlook.gate.isoformat()
            shapes.append(
                {
                    "type": "line",
                    "x0": gate,
                    "x1": gate,
                    "y0": 0,
                    "y1": 100,
                    "line": {"color": colour, "dash": "dot", "width": 1},
                }
            )
    return {
        "data": data,
        "layout": {
            "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
            "yaxis": {
                "title": {"text": labels["probability"]},
                "range": [0, 102],
                "ticksuffix": "%",
            },
            "xaxis": {"title": {"text": labels["finish"]}, "type": "date"},
            "shapes": shapes,
            "legend": {"orientation": "h", "y": -0.2},
            "hovermode": "closest",
        },
        "config": {"displaylogo": False, "responsive": True},
    }


def tornado_figure(
    drivers: Sequence[Driver], names: Mapping[str, str], labels: Mapping[str, str]
) -> dict[str, Any]:
    """The drivers of one finish, strongest on top: rank correlation with the finish."""
    ordered = list(reversed(drivers))
    # the axis shows keys (short, never cut); the names are in the hover and the table
    text = [d.key for d in ordered]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [d.correlation for d in ordered],
                "y": text,
                "marker": {
                    "color": ["#be123c" if d.kind == "risk" else "#1f6feb" for d in ordered]
                },
                "customdata": [names.get(d.key, d.key) for d in ordered],
                "hovertemplate": "%{y} · %{customdata}: %{x:.2f}<extra></extra>",
            }
        ],
        "layout": {
            "margin": {"l": 16, "r": 16, "t": 16, "b": 48},
            "xaxis": {"title": {"text": labels["correlation"]}, "range": [-1, 1], "zeroline": True},
            "yaxis": {"automargin": True},
            "showlegend": False,
            "height": 80 + 36 * max(1, len(ordered)),
        },
        "config": {"displaylogo": False, "responsive": True},
    }
